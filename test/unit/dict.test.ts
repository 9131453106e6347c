// The Dict (src/types/dict.ts) against a Map model, with the chunk size
// lowered so that a few thousand keys make tables of many chunks: random
// operations through many growths and shrinks, iteration and SCAN
// (scanBatch + ScanCursors) interleaved with moves, the active expiry's
// endless iteration, random keys, and the Chunked array
// (src/types/chunked.ts) and the set/hash hashtables built on both.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dict, dictHash, nextCursor, setDictChunkBits, dictChunkBits } from '../../src/types/dict.js';
import { Chunked } from '../../src/types/chunked.js';
import { ScanCursors, scanBatch } from '../../src/db/scan.js';
import { SetValue, sampleIndices } from '../../src/types/set.js';
import { HashValue } from '../../src/types/hash.js';
import { Enc } from '../../src/db/robj.js';

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

/** Runs fn with chunks of 2^bits slots (tables of more slots are chunked). */
function withChunks(bits: number, fn: () => void): void {
  const saved = dictChunkBits();
  setDictChunkBits(bits);
  try {
    fn();
  } finally {
    setDictChunkBits(saved);
  }
}

/** The dict's indexes and entry stores, to check their invariants. */
interface StoreView {
  next: number;
  free: number;
  holes: number;
  keyAt(e: number): string | number;
  valueAt(e: number): unknown;
}
interface TableView {
  bits: number;
  mask: number;
  cbits: number;
  cmask: number;
  count: number;
  ix: Int32Array[];
  store: StoreView;
}
function tablesOf(d: Dict<unknown>): { t0: TableView; t1: TableView | null; moveFrom: number; moved: number } {
  return d as unknown as { t0: TableView; t1: TableView | null; moveFrom: number; moved: number };
}

/**
 * Every index is at most 7/8 full and `count` is its occupied slots; every
 * slot sits in the cluster of its home slot (no empty slot in between), holds
 * its key's hash, and no two slots share an entry; an entry store's free
 * places chain up to its `holes`, and (unless a move to a new store is under
 * way) its entries are exactly the slots'. While moving, the
 * slots of t0 the walk passed are empty and t0 holds no slot whose home slot
 * the walk passed.
 */
function checkTables(d: Dict<unknown>): void {
  const { t0, t1, moveFrom, moved } = tablesOf(d);
  const walked = (i: number): boolean => ((i - moveFrom) & t0.mask) < moved;
  const places = new Map<StoreView, Set<number>>();
  for (const t of t1 === null ? [t0] : [t0, t1]) {
    const size = 2 ** t.bits;
    const slotOf = (i: number): [number, number] => {
      const c = t.ix[i >>> t.cbits];
      const o = (i & t.cmask) << 1;
      return [c[o], c[o + 1] - 1];
    };
    let seen = places.get(t.store);
    if (seen === undefined) places.set(t.store, (seen = new Set()));
    let used = 0;
    for (let i = 0; i < size; i++) {
      const [x, e] = slotOf(i);
      if (x === 0) continue;
      used++;
      const home = x & t.mask;
      for (let j = home; j !== i; j = (j + 1) & t.mask) assert.notEqual(slotOf(j)[0], 0, `empty slot ${j} between home ${home} and slot ${i}`);
      assert.ok(e >= 0 && e < t.store.next, `slot ${i} points at entry ${e} of ${t.store.next}`);
      assert.ok(!seen.has(e), `two slots point at entry ${e}`);
      seen.add(e);
      const k = t.store.keyAt(e);
      assert.equal(typeof k, 'string', `slot ${i} points at a free place`);
      assert.equal(dictHash(k as string), x, `slot ${i}: the hash of ${k}`);
      assert.notEqual(t.store.valueAt(e), undefined, `entry ${e} has no value`);
      if (t === t0 && t1 !== null) {
        assert.ok(!walked(i), `t0 slot ${i} was walked but is occupied`);
        assert.ok(!walked(home), `t0 holds a slot of home slot ${home}, which the walk passed`);
      }
    }
    assert.equal(used, t.count);
    assert.ok(used <= size - size / 8, `index of ${size} slots holds ${used}`);
  }
  for (const [store, seen] of places) {
    let holes = 0;
    for (let e = store.free; e !== -1; e = store.keyAt(e) as number) {
      assert.equal(typeof store.keyAt(e), 'number', `free place ${e} holds a key`);
      assert.ok(++holes <= store.holes, 'the free list loops');
    }
    assert.equal(holes, store.holes);
    let keys = 0;
    for (let e = 0; e < store.next; e++) if (typeof store.keyAt(e) === 'string') keys++;
    assert.equal(keys + store.holes, store.next);
    // A move to a new store leaves the moved keys in the old one as well.
    const oldStoreOfMove = t1 !== null && t1.store !== t0.store && store === t0.store;
    if (!oldStoreOfMove) assert.equal(keys, seen.size, 'keys without a slot');
  }
}

