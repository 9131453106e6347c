// Dict: a string-keyed hash table of our own, without the JavaScript Map's
// size cap (a V8 Map holds at most 2^24 entries) and cheaper than a Map on
// big tables (docs/performance.md, "Big keyspaces").
//
// Layout (a compact dict, as CPython's). The entries (key and value side by
// side) are kept in an entry store in the order they came (a deleted entry's
// place is reused by a later one), and an index of 2^bits slots, open
// addressing with linear probing, holds per slot our own 32-bit hash of the
// key (0: empty slot) and the position of its entry, side by side in an
// Int32Array.
//
// Why: a lookup reads the index from the key's home slot (hash & mask) on,
// and reads an entry (and compares its key's string) only where the hash
// matches; a V8 Map follows a bucket to a chain of entries and reads every
// chained key. The entries, being in arrival order, lie in the order the
// garbage collector finds their keys and values in memory, and a new entry is
// written next to the one before. Keys and values kept at their hashed slots
// instead save one cache miss per lookup, but cost about 1.5 times as much
// CPU for a growing keyspace, most of it in the garbage collector (young
// keys and values referenced from random places, marked in random order),
// with final marking pauses of hundreds of ms at 2 M keys (docs/performance.md).
// The index holds no pointers: the GC never reads it. Every array is split into chunks
// of 2^chunkBits slots or entries (2^16 by default), so no JS array grows
// past V8's length limit however big the dict, and a big index's chunks are
// allocated by their first write. Deleting shifts the following slots of the
// cluster back (no tombstones), so a probe never runs past a run of occupied
// slots; a slot never moves before its home slot.
//
// Growth and shrinking are incremental, as Redis rehashes: an index more than
// 3/4 full starts moving to one twice as big, one less than 1/8 full (and
// bigger than the minimum) to one at most 1/4 full, and so does one whose
// entry store is more than half holes (with a new, compact entry store). While
// moving, new keys go to the new index (t1), and a walk over the old one
// (t0), starting at an empty slot, moves the slots it meets: each write walks
// REHASH_STEP (8) slots, and the server cron more for the keyspace dicts
// (rehashFor, like Redis's incrementallyRehash). The walk moves a whole
// cluster (a run of occupied slots) at once and empties its slots without
// shifting anything, which is safe as no probe sequence crosses an empty
// slot. A growth moves only the index (hashes and entry positions): the
// entries stay where they are. A key whose home slot the walk passed is in t1;
// any other is in t0 or, if added since the move began, in t1 (a lookup of a
// missing key probes both). Reads never move anything.
//
// Iteration (keys, values, entries, for-of, forEach) and SCAN walk home slots
// with Redis's reverse-binary cursor (dictScan): visiting cursor v returns the
// entries whose hash has the low bits of v, from both indexes while moving.
// That cursor covers every hash however the index changes size in between,
// so an iterator kept across commands (SCAN, the active expiry cycle)
// returns every entry present for its whole life at least once; an entry
// comes twice only if the index shrank (or the entry was deleted and added
// again) during the iteration, as in Redis. A visit is atomic: the entries of
// one cursor position are copied into the iterator, then handed out one by
// one; if the dict changed meanwhile (a delete or an update: `version`), each
// is looked up again, so a deleted entry is never returned and a value is
// always the current one.
//
// Values must not be `undefined` (get() answers undefined for a missing key).

/** Elements per chunk of every array, as a power of two (at most 16); tests lower it. */
let chunkBits = 16;

/**
 * Sets the chunk size to 2^bits elements (tests lower it to exercise
 * chunked tables with few keys). Applies to tables made afterwards.
 */
export function setDictChunkBits(bits: number): void {
  chunkBits = Math.max(1, Math.min(16, Math.floor(bits)));
  zeroChunk = new Int32Array(2 << chunkBits);
}

export function dictChunkBits(): number {
  return chunkBits;
}

/**
 * The chunk of a big index not written yet: all slots empty; shared, never
 * written (a chunk gets an array of its own first).
 */
let zeroChunk = new Int32Array(2 << chunkBits);

/** Smallest index: 8 slots. */
const MIN_BITS = 3;
/** Largest index: 2^30 slots (805 M entries at 3/4). */
const MAX_BITS = 30;
/** Slots of the old index walked by each write while the dict is moving to a new one. */
const REHASH_STEP = 8;
/** Holes in an entry store beyond its entries' number that make a move to a compact one. */
const HOLES_SLACK = 64;

