// The Dict (src/types/dict.ts) against a Map model, with the shard limit
// lowered so that a few thousand keys take it through many growths: random
// operations, iteration and SCAN (scanBatch + ScanCursors) interleaved with
// growth, the active expiry's endless iteration, random Maps, and the Chunked
// array (src/types/chunked.ts) and the set/hash hashtables built on both.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dict, nextCursor, setDictShardLimit, dictShardLimit } from '../../src/types/dict.js';
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

/** Runs fn with the shard limit lowered to `limit`. */
function withLimit(limit: number, fn: () => void): void {
  const saved = dictShardLimit();
  setDictShardLimit(limit);
  try {
    fn();
  } finally {
    setDictShardLimit(saved);
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

test('random operations match a Map model across many growths, with growth moving entries incrementally', () => {
  for (const seed of [1, 2, 3, 4]) {
    withLimit(4, () => {
      const r = rng(seed);
      const d = new Dict<number>();
      const model = new Map<string, number>();
      let maxShards = 1;
      let sawRehashing = false;
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
        maxShards = Math.max(maxShards, d.shards);
        sawRehashing ||= d.rehashing;
        if (step % 5000 === 4999) sameContents(d, model);
      }
      sameContents(d, model);
      assert.ok(maxShards >= 1024, `grew to ${maxShards} shards`);
      assert.ok(sawRehashing);
      // Emptying returns to one Map.
      for (const k of [...model.keys()]) {
        assert.ok(d.delete(k));
        model.delete(k);
      }
      assert.equal(d.size, 0);
      assert.equal(d.shards, 1);
      d.set('a', 1);
      sameContents(d, new Map([['a', 1]]));
    });
  }
});

test('writes during a growth: updates, deletes and re-adds of keys of the shard being copied stay consistent', () => {
  // A big shard copied by many writes, and small shards through several growths.
  for (const [seed, limit, minGrowths] of [[31, 500, 1], [32, 500, 1], [33, 20, 3], [34, 20, 3]]) {
    withLimit(limit, () => {
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
      }
      assert.ok(growths >= minGrowths, `${growths} growths`);
      sameContents(d, model);
    });
  }
});

test('an iterator skips the copies of the old shard it already returned', () => {
  withLimit(1000, () => {
    const d = new Dict<number>();
    for (let i = 0; i <= 1000; i++) d.set('k' + i, i);
    assert.ok(d.rehashing);
    const it = d.keys();
    const seen = new Map<string, number>();
    // The old shard first: all 1001 keys, nothing copied yet.
    for (let i = 0; i <= 1000; i++) seen.set(it.next().value as string, 1);
    assert.equal(seen.size, 1001);
    // Writes copy part of the old shard into the new table (2 entries each).
    for (let i = 0; i < 20; i++) d.set('k' + i, -i);
    assert.ok(d.rehashing);
    for (let r = it.next(); !r.done; r = it.next()) seen.set(r.value, (seen.get(r.value) ?? 0) + 1);
    assert.equal(seen.size, 1001);
    for (const [k, c] of seen) assert.equal(c, 1, k);
  });
});