function sameContents<V>(d: Dict<V>, model: Map<string, V>): void {
  assert.equal(d.size, model.size);
  const seen = new Map<string, V>();
  for (const [k, v] of d) {
    assert.ok(!seen.has(k), `key ${k} iterated twice`);
    seen.set(k, v);
  }
  assert.equal(seen.size, model.size);
  for (const [k, v] of model) {
    assert.equal(seen.get(k), v, k);
    assert.equal(d.get(k), v, k);
    assert.ok(d.has(k), k);
  }
  assert.deepEqual([...d.keys()].sort(), [...model.keys()].sort());
  assert.deepEqual(
    [...d.values()].sort((x, y) => Number(x) - Number(y)),
    [...model.values()].sort((x, y) => Number(x) - Number(y)),
  );
}

test('nextCursor visits every value of b bits once, and a walk stays complete when the bits grow', () => {
  for (let bits = 0; bits <= 10; bits++) {
    const seen = new Set<number>();
    let v = 0;
    do {
      assert.ok(!seen.has(v) && v < 2 ** bits);
      seen.add(v);
      v = nextCursor(v, bits);
    } while (v !== 0);
    assert.equal(seen.size, 2 ** bits);
  }
  // Growth from 3 to 6 bits after some steps: every 6-bit value is covered by a
  // 3-bit value visited before the growth or a 6-bit value visited after it.
  for (let steps = 0; steps < 8; steps++) {
    const covered = new Set<number>();
    let v = 0;
    for (let i = 0; i < steps; i++) {
      for (let hi = 0; hi < 8; hi++) covered.add(v | (hi << 3));
      v = nextCursor(v, 3);
      if (v === 0) break;
    }
    if (v !== 0 || steps === 0) {
      do {
        covered.add(v);
        v = nextCursor(v, 6);
      } while (v !== 0);
    }
    assert.equal(covered.size, 64, `steps ${steps}`);
  }
});

test('random operations match a Map model across many growths and shrinks, moving entries incrementally', () => {
  for (const seed of [1, 2, 3, 4]) {
    withChunks(3, () => {
      const r = rng(seed);
      const d = new Dict<number>();
      const model = new Map<string, number>();
      let maxCapacity = 1;
      let sawRehashing = false;
      let sawShrink = false;
      for (let step = 0; step < 30000; step++) {
        const x = r();
        // Mostly inserts in the first half, mostly deletes in the second.
        const growing = step < 20000;
        const k = 'k' + Math.floor(r() * (growing ? 12000 : 12000));
        if (x < (growing ? 0.6 : 0.25)) {
          const v = Math.floor(r() * 1e6);
          assert.equal(d.set(k, v), d);
          model.set(k, v);
        } else if (x < (growing ? 0.75 : 0.8)) {
          assert.equal(d.delete(k), model.delete(k), `delete ${k}`);
        } else if (x < 0.9) {
          assert.equal(d.get(k), model.get(k), `get ${k}`);
        } else {
          assert.equal(d.has(k), model.has(k), `has ${k}`);
        }
        assert.equal(d.size, model.size);
        if (d.capacity < maxCapacity) sawShrink = true;
        maxCapacity = Math.max(maxCapacity, d.capacity);
        sawRehashing ||= d.rehashing;
        if (step % 5000 === 4999) {
          sameContents(d, model);
          checkTables(d);
        }
      }
      sameContents(d, model);
      checkTables(d);
      assert.ok(maxCapacity >= 16384, `grew to ${maxCapacity} slots`);
      assert.ok(sawRehashing);
      // Emptying shrinks step by step, then returns to the minimum table.
      for (const k of [...model.keys()]) {
        assert.ok(d.delete(k));
        model.delete(k);
        if (d.capacity < maxCapacity) sawShrink = true;
        if (model.size % 997 === 0) checkTables(d);
      }
      assert.ok(sawShrink);
      assert.equal(d.size, 0);
      assert.equal(d.capacity, 8);
      d.set('a', 1);
      sameContents(d, new Map([['a', 1]]));
    });
  }
});