/** Per-process hash seed, so that the slot of a key cannot be predicted from outside. */
const SEED = (Math.random() * 0x100000000) >>> 0;

/**
 * A nonzero 32-bit hash (as an int32) of a string: FNV-1a over the chars
 * from a random seed, finished with murmur3's fmix32 so that the low bits
 * (the home slot) depend on every char.
 */
export function dictHash(k: string): number {
  let h = SEED ^ 0x811c9dc5;
  const n = k.length;
  for (let i = 0; i < n; i++) h = Math.imul(h ^ k.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h === 0 ? 1 : h;
}

/** Reverse-binary increment of a cursor over `bits` bits (Redis's dictScan); 0 when the walk is over. */
export function nextCursor(v: number, bits: number): number {
  if (bits === 0) return 0;
  v = (v | ~((1 << bits) - 1)) >>> 0;
  v = reverseBits(v);
  v = (v + 1) >>> 0;
  return reverseBits(v);
}

function reverseBits(v: number): number {
  v = ((v >>> 1) & 0x55555555) | ((v & 0x55555555) << 1);
  v = ((v >>> 2) & 0x33333333) | ((v & 0x33333333) << 2);
  v = ((v >>> 4) & 0x0f0f0f0f) | ((v & 0x0f0f0f0f) << 4);
  v = ((v >>> 8) & 0x00ff00ff) | ((v & 0x00ff00ff) << 8);
  return ((v >>> 16) | (v << 16)) >>> 0;
}

/** A new, empty chunk of entries, growing by push; `undefined` first, so that every chunk has one elements kind. */
function entryChunk(): any[] {
  const a: any[] = [undefined];
  a.length = 0;
  return a;
}

/**
 * The entries of an index, in arrival order: entry e is elements 2o (key)
 * and 2o + 1 (value) of chunk e >>> bits, o = e & mask. A free place holds
 * the position of the next free one (-1: none) as its key: a number, which no
 * key (a string) equals.
 */
class EntryStore<V> {
  readonly bits: number;
  readonly mask: number;
  readonly kv: any[][];
  /** Places used (entries and holes). */
  next = 0;
  /** The first free place, or -1. */
  free = -1;
  /** Free places. */
  holes = 0;

  constructor(copyOf?: EntryStore<V>) {
    if (copyOf !== undefined) {
      this.bits = copyOf.bits;
      this.mask = copyOf.mask;
      this.kv = copyOf.kv.map((a) => a.slice());
      this.next = copyOf.next;
      this.free = copyOf.free;
      this.holes = copyOf.holes;
      return;
    }
    this.bits = chunkBits;
    this.mask = (1 << chunkBits) - 1;
    this.kv = [entryChunk()];
  }

  keyAt(e: number): string | number {
    return this.kv[e >>> this.bits][(e & this.mask) << 1];
  }

  valueAt(e: number): V {
    return this.kv[e >>> this.bits][((e & this.mask) << 1) + 1];
  }

  setValue(e: number, v: V): void {
    this.kv[e >>> this.bits][((e & this.mask) << 1) + 1] = v;
  }

  /** Stores an entry at a free place or at the end; returns its position. */
  add(k: string, v: V): number {
    const e = this.free;
    if (e >= 0) {
      const c = this.kv[e >>> this.bits];
      const o = (e & this.mask) << 1;
      this.free = c[o];
      c[o] = k;
      c[o + 1] = v;
      this.holes--;
      return e;
    }
    const n = this.next++;
    const ci = n >>> this.bits;
    if (ci === this.kv.length) this.kv.push(entryChunk());
    const c = this.kv[ci];
    c.push(k, v);
    return n;
  }

  /** Frees the place of a deleted entry. */
  remove(e: number): void {
    const c = this.kv[e >>> this.bits];
    const o = (e & this.mask) << 1;
    c[o] = this.free;
    c[o + 1] = undefined;
    this.free = e;
    this.holes++;
  }
}

/**
 * One index of 2^bits slots: slot i is ints 2o and 2o + 1 (hash, entry
 * position + 1) of chunk i >>> cbits, o = i & cmask.
 */
class Table<V> {
  readonly bits: number;
  readonly mask: number;
  readonly cbits: number;
  readonly cmask: number;
  /** The shared empty chunk standing for chunks not written yet. */
  readonly zero: Int32Array;
  readonly ix: Int32Array[];
  /** Where this index's entries are. */
  readonly store: EntryStore<V>;
  /** Occupied slots. */
  count = 0;

  constructor(bits: number, store: EntryStore<V>, copyOf?: Table<V>) {
    this.bits = bits;
    this.mask = (2 ** bits - 1) | 0;
    this.store = store;
    if (copyOf !== undefined) {
      this.cbits = copyOf.cbits;
      this.cmask = copyOf.cmask;
      this.zero = copyOf.zero;
      this.ix = copyOf.ix.map((c) => (c === copyOf.zero ? c : c.slice()));
      this.count = copyOf.count;
      return;
    }
    this.cbits = Math.min(bits, chunkBits);
    this.cmask = (1 << this.cbits) - 1;
    this.zero = zeroChunk;
    this.ix = [];
    const chunks = 2 ** (bits - this.cbits);
    // One chunk: allocated now (a small index is written at once).
    if (chunks === 1) this.ix.push(new Int32Array(2 << this.cbits));
    else for (let c = 0; c < chunks; c++) this.ix.push(zeroChunk);
  }

  get size(): number {
    return 2 ** this.bits;
  }

  /** The slot of key k (hash h), or -1. */
  find(h: number, k: string): number {
    const mask = this.mask;
    const cbits = this.cbits;
    const cmask = this.cmask;
    const store = this.store;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const ic = this.ix[i >>> cbits];
      const o = (i & cmask) << 1;
      const x = ic[o];
      if (x === h) {
        if (store.keyAt(ic[o + 1] - 1) === k) return i;
      } else if (x === 0) {
        return -1;
      }
    }
  }

  /** The entry position of slot i. */
  entryAt(i: number): number {
    return this.ix[i >>> this.cbits][((i & this.cmask) << 1) + 1] - 1;
  }

  /** Puts hash h and entry position e in the first empty slot from h's home slot on. */
  put(h: number, e: number): void {
    const mask = this.mask;
    const cbits = this.cbits;
    const cmask = this.cmask;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const c = i >>> cbits;
      let ic = this.ix[c];
      const o = (i & cmask) << 1;
      if (ic[o] === 0) {
        if (ic === this.zero) ic = this.ix[c] = new Int32Array(2 << cbits);
        ic[o] = h;
        ic[o + 1] = e + 1;
        this.count++;
        return;
      }
    }
  }

  /**
   * Empties slot i, shifting back the slots after it in its cluster that may
   * move (a slot never moves before its home slot), so that lookups need no
   * tombstones.
   */
  remove(i: number): void {
    const mask = this.mask;
    const cbits = this.cbits;
    const cmask = this.cmask;
    const ix = this.ix;
    let hole = i;
    for (let j = (i + 1) & mask; ; j = (j + 1) & mask) {
      const jc = ix[j >>> cbits];
      const jo = (j & cmask) << 1;
      const x = jc[jo];
      if (x === 0) break;
      // The slot at j may fill the hole if the hole lies between its home and j.
      if (((j - (x & mask)) & mask) >= ((j - hole) & mask)) {
        const hc = ix[hole >>> cbits];
        const ho = (hole & cmask) << 1;
        hc[ho] = x;
        hc[ho + 1] = jc[jo + 1];
        hole = j;
      }
    }
    const hc = ix[hole >>> cbits];
    const ho = (hole & cmask) << 1;
    hc[ho] = 0;
    hc[ho + 1] = 0;
    this.count--;
  }

  /** Appends the entries whose home slot is b (their slots lie between b and the next empty slot). */
  collect(b: number, outK: string[], outV: V[]): void {
    const mask = this.mask;
    const cbits = this.cbits;
    const cmask = this.cmask;
    const store = this.store;
    for (let i = b; ; i = (i + 1) & mask) {
      const ic = this.ix[i >>> cbits];
      const o = (i & cmask) << 1;
      const x = ic[o];
      if (x === 0) return;
      if ((x & mask) === b) {
        const e = ic[o + 1] - 1;
        outK.push(store.keyAt(e) as string);
        outV.push(store.valueAt(e));
      }
    }
  }
}