test('no shard Map ever holds much more than the limit; rehashFor finishes a growth', () => {
  withLimit(64, () => {
    const d = new Dict<number>();
    for (let i = 0; i < 100000; i++) {
      d.set('key:' + i, i);
      if (i % 997 === 0) {
        for (const m of (d as unknown as { cur: { maps: Map<string, number>[] } }).cur.maps) assert.ok(m.size <= 64 * 3, `shard of ${m.size}`);
      }
    }
    assert.ok(d.shards >= 1024);
    // Writes move entries as they go: the last growth may still be copying.
    let t = 0;
    const clock = (): number => t++;
    while (d.rehashing) d.rehashFor(5, clock);
    assert.equal(d.rehashFor(5, clock), false);
    assert.equal(d.size, 100000);
    for (let i = 0; i < 100000; i++) assert.equal(d.get('key:' + i), i);
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
  grewDuring: boolean;
  shardsAtStart: number;
  done: boolean;
}

test('iterators kept across changes return every key present for their whole life (growth, shrinking, updates)', () => {
  for (const seed of [11, 12, 13, 14, 15, 16]) {
    withLimit(3, () => {
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
          walks.push({ it: d.keys(), mustSee: new Set(model.keys()), seen: new Map(), grewDuring: d.rehashing, shardsAtStart: d.shards, done: false });
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
          if (d.shards !== w.shardsAtStart || d.rehashing) w.grewDuring = true;
          if (w.done) {
            for (const k of w.mustSee) assert.ok(w.seen.has(k), `seed ${seed}: ${k} present throughout was not returned`);
            let dups = 0;
            for (const c of w.seen.values()) if (c > 1) dups++;
            if (!w.grewDuring) assert.equal(dups, 0, 'duplicates without growth');
            else dupFreeWalks += dups === 0 ? 1 : 0;
            duplicates += dups;
            finished++;
            walks.splice(walks.indexOf(w), 1);
          }
        }
        assert.equal(d.size, model.size);
      }
      assert.ok(finished > 50, `finished ${finished} walks`);
      // Growth during a walk may repeat keys, but rarely.
      assert.ok(duplicates < finished * 50, `duplicates ${duplicates}`);
      void dupFreeWalks;
    });
  }
});

test('SCAN through scanBatch and ScanCursors over a growing dict: complete, every returned key exists', () => {
  withLimit(4, () => {
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
    assert.ok(d.shards >= 1024, `${d.shards} shards`);
  });
});

test('an endless rotating iterator (the active expiry sampler) keeps visiting every key while the dict grows', () => {
  withLimit(2, () => {
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

test('clear() and emptying end iterators; clone() is independent, also mid-growth', () => {
  withLimit(4, () => {
    const d = new Dict<number>();
    for (let i = 0; i < 1000; i++) d.set('k' + i, i);
    const it = d.keys();
    it.next();
    d.clear();
    assert.equal(it.next().done, true);
    assert.equal(d.size, 0);
    assert.equal(d.shards, 1);

    for (let i = 0; i < 1000; i++) d.set('k' + i, i);
    while (!d.rehashing) d.set('m' + d.size, 0);
    const copy = d.clone();
    assert.equal(copy.rehashing, true);
    const model = new Map(d.entries());
    sameContents(copy, model);
    for (let i = 0; i < 500; i++) copy.delete('k' + i);
    for (let i = 0; i < 3000; i++) copy.set('c' + i, i);
    sameContents(d, model);
    assert.equal(copy.size, model.size - 500 + 3000);
    const small = new Dict<number>([['a', 1], ['b', 2]]);
    const sc = small.clone();
    sc.set('c', 3);
    assert.equal(small.size, 2);
    assert.equal(sc.size, 3);
  });
});

test('randomMap picks Maps in proportion to their size: keys come out about uniformly', () => {
  withLimit(50, () => {
    const d = new Dict<number>();
    const n = 3000;
    for (let i = 0; i < n; i++) d.set('r' + i, i);
    assert.ok(d.shards >= 64);
    const counts = new Map<string, number>();
    const draws = 300000;
    for (let j = 0; j < draws; j++) {
      const m = d.randomMap()!;
      let i = Math.floor(Math.random() * m.size);
      for (const k of m.keys()) {
        if (i-- === 0) {
          counts.set(k, (counts.get(k) ?? 0) + 1);
          break;
        }
      }
    }
    assert.equal(counts.size, n);
    // Expected 100 per key; Poisson spread: a key seen fewer than 50 or more than 160 times is a bias.
    for (const [k, c] of counts) assert.ok(c > 50 && c < 160, `${k}: ${c}`);
    assert.equal(new Dict<number>().randomMap(), undefined);
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

test('sets and hashes in the hashtable encoding stay consistent past the shard limit', () => {
  withLimit(8, () => {
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
    assert.ok(s.idx!.shards > 1);
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