test('writes during a move: updates, deletes and re-adds of moved and unmoved keys stay consistent', () => {
  // Big chunks (the default) and tiny ones, through several moves.
  for (const [seed, bits, minGrowths] of [[31, 16, 3], [32, 16, 3], [33, 2, 3], [34, 2, 3]]) {
    withChunks(bits, () => {
      const r = rng(seed);
      const d = new Dict<number>();
      const model = new Map<string, number>();
      const pool = new KeyPool();
      let growths = 0;
      let next = 0;
      for (let step = 0; step < 40000; step++) {
        const wasGrowing = d.rehashing;
        const x = r();
        if (x < 0.3 || model.size === 0) {
          const k = 'k' + next++;
          d.set(k, step);
          model.set(k, step);
          pool.add(k);
        } else if (x < 0.7) {
          const k = pool.random(r)!;
          d.set(k, -step);
          model.set(k, -step);
        } else if (x < 0.85) {
          const k = pool.random(r)!;
          assert.ok(d.delete(k));
          model.delete(k);
          pool.remove(k);
        } else {
          const k = pool.random(r)!;
          assert.equal(d.get(k), model.get(k));
        }
        if (wasGrowing && !d.rehashing) {
          growths++;
          sameContents(d, model);
        }
        if (d.rehashing && step % 101 === 0) checkTables(d);
      }
      assert.ok(growths >= minGrowths, `${growths} growths`);
      sameContents(d, model);
      checkTables(d);
    });
  }
});

test('an iterator returns each key once while the dict grows and moves under it', () => {
  withChunks(4, () => {
    const d = new Dict<number>();
    for (let i = 0; i < 1000; i++) d.set('k' + i, i);
    const it = d.keys();
    const seen = new Map<string, number>();
    let added = 0;
    for (let r = it.next(); !r.done; r = it.next()) {
      seen.set(r.value, (seen.get(r.value) ?? 0) + 1);
      // Updates of present keys and new keys: the table moves twice meanwhile.
      d.set('k' + (added % 1000), -1);
      d.set('n' + added++, 0);
      d.set('n' + added++, 0);
    }
    for (let i = 0; i < 1000; i++) assert.equal(seen.get('k' + i), 1, 'k' + i);
    for (const c of seen.values()) assert.equal(c, 1);
    assert.ok(d.capacity >= 4096, `${d.capacity} slots`);
  });
});

test('entries and values handed out after a change are the current ones; deleted ones are skipped', () => {
  const d = new Dict<number>();
  for (let i = 0; i < 100; i++) d.set('k' + i, i);
  const it = d.entries();
  const first = it.next().value!;
  // Every entry of the dict: deletions and updates after the iteration began.
  for (let i = 0; i < 100; i++) if (i % 2 === 0 && 'k' + i !== first[0]) d.delete('k' + i);
  for (let i = 0; i < 100; i++) if (d.has('k' + i)) d.set('k' + i, -i);
  for (let r = it.next(); !r.done; r = it.next()) {
    const [k, v] = r.value;
    assert.equal(d.get(k), v, k);
    assert.equal(v, -Number(k.slice(1)));
  }
});

test('tables stay at most 7/8 full under bursts of inserts while shrinking; rehashFor finishes a move', () => {
  withChunks(4, () => {
    const d = new Dict<number>();
    for (let i = 0; i < 100000; i++) {
      d.set('key:' + i, i);
      if (i % 997 === 0) checkTables(d);
    }
    // Down to a few keys (a shrink starts), then a burst of inserts.
    for (let i = 0; i < 99000; i++) d.delete('key:' + i);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 40000; i++) {
        d.set(`burst:${round}:${i}`, i);
        if (i % 499 === 0) checkTables(d);
      }
      for (let i = 0; i < 40000; i++) d.delete(`burst:${round}:${i}`);
      checkTables(d);
    }
    for (let i = 0; i < 100000; i++) d.set('again:' + i, i);
    // Writes move entries as they go: the last move may still be under way.
    let t = 0;
    const clock = (): number => t++;
    while (d.rehashing) d.rehashFor(5, clock);
    assert.equal(d.rehashFor(5, clock), false);
    checkTables(d);
    assert.equal(d.size, 101000);
    for (let i = 99000; i < 100000; i++) assert.equal(d.get('key:' + i), i);
    for (let i = 0; i < 100000; i++) assert.equal(d.get('again:' + i), i);
  });
});