const enum Kind {
  Keys,
  Values,
  Entries,
}

export class Dict<V> implements Iterable<[string, V]> {
  // Field initializers, not constructor assignments: every Dict gets the same
  // hidden class and V8 tracks each field's type from its first value.

  /** The index; while moving, the one slots move from. */
  private t0 = new Table<V>(MIN_BITS, new EntryStore<V>());
  /** While moving: the index slots move to, and new keys go to. */
  private t1: Table<V> | null = null;
  /** While moving: the slot of t0 the walk started from (empty then), and the slots walked since. */
  private moveFrom = 0;
  private moved = 0;
  /** Changes whenever an entry is deleted or its value replaced (iterators look their entries up again). */
  private version = 0;

  constructor(entries?: Iterable<readonly [string, V]>) {
    if (entries !== undefined) for (const [k, v] of entries) this.set(k, v);
  }

  get size(): number {
    const t1 = this.t1;
    return t1 === null ? this.t0.count : this.t0.count + t1.count;
  }

  get(k: string): V | undefined {
    const h = dictHash(k);
    const t1 = this.t1;
    let t = this.t0;
    if (t1 !== null && ((h - this.moveFrom) & t.mask) < this.moved) t = t1;
    for (;;) {
      const mask = t.mask;
      const cbits = t.cbits;
      const cmask = t.cmask;
      const ix = t.ix;
      const store = t.store;
      const sbits = store.bits;
      const smask = store.mask;
      for (let i = h & mask; ; i = (i + 1) & mask) {
        const ic = ix[i >>> cbits];
        const o = (i & cmask) << 1;
        const x = ic[o];
        if (x === h) {
          const e = ic[o + 1] - 1;
          const ec = store.kv[e >>> sbits];
          const eo = (e & smask) << 1;
          if (ec[eo] === k) return ec[eo + 1];
        } else if (x === 0) {
          break;
        }
      }
      // While moving, a key added since the move began is in t1.
      if (t1 === null || t === t1) return undefined;
      t = t1;
    }
  }

