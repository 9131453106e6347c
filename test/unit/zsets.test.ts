// The sorted-set structure (src/types/zset.ts) in both forms against a naive
// sorted-array model: ranks, element access, score ranges, lex ranges, range
// removal; the packed listpack form with any latin1 members and scores.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ZSet, type LexRange } from '../../src/types/zset.js';

type Pair = [string, number];

function modelSorted(m: Map<string, number>): Pair[] {
  return [...m].sort((a, b) => (a[1] - b[1]) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

function checkSame(z: ZSet, model: Map<string, number>): void {
  const want = modelSorted(model);
  assert.equal(z.size, want.length);
  assert.deepEqual([...z], want);
  assert.deepEqual([...z.reversed()], [...want].reverse());
  for (let i = 0; i < want.length; i++) {
    assert.equal(z.rank(want[i][0]), i);
    assert.equal(z.memberAt(i), want[i][0]);
    assert.equal(z.scoreAt(i), want[i][1]);
    assert.equal(z.score(want[i][0]), want[i][1]);
  }
  assert.equal(z.rank('absent'), -1);
}

const op = fc.oneof(
  fc.tuple(fc.constant('add'), fc.integer({ min: 0, max: 40 }), fc.integer({ min: -5, max: 5 })),
  fc.tuple(fc.constant('del'), fc.integer({ min: 0, max: 40 }), fc.constant(0)),
  fc.tuple(fc.constant('range'), fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 5 })),
  fc.tuple(fc.constant('count'), fc.integer({ min: -6, max: 6 }), fc.integer({ min: -6, max: 6 })),
);

for (const skiplist of [false, true]) {
  test(`random operations match a sorted-array model (${skiplist ? 'skiplist' : 'listpack'})`, () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), (ops) => {
        const z = new ZSet();
        if (skiplist) z.toSkiplist();
        const model = new Map<string, number>();
        for (const [kind, a, b] of ops) {
          const m = 'm' + a;
          if (kind === 'add') {
            if (model.has(m)) z.update(m, b);
            else z.insert(m, b);
            model.set(m, b);
          } else if (kind === 'del') {
            assert.equal(z.remove(m), model.delete(m));
          } else if (kind === 'range') {
            const want = modelSorted(model);
            const start = Math.min(a, want.length - 1);
            const end = Math.min(start + b, want.length - 1);
            if (start < 0) continue;
            const ms: string[] = [];
            z.slice(start, end, false, ms, null);
            assert.deepEqual(ms, want.slice(start, end + 1).map((p) => p[0]));
            const rs: string[] = [];
            z.slice(start, end, true, rs, null);
            assert.deepEqual(rs, [...want].reverse().slice(start, end + 1).map((p) => p[0]));
            assert.equal(z.removeRange(start, end), end - start + 1);
            for (const [mm] of want.slice(start, end + 1)) model.delete(mm);
          } else {
            const min = Math.min(a, b);
            const max = Math.max(a, b);
            const r = { min, max, minex: a % 2 === 0, maxex: b % 2 === 0 };
            const inRange = modelSorted(model).filter(([, s]) => (r.minex ? s > min : s >= min) && (r.maxex ? s < max : s <= max));
            const rr = z.scoreRangeRanks(r);
            if (inRange.length === 0) assert.equal(rr, null);
            else assert.deepEqual(rr, [z.rank(inRange[0][0]), z.rank(inRange[inRange.length - 1][0])]);
          }
          checkSame(z, model);
        }
        const copy = z.clone();
        checkSame(copy, model);
        z.toSkiplist();
        checkSame(z, model);
      }),
      { numRuns: 200 },
    );
  });
}

test('listpack form stores -0 as 0; skiplist keeps -0', () => {
  const a = new ZSet();
  a.insert('x', -0);
  assert.ok(Object.is(a.score('x'), 0));
  const b = new ZSet();
  b.toSkiplist();
  b.insert('x', -0);
  assert.ok(Object.is(b.score('x'), -0));
});