/** Keys with O(1) random choice and removal. */
class KeyPool {
  private readonly a: string[] = [];
  private readonly pos = new Map<string, number>();
  add(k: string): void {
    if (this.pos.has(k)) return;
    this.pos.set(k, this.a.length);
    this.a.push(k);
  }
  remove(k: string): void {
    const i = this.pos.get(k);
    if (i === undefined) return;
    const last = this.a.pop()!;
    if (i < this.a.length) {
      this.a[i] = last;
      this.pos.set(last, i);
    }
    this.pos.delete(k);
  }
  random(r: () => number): string | undefined {
    return this.a.length === 0 ? undefined : this.a[Math.floor(r() * this.a.length)];
  }
}

interface Walk {
  it: Iterator<string>;
  /** Keys present when the walk started and not deleted since. */
  mustSee: Set<string>;
  seen: Map<string, number>;
  /** The dict moved (grew or shrank) during the walk: a key may come twice. */
  grewDuring: boolean;
  capacityAtStart: number;
  done: boolean;
}

test('iterators kept across changes return every key present for their whole life (growth, shrinking, updates)', () => {
  for (const seed of [11, 12, 13, 14, 15, 16]) {
    withChunks(2, () => {
      const r = rng(seed);
      const d = new Dict<number>();
      const model = new Map<string, number>();
      const pool = new KeyPool();
      for (let i = 0; i < 50; i++) {
        d.set('p' + i, i);
        model.set('p' + i, i);
        pool.add('p' + i);
      }
      const walks: Walk[] = [];
      let finished = 0;
      let duplicates = 0;
      let dupFreeWalks = 0;
      let next = 0;
      for (let step = 0; step < 60000; step++) {
        const x = r();
        if (x < 0.01 || walks.length === 0) {
          walks.push({ it: d.keys(), mustSee: new Set(model.keys()), seen: new Map(), grewDuring: d.rehashing, capacityAtStart: d.capacity, done: false });
        } else if (x < 0.45) {
          // Phases: grow to ~6000 keys, shrink, grow again.
          const phase = Math.floor(step / 15000) % 2;
          if (r() < (phase === 0 ? 0.75 : 0.3)) {
            const k = 'k' + next++;
            d.set(k, step);
            model.set(k, step);
            pool.add(k);
          } else if (model.size > 0) {
            const k = pool.random(r)!;
            d.delete(k);
            model.delete(k);
            pool.remove(k);
            for (const w of walks) w.mustSee.delete(k);
          }
        } else if (x < 0.5 && model.size > 0) {
          // Updates keep the key present.
          const k = pool.random(r)!;
          d.set(k, -step);
          model.set(k, -step);
        } else {
          const w = walks[Math.floor(r() * walks.length)];
          for (let n = 0; n < 25; n++) {
            const res = w.it.next();
            if (res.done) {
              w.done = true;
              break;
            }
            const k = res.value;
            assert.ok(model.has(k), `walk returned ${k}, which is not there`);
            w.seen.set(k, (w.seen.get(k) ?? 0) + 1);
          }
          if (d.capacity !== w.capacityAtStart || d.rehashing) w.grewDuring = true;
          if (w.done) {
            for (const k of w.mustSee) assert.ok(w.seen.has(k), `seed ${seed}: ${k} present throughout was not returned`);
            let dups = 0;
            for (const c of w.seen.values()) if (c > 1) dups++;
            if (!w.grewDuring) assert.equal(dups, 0, 'duplicates without a move');
            else dupFreeWalks += dups === 0 ? 1 : 0;
            duplicates += dups;
            finished++;
            walks.splice(walks.indexOf(w), 1);
          }
        }
        assert.equal(d.size, model.size);
      }
      assert.ok(finished > 50, `finished ${finished} walks`);
      // A shrink during a walk may repeat keys, but rarely.
      assert.ok(duplicates < finished * 50, `duplicates ${duplicates}`);
      void dupFreeWalks;
    });
  }
});