  has(k: string): boolean {
    const h = dictHash(k);
    const t = this.tableFor(h);
    if (t.find(h, k) >= 0) return true;
    const t1 = this.t1;
    return t1 !== null && t !== t1 && t1.find(h, k) >= 0;
  }

  set(k: string, v: V): this {
    if (this.t1 !== null) this.rehashStep(REHASH_STEP);
    const h = dictHash(k);
    let t = this.tableFor(h);
    for (;;) {
      const i = t.find(h, k);
      if (i >= 0) {
        t.store.setValue(t.entryAt(i), v);
        this.version++;
        return this;
      }
      const t1 = this.t1;
      if (t1 === null || t === t1) break;
      t = t1;
    }
    this.addNew(h, k, v);
    return this;
  }

  delete(k: string): boolean {
    if (this.t1 !== null) this.rehashStep(REHASH_STEP);
    const h = dictHash(k);
    let t = this.tableFor(h);
    let i = t.find(h, k);
    if (i < 0) {
      const t1 = this.t1;
      if (t1 === null || t === t1) return false;
      t = t1;
      i = t.find(h, k);
      if (i < 0) return false;
    }
    t.store.remove(t.entryAt(i));
    t.remove(i);
    this.version++;
    const t0 = this.t0;
    if (this.t1 !== null) {
      if (t0.count + this.t1.count === 0) this.reset();
    } else if (t0.count === 0) {
      this.reset();
    } else if ((t0.bits > MIN_BITS && t0.count < 2 ** (t0.bits - 3)) || t0.store.holes > t0.count + HOLES_SLACK) {
      // Less than 1/8 full, or more holes than entries: move to an index at
      // most 1/4 full, with a compact entry store.
      this.startMove(bitsFor(t0.count * 2), new EntryStore<V>());
    }
    return true;
  }

  /** Removes every entry; the dict is one empty minimum index again. */
  clear(): void {
    this.reset();
  }

  keys(): DictIterator<V, string> {
    return new DictIterator<V, string>(this, Kind.Keys);
  }

  values(): DictIterator<V, V> {
    return new DictIterator<V, V>(this, Kind.Values);
  }

  entries(): DictIterator<V, [string, V]> {
    return new DictIterator<V, [string, V]>(this, Kind.Entries);
  }

  [Symbol.iterator](): DictIterator<V, [string, V]> {
    return this.entries();
  }

  forEach(fn: (value: V, key: string, dict: Dict<V>) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }

  /** An independent copy with the same layout (a move in progress goes on in the copy). */
  clone(): Dict<V> {
    const d = new Dict<V>();
    const t0 = this.t0;
    const t1 = this.t1;
    const store0 = new EntryStore<V>(t0.store);
    d.t0 = new Table<V>(t0.bits, store0, t0);
    if (t1 !== null) d.t1 = new Table<V>(t1.bits, t1.store === t0.store ? store0 : new EntryStore<V>(t1.store), t1);
    d.moveFrom = this.moveFrom;
    d.moved = this.moved;
    return d;
  }