test('big skiplist ranks stay consistent', () => {
  const z = new ZSet();
  z.toSkiplist();
  for (let i = 0; i < 5000; i++) z.insert('m' + i, i % 97);
  const all = [...z];
  for (let i = 0; i < all.length; i += 37) assert.equal(z.rank(all[i][0]), i);
  assert.equal(z.removeRange(100, 1099), 1000);
  assert.equal(z.size, 4000);
  assert.equal(z.memberAt(100), all[1100][0]);
});

// --- the listpack form with any latin1 members (lengths around the one-char
// varint limit, 127/128) and scores that test the score text ---

const unit = fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c));
const member = fc.oneof(
  fc.string({ unit, maxLength: 6 }),
  fc.integer({ min: 125, max: 131 }).chain((n) => fc.string({ unit, minLength: n, maxLength: n })),
);
const SPECIAL = [-0, 0, 1, -1, 7, 10, Infinity, -Infinity, 1e21, -1e21, 5e-324, -5e-324, 0.1 + 0.2, 1.5, -2.25, 1e-7, 123456789012345, 1234567890123456, 2 ** 53 + 2, Number.MAX_VALUE, -Number.MAX_VALUE, 1 / 3, 100.25];
const score = fc.oneof(fc.constantFrom(...SPECIAL), fc.double({ noNaN: true }), fc.integer({ min: -3, max: 3 }));

/** What the listpack form stores: -0 as 0. */
const lpScore = (s: number): number => (s === 0 ? 0 : s);

test('listpack form: latin1 members and any scores match the model, before and after conversion', () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(member, { minLength: 1, maxLength: 12 }),
      fc.array(fc.tuple(fc.nat(), score, fc.nat(3)), { maxLength: 60 }),
      (pool, ops) => {
        const z = new ZSet();
        const model = new Map<string, number>();
        for (const [k, s, kind] of ops) {
          const m = pool[k % pool.length];
          if (kind === 3) {
            assert.equal(z.remove(m), model.delete(m));
          } else if (model.has(m)) {
            z.update(m, s);
            model.set(m, lpScore(s));
          } else {
            z.insert(m, s);
            model.set(m, lpScore(s));
          }
          assert.ok(z.lp);
          assert.equal(z.empty, model.size === 0);
        }
        checkSame(z, model);
        for (const m of pool) assert.equal(z.has(m), model.has(m));
        const want = modelSorted(model);
        assert.equal(z.maxMemberLength(), Math.max(0, ...want.map(([m]) => m.length)));
        assert.deepEqual([...z.dictMembers()], want.map(([m]) => m));
        const ms: string[] = [];
        const ss: number[] = [];
        z.slice(0, want.length - 1, true, ms, ss);
        assert.deepEqual(ms, [...want].reverse().map(([m]) => m));
        assert.deepEqual(ss, [...want].reverse().map(([, s]) => s));
        assert.deepEqual([...ZSet.fromSorted(want.map(([m]) => m), want.map(([, s]) => s))], want);
        const copy = z.clone();
        z.toSkiplist();
        assert.ok(!z.lp);
        checkSame(z, model);
        checkSame(copy, model);
        if (want.length > 0) {
          copy.removeRange(0, 0);
          assert.deepEqual([...copy], want.slice(1));
          checkSame(z, model);
        }
      },
    ),
    { numRuns: 300 },
  );
});

test('listpack form: special scores keep their exact values and order', () => {
  const z = new ZSet();
  SPECIAL.forEach((s, i) => z.insert('m' + i, s));
  const want = SPECIAL.map((s, i): Pair => ['m' + i, lpScore(s)]).sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[0] < b[0] ? -1 : 1));
  assert.deepEqual([...z], want);
  assert.ok(Object.is(z.score('m0'), 0));
  assert.equal(z.score('m6'), Infinity);
  assert.equal(z.score('m7'), -Infinity);
  assert.equal(z.score('m12'), 0.30000000000000004);
  assert.equal(z.score('m10'), 5e-324);
  assert.deepEqual(z.scoreRangeRanks({ min: -Infinity, max: -Infinity, minex: false, maxex: false }), [0, 0]);
  assert.deepEqual(z.scoreRangeRanks({ min: Infinity, max: Infinity, minex: false, maxex: false }), [want.length - 1, want.length - 1]);
  // Updates that keep the position, move down, and move up.
  z.update('m12', 0.30000000000000004 + 1e-16);
  z.update('m6', -1e300);
  z.update('m7', 1e300);
  const model = new Map(want);
  model.set('m12', 0.30000000000000004 + 1e-16);
  model.set('m6', -1e300);
  model.set('m7', 1e300);
  checkSame(z, model);
});

