// The Ring (src/types/ring.ts, the list value's storage) against an array
// model, with the chunk size lowered to 4 elements so that a few thousand
// elements make directories of hundreds of chunks: random pushes, pops,
// inserts and replacements at both ends through many growths and shrinks,
// and the list value built on it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Ring, setRingChunkBits, ringChunkBits } from '../../src/types/ring.js';
import { ListValue } from '../../src/types/list.js';

/** A seeded PRNG (mulberry32), so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function withChunks(bits: number, fn: () => void): void {
  const saved = ringChunkBits();
  setRingChunkBits(bits);
  try {
    fn();
  } finally {
    setRingChunkBits(saved);
  }
}

function same(r: Ring<number>, model: number[], what: string): void {
  assert.equal(r.len, model.length, `${what}: length`);
  for (let i = 0; i < model.length; i++) if (r.get(i) !== model[i]) assert.fail(`${what}: element ${i} is ${r.get(i)}, expected ${model[i]}`);
  assert.ok(r.capacity >= r.len, `${what}: capacity ${r.capacity} < length ${r.len}`);
}

test('random operations match an array through growth to many chunks and shrinking back', () => {
  withChunks(2, () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const rand = rng(seed);
      const r = new Ring<number>();
      const model: number[] = [];
      let next = 0;
      let maxChunks = 0;
      let shrunkFromBig = false;
      // Phases: grow (pushes win), then shrink (pops win), twice.
      for (const [steps, pushShare] of [[3000, 0.8], [6000, 0.25], [2500, 0.75], [6000, 0.2]] as const) {
        for (let s = 0; s < steps; s++) {
          const x = rand();
          const before = r.chunks;
          if (x < pushShare * 0.5) {
            r.pushHead(next);
            model.unshift(next++);
          } else if (x < pushShare) {
            r.pushTail(next);
            model.push(next++);
          } else if (x < pushShare + (1 - pushShare) * 0.4) {
            assert.equal(r.popHead(), model.shift());
          } else if (x < pushShare + (1 - pushShare) * 0.8) {
            assert.equal(r.popTail(), model.pop());
          } else if (x < pushShare + (1 - pushShare) * 0.9 && model.length < 400) {
            const i = Math.floor(rand() * (model.length + 1));
            r.insert(i, next);
            model.splice(i, 0, next++);
          } else if (model.length > 0) {
            const i = Math.floor(rand() * model.length);
            assert.equal(r.set(i, next), model[i]);
            model[i] = next++;
          }
          maxChunks = Math.max(maxChunks, r.chunks);
          if (before > 1 && r.chunks < before) shrunkFromBig = true;
          if (s % 97 === 0) same(r, model, `seed ${seed} step ${s}`);
        }
        same(r, model, `seed ${seed} phase end`);
      }
      assert.ok(maxChunks >= 256, `the directory grew to ${maxChunks} chunks`);
      assert.ok(shrunkFromBig, 'a big ring shrank its directory');
      while (model.length > 0) assert.equal(r.popTail(), model.pop());
      assert.equal(r.popHead(), undefined);
      assert.equal(r.len, 0);
    }
  });
});

test('a full ring whose first element is mid-chunk grows without losing order (the wrapped chunk is split)', () => {
  withChunks(3, () => {
    for (let offset = 0; offset < 8; offset++) {
      const r = new Ring<number>();
      const model: number[] = [];
      // Push at the tail past one chunk, then rotate so the head sits at `offset` within a chunk.
      for (let i = 0; i < 40; i++) {
        r.pushTail(i);
        model.push(i);
      }
      for (let k = 0; k < offset; k++) {
        r.pushTail(r.popHead()!);
        model.push(model.shift()!);
      }
      for (let i = 0; i < 200; i++) {
        r.pushHead(1000 + i);
        model.unshift(1000 + i);
        r.pushTail(2000 + i);
        model.push(2000 + i);
        same(r, model, `offset ${offset} step ${i}`);
      }
    }
  });
});

test('replaceAll and a ring made with a big capacity', () => {
  withChunks(2, () => {
    const r = new Ring<number>(100);
    assert.equal(r.chunks, 32);
    for (let i = 0; i < 50; i++) r.pushHead(i);
    const model = Array.from({ length: 50 }, (_, i) => 49 - i);
    same(r, model, 'big capacity');
    const items = Array.from({ length: 77 }, (_, i) => i * 3);
    r.replaceAll(items);
    same(r, items, 'replaced');
    r.replaceAll([]);
    same(r, [], 'emptied');
    r.pushTail(5);
    same(r, [5], 'after emptying');
  });
});

test('a list value on a chunked ring: pushes, pops, LINSERT, LSET, LREM, LTRIM and its encoding bookkeeping', () => {
  withChunks(3, () => {
    const rand = rng(9);
    const l = new ListValue();
    const model: string[] = [];
    const fill = -2;
    for (let s = 0; s < 6000; s++) {
      const x = rand();
      const v = `v${Math.floor(rand() * 50)}`;
      if (x < 0.35) {
        l.growCheck(fill, v.length, 1);
        l.pushHead(v, fill);
        model.unshift(v);
      } else if (x < 0.7) {
        l.growCheck(fill, v.length, 1);
        l.pushTail(v, fill);
        model.push(v);
      } else if (x < 0.8) {
        assert.equal(l.popHead(), model.shift());
      } else if (x < 0.9) {
        assert.equal(l.popTail(), model.pop());
      } else if (x < 0.95 && model.length > 0) {
        const i = Math.floor(rand() * model.length);
        l.set(i, v, fill);
        model[i] = v;
      } else if (model.length > 0 && model.length < 300) {
        const i = Math.floor(rand() * model.length);
        l.growCheck(fill, v.length, 1);
        l.insert(i, true, v, fill);
        model.splice(i + 1, 0, v);
      }
    }
    assert.deepEqual(l.toArray(), model);
    assert.equal(l.validate(), null);
    const removeAt = model.map((v, i) => (v === 'v7' ? i : -1)).filter((i) => i >= 0);
    l.removeIndexes(removeAt);
    const kept = model.filter((v) => v !== 'v7');
    assert.deepEqual([...l], kept);
    assert.equal(l.validate(), null);
    l.trim(10, kept.length - 11);
    assert.deepEqual(l.toArray(), kept.slice(10, kept.length - 10));
    assert.deepEqual(l.clone().toArray(), l.toArray());
  });
});