test('SCAN through scanBatch and ScanCursors over a growing dict: complete, every returned key exists', () => {
  withChunks(4, () => {
    const r = rng(99);
    const cursors = new ScanCursors();
    const d = new Dict<number>();
    for (let i = 0; i < 2000; i++) d.set('a' + i, i);
    let next = 0;
    for (let round = 0; round < 10; round++) {
      const mustSee = new Set(d.keys());
      const seen = new Set<string>();
      let cursor = 0;
      let calls = 0;
      do {
        const out: string[] = [];
        cursor = scanBatch(cursors, cursor, d, () => d.keys(), 1 + Math.floor(r() * 20), out);
        calls++;
        for (const k of out) if (d.has(k)) seen.add(k); // the look-ahead key may be gone: SCAN skips those
        // Between calls: the dict grows (slower than the walk progresses), and some keys go.
        for (let i = 0; i < 6; i++) {
          if (r() < 0.8) d.set('n' + next++, i);
          else {
            const k = 'a' + Math.floor(r() * 2000);
            if (d.delete(k)) mustSee.delete(k);
          }
        }
      } while (cursor !== 0);
      for (const k of mustSee) assert.ok(seen.has(k), `round ${round}: ${k} not returned`);
      assert.ok(calls > 10);
    }
    assert.ok(d.capacity >= 4096, `${d.capacity} slots`);
  });
});

test('an endless rotating iterator (the active expiry sampler) keeps visiting every key while the dict grows', () => {
  withChunks(2, () => {
    const d = new Dict<number>();
    for (let i = 0; i < 100; i++) d.set('x' + i, i);
    let it = d.entries();
    const visits = new Map<string, number>();
    let added = 0;
    for (let pass = 0; pass < 3000; pass++) {
      let r = it.next();
      if (r.done) {
        it = d.entries();
        r = it.next();
      }
      const [k, v] = r.value!;
      assert.equal(d.get(k), v);
      visits.set(k, (visits.get(k) ?? 0) + 1);
      if (pass % 3 === 0) d.set('y' + added++, pass);
    }
    for (let i = 0; i < 100; i++) assert.ok((visits.get('x' + i) ?? 0) >= 1, 'x' + i);
  });
});

test('clear() and emptying end iterators; clone() is independent, also mid-move', () => {
  withChunks(4, () => {
    const d = new Dict<number>();
    for (let i = 0; i < 1000; i++) d.set('k' + i, i);
    const it = d.keys();
    it.next();
    d.clear();
    assert.equal(it.next().done, true);
    assert.equal(d.size, 0);
    assert.equal(d.capacity, 8);

    for (let i = 0; i < 1000; i++) d.set('k' + i, i);
    while (!d.rehashing) d.set('m' + d.size, 0);
    const copy = d.clone();
    assert.equal(copy.rehashing, true);
    const model = new Map(d.entries());
    sameContents(copy, model);
    for (let i = 0; i < 500; i++) copy.delete('k' + i);
    for (let i = 0; i < 3000; i++) copy.set('c' + i, i);
    checkTables(copy);
    sameContents(d, model);
    checkTables(d);
    assert.equal(copy.size, model.size - 500 + 3000);
    const small = new Dict<number>([['a', 1], ['b', 2]]);
    const sc = small.clone();
    sc.set('c', 3);
    assert.equal(small.size, 2);
    assert.equal(sc.size, 3);
  });
});

