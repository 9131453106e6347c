// The B+-tree of big sorted sets (src/types/zset-tree.ts) against a sorted-array
// model: random inserts, score updates, deletes, ranks, seeks, slices, score
// bounds and range removals, with tiny node capacities (deep trees, many
// splits, merges and borrows at small sizes) and the real ones at big sizes.
// After every operation the tree's own invariant check runs (key order,
// separators, subtree counts, leaf links, dict, minimum fill).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ZTree, setNodeCapacities } from '../../src/types/zset-tree.js';

type Pair = [string, number];

const less = (a: Pair, b: Pair): boolean => a[1] < b[1] || (a[1] === b[1] && a[0] < b[0]);

/** Sorted pairs with binary-search insert and delete. */
class Model {
  pairs: Pair[] = [];
  scores = new Map<string, number>();
  indexOf(p: Pair): number {
    let lo = 0;
    let hi = this.pairs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (less(this.pairs[mid], p)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  add(m: string, s: number): void {
    this.scores.set(m, s);
    this.pairs.splice(this.indexOf([m, s]), 0, [m, s]);
  }
  remove(m: string): void {
    const s = this.scores.get(m)!;
    this.scores.delete(m);
    this.pairs.splice(this.indexOf([m, s]), 1);
  }
}

function rng(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x / 4294967296;
  };
}

function sameContent(t: ZTree, model: Model): void {
  const want = model.pairs;
  assert.equal(t.length, want.length);
  let i = 0;
  for (const [m, s] of t) {
    if (m !== want[i][0] || !Object.is(s, want[i][1])) assert.fail(`pair ${i}: ${m} ${s}, want ${want[i][0]} ${want[i][1]}`);
    i++;
  }
  assert.equal(i, want.length);
  for (const [m] of t.reversed()) if (m !== want[--i][0]) assert.fail(`reversed pair ${i}: ${m}, want ${want[i][0]}`);
}

function sameRanks(t: ZTree, model: Model, step = 1): void {
  for (let i = 0; i < model.pairs.length; i += step) {
    const [m, s] = model.pairs[i];
    assert.equal(t.rank(m), i);
    assert.equal(t.memberAt(i), m);
    assert.ok(Object.is(t.scoreAt(i), s));
  }
}

function withCapacities(leaf: number, inner: number, fn: () => void): void {
  const old = setNodeCapacities(leaf, inner);
  try {
    fn();
  } finally {
    setNodeCapacities(old[0], old[1]);
  }
}

const SCORES = [-Infinity, -1e300, -2.5, -1, -0, 0, 0.5, 1, 2, 3, 1e21, Infinity];

const opArb = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.constant('put' as const), fc.nat(80), fc.nat(SCORES.length - 1)) },
  { weight: 2, arbitrary: fc.tuple(fc.constant('del' as const), fc.nat(80), fc.constant(0)) },
  { weight: 1, arbitrary: fc.tuple(fc.constant('cut' as const), fc.nat(100), fc.nat(12)) },
  { weight: 1, arbitrary: fc.tuple(fc.constant('bounds' as const), fc.nat(SCORES.length - 1), fc.nat(3)) },
);