  /** True while entries are moving to a new index. */
  get rehashing(): boolean {
    return this.t1 !== null;
  }

  /** Slots of the index new entries go to (the new one while moving), for tests and reports. */
  get capacity(): number {
    return (this.t1 ?? this.t0).size;
  }

  /**
   * Moves entries of a move in progress for about `ms` milliseconds (the
   * cron's share, like Redis's dictRehashMilliseconds). Returns true if the
   * dict was moving.
   */
  rehashFor(ms: number, now: () => number): boolean {
    if (this.t1 === null) return false;
    const end = now() + ms;
    do this.rehashStep(1000);
    while (this.t1 !== null && now() < end);
    return true;
  }

  /**
   * A uniformly random key (undefined when empty): random slots until one is
   * occupied, a few tries as an index is at least 1/8 full (but while a
   * shrink walks the old one, which may take more); past 256 misses, the r-th
   * key in slot order (O(slots), uniform as well).
   */
  randomKey(): string | undefined {
    const size = this.size;
    if (size === 0) return undefined;
    const t0 = this.t0;
    const t1 = this.t1;
    const n0 = t0.size;
    const total = t1 === null ? n0 : n0 + t1.size;
    for (let tries = 0; tries < 256; tries++) {
      let i = Math.floor(Math.random() * total);
      let t = t0;
      if (i >= n0) {
        t = t1!;
        i -= n0;
      }
      const ic = t.ix[i >>> t.cbits];
      const o = (i & t.cmask) << 1;
      if (ic[o] !== 0) return t.store.keyAt(ic[o + 1] - 1) as string;
    }
    let r = Math.floor(Math.random() * size);
    for (const t of t1 === null ? [t0] : [t0, t1]) {
      if (r >= t.count) {
        r -= t.count;
        continue;
      }
      for (let c = 0; c < t.ix.length; c++) {
        const ic = t.ix[c];
        if (ic === t.zero) continue;
        for (let o = 0; o < ic.length; o += 2) if (ic[o] !== 0 && r-- === 0) return t.store.keyAt(ic[o + 1] - 1) as string;
      }
    }
    return undefined; // not reached: r < size
  }

  // -------------------------------------------------------------------------

  /**
   * The index to look a key up in first: t1 if the walk of a move passed its
   * home slot in t0, else t0 (and then t1, which new keys go to while moving).
   */
  private tableFor(h: number): Table<V> {
    const t0 = this.t0;
    const t1 = this.t1;
    return t1 !== null && ((h - this.moveFrom) & t0.mask) < this.moved ? t1 : t0;
  }

  /** Adds an entry whose key is known to be absent from the dict. */
  private addNew(h: number, k: string, v: V): void {
    let t1 = this.t1;
    if (t1 !== null && t1.count >= 2 ** t1.bits - 2 ** (t1.bits - 3)) {
      // The new index nearly full while moving (a burst of inserts while
      // shrinking): finish the move.
      while (this.t1 !== null) this.rehashStep(1 << 16);
      t1 = null;
    }
    if (t1 === null) {
      const t0 = this.t0;
      if (t0.count < 3 * 2 ** (t0.bits - 2)) {
        t0.put(h, t0.store.add(k, v));
        return;
      }
      if (t0.bits >= MAX_BITS) {
        if (t0.count >= 2 ** t0.bits - 2 ** (t0.bits - 3)) throw new RangeError('Dict maximum size exceeded');
        t0.put(h, t0.store.add(k, v));
        return;
      }
      // More than 3/4 full: move to an index twice as big (the entries stay).
      this.startMove(t0.bits + 1, t0.store);
      t1 = this.t1!;
    }
    t1.put(h, t1.store.add(k, v));
  }

  /** Starts moving to a new index of 2^bits slots with entry store `store`; the walk starts at an empty slot of t0. */
  private startMove(bits: number, store: EntryStore<V>): void {
    const t0 = this.t0;
    let from = 0;
    while (t0.ix[from >>> t0.cbits][(from & t0.cmask) << 1] !== 0) from++;
    this.t1 = new Table<V>(bits, store);
    this.moveFrom = from;
    this.moved = 0;
  }

