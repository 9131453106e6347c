// The sorted-set structure (src/types/zset.ts) in both forms against a naive
// sorted-array model: ranks, element access, score ranges, range removal.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ZSet } from '../../src/types/zset.js';

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