for (const [leafCap, innerCap] of [
  [4, 4],
  [5, 6],
  [8, 4],
  [64, 64],
]) {
  test(`random operations match a sorted-array model (leaf ${leafCap}, inner ${innerCap})`, () => {
    withCapacities(leafCap, innerCap, () => {
      fc.assert(
        fc.property(fc.array(opArb, { minLength: 50, maxLength: 400, size: 'max' }), fc.boolean(), (ops, equalScores) => {
          const t = new ZTree();
          const model = new Model();
          for (const [kind, a, b] of ops) {
            const m = 'm' + String(a).padStart(2, '0');
            const s = equalScores ? 0 : SCORES[b];
            if (kind === 'put') {
              const cur = model.scores.get(m);
              if (cur === undefined) {
                t.add(m, s);
                model.add(m, s);
              } else if (cur !== s) {
                t.update(m, cur, s);
                model.remove(m);
                model.add(m, s);
              }
            } else if (kind === 'del') {
              assert.equal(t.remove(m), model.scores.has(m));
              if (model.scores.has(m)) model.remove(m);
            } else if (kind === 'cut') {
              const len = model.pairs.length;
              if (len === 0) continue;
              const start = a % len;
              const n = Math.min(b, len - start);
              const want = model.pairs.slice(start, start + n);
              const ms: string[] = [];
              const ss: number[] = [];
              t.slice(start, n, false, ms, ss);
              assert.deepEqual(ms, want.map((p) => p[0]));
              assert.deepEqual(ss, want.map((p) => p[1]));
              const rs: string[] = [];
              t.slice(start, n, true, rs, null);
              assert.deepEqual(rs, [...model.pairs].reverse().slice(start, start + n).map((p) => p[0]));
              assert.equal(t.removeRange(start, n), n);
              for (const [mm] of want) model.remove(mm);
            } else {
              const bound = SCORES[a];
              const ex = (b & 1) === 1;
              const below = model.pairs.filter(([, sc]) => (ex ? sc <= bound : sc < bound)).length;
              assert.equal(t.countBelowMin(bound, ex), below);
              const upTo = model.pairs.filter(([, sc]) => (ex ? sc < bound : sc <= bound)).length;
              assert.equal(t.countUpToMax(bound, ex), upTo);
              // ZRANGEBYSCORE walks: between two scores, with an offset and a limit, both ways.
              const lo = SCORES[b * 3 % SCORES.length];
              const hi = bound;
              const minex = (a & 1) === 1;
              const maxex = (a & 2) === 2;
              const inRange = model.pairs.filter(([, sc]) => (minex ? sc > lo : sc >= lo) && (maxex ? sc < hi : sc <= hi));
              const offset = a % 3;
              const limit = (b % 3) - 1;
              for (const rev of [false, true]) {
                const want = (rev ? [...inRange].reverse() : inRange).slice(offset, limit < 0 ? undefined : offset + limit);
                const ms: string[] = [];
                const ss: number[] = [];
                if (t.length > 0) t.collectScores(lo, minex, hi, maxex, rev, offset, limit, ms, ss);
                assert.deepEqual(ms, want.map((p) => p[0]));
                assert.deepEqual(ss, want.map((p) => p[1]));
              }
              const mb = 'm' + String(a * 7).padStart(2, '0');
              if (equalScores) assert.equal(t.countMembersWhile((x) => x < mb), model.pairs.filter(([x]) => x < mb).length);
            }
            t.check();
          }
          sameContent(t, model);
          sameRanks(t, model);
          for (let i = 0; i < 100; i++) assert.equal(t.rank('m' + String(i).padStart(2, '0')), model.scores.has('m' + String(i).padStart(2, '0')) ? model.indexOf(['m' + String(i).padStart(2, '0'), model.scores.get('m' + String(i).padStart(2, '0'))!]) : -1);
          const copy = t.clone();
          copy.check();
          sameContent(copy, model);
        }),
        { numRuns: leafCap === 64 ? 100 : 300, includeErrorInReport: true },
      );
    });
  });
}

test('every range removal of trees of up to 70 pairs (leaf 4, inner 4)', () => {
  withCapacities(4, 4, () => {
    for (let size = 1; size <= 70; size += size < 20 ? 1 : 7) {
      for (let start = 0; start < size; start++) {
        for (let n = 1; start + n <= size; n++) {
          // Built by inserts in a scattered order, so nodes are unevenly filled.
          const t = new ZTree();
          const order = Array.from({ length: size }, (_, i) => i);
          const r = rng(size * 1000 + start * 10 + n);
          for (let i = size - 1; i > 0; i--) {
            const j = Math.floor(r() * (i + 1));
            [order[i], order[j]] = [order[j], order[i]];
          }
          for (const i of order) t.add('m' + String(i).padStart(3, '0'), i >> 1);
          t.removeRange(start, n);
          t.check();
          const want: Pair[] = [];
          for (let i = 0; i < size; i++) if (i < start || i >= start + n) want.push(['m' + String(i).padStart(3, '0'), i >> 1]);
          assert.deepEqual([...t], want);
        }
      }
    }
  });
});