  /**
   * Walks at least n more slots of t0, moving the slots met to t1; ends the
   * move when t0 is empty. An occupied slot's whole cluster moves at once,
   * its slots emptied without shifting anything: no probe sequence crosses
   * an empty slot, so no other key's lookup ran through them. (t0 takes no
   * new keys while moving, so the walk always stands just after an empty
   * slot, and the home slots it passed hold nothing in t0.)
   */
  private rehashStep(n: number): void {
    const t0 = this.t0;
    const t1 = this.t1!;
    const mask = t0.mask;
    const cbits = t0.cbits;
    const cmask = t0.cmask;
    const s0 = t0.store;
    const s1 = t1.store;
    const sameStore = s0 === s1;
    const from = this.moveFrom;
    let moved = this.moved;
    const end = moved + n;
    while (moved < end && t0.count !== 0) {
      for (let i = (from + moved) & mask; ; i = (i + 1) & mask) {
        const ic = t0.ix[i >>> cbits];
        const o = (i & cmask) << 1;
        const x = ic[o];
        moved++;
        if (x === 0) break;
        const e = ic[o + 1] - 1;
        t1.put(x, sameStore ? e : s1.add(s0.keyAt(e) as string, s0.valueAt(e)));
        ic[o] = 0;
        ic[o + 1] = 0;
        t0.count--;
      }
    }
    this.moved = moved;
    if (t0.count === 0) {
      this.t0 = t1;
      this.t1 = null;
      this.moveFrom = 0;
      this.moved = 0;
    }
  }

  /** Back to one empty minimum index. */
  private reset(): void {
    this.t0 = new Table<V>(MIN_BITS, new EntryStore<V>());
    this.t1 = null;
    this.moveFrom = 0;
    this.moved = 0;
    this.version++;
  }

  // -------------------------------------------------------------------------
  // For DictIterator

  /** @internal See `version`. */
  iterVersion(): number {
    return this.version;
  }

  /**
   * @internal Appends the entries at cursor v (those whose hash has the low
   * bits of v, from both indexes while moving) and returns the next cursor (0
   * at the end): Redis's dictScan step.
   */
  visit(v: number, outK: string[], outV: V[]): number {
    const t1 = this.t1;
    if (t1 === null) {
      const t = this.t0;
      t.collect(v & t.mask, outK, outV);
      return nextCursor(v, t.bits);
    }
    let small = this.t0;
    let big = t1;
    if (small.bits > big.bits) {
      small = t1;
      big = this.t0;
    }
    const m0 = small.mask;
    const m1 = big.mask;
    small.collect(v & m0, outK, outV);
    // The slots of the bigger index that expand v's slot in the smaller one.
    do {
      big.collect(v & m1, outK, outV);
      v = (v | ~m1) >>> 0;
      v = reverseBits(v);
      v = (v + 1) >>> 0;
      v = reverseBits(v);
    } while ((v & (m0 ^ m1)) !== 0);
    return v;
  }
}

/** The table bits that give n entries a table at most half full (at least the minimum). */
function bitsFor(n: number): number {
  let bits = MIN_BITS;
  while (2 ** bits < n * 2 && bits < MAX_BITS) bits++;
  return bits;
}

const DONE: IteratorResult<never> = { done: true, value: undefined };

/**
 * Iterator over a Dict by Redis's scan cursor (see the top of this file):
 * valid across any changes of the dict, kept across commands by SCAN and the
 * active expiry cycle.
 */
export class DictIterator<V, T> implements IterableIterator<T> {
  /** The entries of the last visited cursor position not handed out yet. */
  private readonly bufK: string[] = [];
  private readonly bufV: V[] = [];
  private pos = 0;
  /** The dict's version when the buffer was filled. */
  private filled = 0;
  /** The next cursor position to visit. */
  private cursor = 0;
  private ended = false;

  constructor(
    private readonly dict: Dict<V>,
    private readonly kind: Kind,
  ) {}

  [Symbol.iterator](): this {
    return this;
  }

  next(): IteratorResult<T> {
    for (;;) {
      if (this.pos < this.bufK.length) {
        const i = this.pos++;
        const k = this.bufK[i];
        let v: V | undefined = this.bufV[i];
        if (this.dict.iterVersion() !== this.filled) {
          // Deleted or updated since the visit: the current state decides.
          v = this.dict.get(k);
          if (v === undefined) continue;
        }
        const kind = this.kind;
        return { done: false, value: (kind === Kind.Keys ? k : kind === Kind.Values ? v : [k, v]) as T };
      }
      this.bufK.length = 0;
      this.bufV.length = 0;
      this.pos = 0;
      if (this.ended) return DONE;
      this.filled = this.dict.iterVersion();
      this.cursor = this.dict.visit(this.cursor, this.bufK, this.bufV);
      if (this.cursor === 0) this.ended = true;
    }
  }
}