/** The listpack's lex walks (linear scans from the bottom and the top) over plain arrays. */
function modelLex(ms: string[], lexGte: (m: string) => boolean, lexLte: (m: string) => boolean): { first: number; last: number } {
  let first = -1;
  for (let i = 0; i < ms.length; i++) {
    if (lexGte(ms[i])) {
      first = lexLte(ms[i]) ? i : -1;
      break;
    }
  }
  let last = -1;
  for (let i = ms.length - 1; i >= 0; i--) {
    if (lexLte(ms[i])) {
      last = lexGte(ms[i]) ? i : -1;
      break;
    }
  }
  return { first, last };
}

test('listpack form: lex ranges match the linear walks, with equal and mixed scores', () => {
  const bound = fc.oneof(
    fc.constant({ kind: 1 as const, s: '', ex: false }),
    fc.constant({ kind: 2 as const, s: '', ex: false }),
    fc.record({ kind: fc.constant(0 as const), s: fc.string({ unit, maxLength: 3 }), ex: fc.boolean() }),
  );
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.string({ unit, maxLength: 3 }), { maxLength: 12 }),
      fc.boolean(),
      bound,
      bound,
      fc.integer({ min: -1, max: 4 }),
      fc.integer({ min: -1, max: 4 }),
      fc.boolean(),
      (members, mixed, a, b, offset, limit, rev) => {
        const z = new ZSet();
        const model = new Map<string, number>();
        members.forEach((m, i) => {
          const s = mixed ? (i * 7) % 3 : 0;
          z.insert(m, s);
          model.set(m, s);
        });
        const want = modelSorted(model);
        const ms = want.map(([m]) => m);
        const r: LexRange = { min: a.s, max: b.s, minex: a.ex, maxex: b.ex, minKind: a.kind, maxKind: b.kind };
        const gte = (m: string): boolean => (r.minKind === 1 ? true : r.minKind === 2 ? false : r.minex ? m > r.min : m >= r.min);
        const lte = (m: string): boolean => (r.maxKind === 2 ? true : r.maxKind === 1 ? false : r.maxex ? m < r.max : m <= r.max);
        const cmpBounds = r.minKind === 0 && r.maxKind === 0 ? (r.min < r.max ? -1 : r.min > r.max ? 1 : 0) : r.minKind === r.maxKind ? 0 : r.minKind === 1 || r.maxKind === 2 ? -1 : 1;
        const empty = ms.length === 0 || cmpBounds > 0 || (cmpBounds === 0 && (r.minex || r.maxex)) || !gte(ms[ms.length - 1]) || !lte(ms[0]);
        const { first, last } = empty ? { first: -1, last: -1 } : modelLex(ms, gte, lte);
        assert.equal(z.lexFirst(r), first);
        assert.equal(z.lexLast(r), last);
        let count = 0;
        if (first >= 0) for (let i = first; i < ms.length && lte(ms[i]); i++) count++;
        assert.equal(z.lexCount(r), count);
        const outM: string[] = [];
        const outS: number[] = [];
        z.lexCollect(r, rev, Math.max(0, offset), limit, outM, outS);
        const wantM: string[] = [];
        let i = rev ? last : first;
        if (i >= 0) {
          i += rev ? -Math.max(0, offset) : Math.max(0, offset);
          for (let l = limit; i >= 0 && i < ms.length && l !== 0; i += rev ? -1 : 1, l--) {
            if (rev ? !gte(ms[i]) : !lte(ms[i])) break;
            wantM.push(ms[i]);
          }
        }
        assert.deepEqual(outM, wantM);
        assert.deepEqual(outS, wantM.map((m) => model.get(m)));
        assert.equal(z.lexRemove(r), count);
        assert.deepEqual([...z].map(([m]) => m), first >= 0 ? [...ms.slice(0, first), ...ms.slice(first + count)] : ms);
      },
    ),
    { numRuns: 500 },
  );
});