test('big trees with the real capacities: random and equal scores, inserts, updates, deletes, range removals', () => {
  // The model is a Map, sorted when compared (a spliced array is too slow at this size).
  const sorted = (scores: Map<string, number>): Model => {
    const model = new Model();
    model.scores = scores;
    model.pairs = [...scores].sort((a, b) => (less(a, b) ? -1 : less(b, a) ? 1 : 0));
    return model;
  };
  for (const equal of [false, true]) {
    const r = rng(equal ? 7 : 11);
    const t = new ZTree();
    const scores = new Map<string, number>();
    const N = 60000;
    for (let i = 0; i < N; i++) {
      const m = 'element:' + String(Math.floor(r() * 1e6)).padStart(12, '0');
      const s = equal ? 0 : Math.floor(r() * 1000) / 4;
      const cur = scores.get(m);
      if (cur === undefined) t.add(m, s);
      else if (cur !== s) t.update(m, cur, s);
      scores.set(m, s);
    }
    t.check();
    let model = sorted(scores);
    sameContent(t, model);
    sameRanks(t, model, 97);
    assert.ok(t.stats().height >= 2);
    // Score updates by small steps (many stay in their leaf), then deletes.
    const members = [...scores.keys()];
    for (let i = 0; i < 20000; i++) {
      const m = members[Math.floor(r() * members.length)];
      const cur = scores.get(m)!;
      const s = equal ? cur : cur + (r() < 0.5 ? -0.25 : 0.25);
      if (s === cur) continue;
      t.update(m, cur, s);
      scores.set(m, s);
    }
    t.check();
    sameContent(t, sorted(scores));
    for (let i = 0; i < members.length; i += 2) {
      assert.equal(t.remove(members[i]), true);
      scores.delete(members[i]);
    }
    t.check();
    model = sorted(scores);
    sameContent(t, model);
    sameRanks(t, model, 31);
    // Range removals: a middle chunk spanning many leaves, the front, the back.
    for (const [from, n] of [
      [1000, 9000],
      [0, 3000],
      [-2500, 2500],
      [5, 1],
      [77, 64],
    ]) {
      const start = from < 0 ? model.pairs.length + from : from;
      t.removeRange(start, n);
      for (const [m] of model.pairs.slice(start, start + n)) scores.delete(m);
      model = sorted(scores);
      t.check();
    }
    sameContent(t, model);
    sameRanks(t, model, 13);
    // Everything but one, then everything.
    t.removeRange(1, t.length - 1);
    t.check();
    assert.equal(t.length, 1);
    t.removeRange(0, 1);
    t.check();
    assert.equal(t.length, 0);
    assert.equal(t.dict.size, 0);
  }
});

test('in-order inserts fill the leaves (appends and prepends)', () => {
  const up = new ZTree();
  for (let i = 0; i < 64 * 100; i++) up.add('m' + i, i);
  up.check();
  assert.equal(up.stats().leaves, 100);
  const down = new ZTree();
  for (let i = 64 * 100; i > 0; i--) down.add('m' + i, i);
  down.check();
  assert.equal(down.stats().leaves, 100);
  const equal = new ZTree();
  for (let i = 0; i < 64 * 100; i++) equal.add('m' + String(i).padStart(6, '0'), 0);
  equal.check();
  assert.equal(equal.stats().leaves, 100);
});

test('fromSorted builds a valid tree of any size; pops from the bottom keep it valid', () => {
  for (const n of [0, 1, 63, 64, 65, 128, 129, 4096, 4097, 300000]) {
    const ms: string[] = [];
    const ss: number[] = [];
    for (let i = 0; i < n; i++) {
      ms.push('m' + String(i).padStart(7, '0'));
      ss.push(i >> 3);
    }
    const t = ZTree.fromSorted(ms, ss);
    t.check();
    assert.equal(t.length, n);
    if (n === 0) continue;
    assert.equal(t.rank(ms[n - 1]), n - 1);
    for (let k = 0; k < Math.min(n, 3000); k++) t.removeRange(0, 1);
    t.check();
    assert.equal(t.length, Math.max(0, n - 3000));
    if (t.length > 0) assert.equal(t.memberAt(0), ms[3000]);
  }
});

test('-0 and 0 are equal scores ordered by member; -0 is kept', () => {
  const t = new ZTree();
  for (let i = 0; i < 300; i++) t.add('m' + String(i).padStart(3, '0'), i % 2 === 0 ? -0 : 0);
  t.check();
  assert.deepEqual([...t].map(([m]) => m), Array.from({ length: 300 }, (_, i) => 'm' + String(i).padStart(3, '0')));
  assert.ok(Object.is(t.dict.get('m000'), -0));
  assert.ok(Object.is(t.scoreAt(0), -0));
  assert.equal(t.countBelowMin(0, false), 0);
  assert.equal(t.countUpToMax(-0, false), 300);
  assert.equal(t.countBelowMin(-0, true), 300);
});

test('the big form indexes members with a Dict (no 2^24-entry Map cap) that follows the tree', async () => {
  const { Dict, setDictChunkBits, dictChunkBits } = await import('../../src/types/dict.js');
  const { newMemberDict } = await import('../../src/types/zset-tree.js');
  const saved = dictChunkBits();
  setDictChunkBits(4);
  try {
    const d = newMemberDict();
    assert.ok(d instanceof Dict);
    for (let i = 0; i < 1000; i++) d.set(`m${i}`, i);
    for (let i = 0; i < 1000; i += 2) d.delete(`m${i}`);
    assert.equal(d.size, 500);
    assert.equal(d.get('m7'), 7);
    assert.equal(d.has('m8'), false);
    assert.equal([...d.keys()].length, 500);
  } finally {
    setDictChunkBits(saved);
  }
});