test('randomKey draws keys about uniformly: full tables, during a move, after mass deletions', () => {
  withChunks(4, () => {
    const check = (d: Dict<number>, label: string): void => {
      const n = d.size;
      const counts = new Map<string, number>();
      const draws = n * 100;
      for (let j = 0; j < draws; j++) {
        const k = d.randomKey()!;
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
      assert.equal(counts.size, n, label);
      // Expected 100 per key; Poisson spread: a key seen fewer than 50 or more than 160 times is a bias.
      for (const [k, c] of counts) {
        assert.ok(d.has(k), `${label}: ${k} is not in the dict`);
        assert.ok(c > 50 && c < 160, `${label}: ${k}: ${c}`);
      }
    };
    const d = new Dict<number>();
    for (let i = 0; i < 3000; i++) d.set('r' + i, i);
    check(d, 'full');
    while (!d.rehashing) d.set('r' + d.size, 0);
    assert.ok(d.rehashing);
    check(d, 'growing');
    // A few keys left in a big table: shrinking.
    for (let i = 0; d.size > 500; i++) d.delete('r' + i);
    check(d, 'after deletions');
    assert.equal(new Dict<number>().randomKey(), undefined);
  });
});

test('Chunked matches an array across chunk boundaries', () => {
  const r = rng(5);
  const c = new Chunked<number>();
  const a: number[] = [];
  for (let step = 0; step < 400000; step++) {
    const x = r();
    if (x < 0.6 || a.length === 0) {
      c.push(step);
      a.push(step);
    } else if (x < 0.9) {
      assert.equal(c.pop(), a.pop());
    } else {
      const i = Math.floor(r() * a.length);
      assert.equal(c.at(i), a[i]);
      c.set(i, -step);
      a[i] = -step;
    }
    assert.equal(c.length, a.length);
  }
  assert.ok(a.length > 65536, `${a.length}`);
  assert.deepEqual([...c], a);
  const cl = c.clone();
  cl.push(1);
  cl.set(0, 12345);
  assert.equal(c.length, a.length);
  assert.equal(c.at(0), a[0]);
  assert.deepEqual([...Chunked.from([1, 2, 3])], [1, 2, 3]);
});

test('sets and hashes in the hashtable encoding stay consistent in chunked tables', () => {
  withChunks(3, () => {
    const r = rng(21);
    const s = new SetValue(Enc.Hashtable);
    const h = new HashValue();
    const limits = { intsetEntries: 4, listpackEntries: 4, listpackValue: 64 };
    const model = new Set<string>();
    const hmodel = new Map<string, string>();
    for (let step = 0; step < 20000; step++) {
      const m = 'm' + Math.floor(r() * 3000);
      const x = r();
      if (x < 0.55) {
        assert.equal(s.add(m, limits), !model.has(m));
        model.add(m);
        assert.equal(h.set(m, 'v' + step, limits), !hmodel.has(m));
        hmodel.set(m, 'v' + step);
      } else if (x < 0.8) {
        assert.equal(s.remove(m), model.delete(m));
        assert.equal(h.delete(m), hmodel.delete(m));
      } else if (x < 0.9 && model.size > 0) {
        const p = s.popRandom();
        assert.ok(model.delete(p));
      } else {
        assert.equal(s.has(m), model.has(m));
        assert.equal(h.get(m), hmodel.get(m));
      }
      assert.equal(s.size, model.size);
      assert.equal(h.size, hmodel.size);
    }
    assert.ok(s.idx!.capacity > 8);
    assert.deepEqual([...s].sort(), [...model].sort());
    for (const [m, i] of s.idx!) assert.equal(s.at(i), m);
    for (let i = 0; i < h.size; i++) assert.equal(hmodel.get(h.fieldAt(i)), h.valueAt(i));
    const fields = new Set<string>();
    for (let it = h.scanIterator(), x = it.next(); !x.done; x = it.next()) fields.add(x.value);
    assert.deepEqual([...fields].sort(), [...hmodel.keys()].sort());
    const sc = s.clone();
    sc.add('new', limits);
    assert.ok(!s.has('new'));
    assert.deepEqual([...sc].sort(), [...model, 'new'].sort());
  });
});

test('sampleIndices: k distinct indices below n, in order when asked, for few, many and millions of draws', () => {
  for (const [n, k] of [
    [10, 9], // Fisher-Yates
    [1000, 10], // rejection with a Set
    [13_000_000, 4_200_000], // rejection with a bitmap (more draws than a Set holds comfortably)
  ]) {
    for (const ordered of [false, true]) {
      const picks = sampleIndices(n, k, ordered);
      assert.equal(picks.length, k);
      const seen = new Uint8Array(n);
      let sorted = true;
      for (let i = 0; i < k; i++) {
        const x = picks[i];
        assert.ok(Number.isInteger(x) && x >= 0 && x < n);
        assert.equal(seen[x], 0, `index ${x} drawn twice`);
        seen[x] = 1;
        if (i > 0 && picks[i - 1] > x) sorted = false;
      }
      if (ordered) assert.ok(sorted);
      else if (k > 5) assert.ok(!sorted);
    }
  }
});
