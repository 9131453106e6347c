// Dict: a string-keyed dictionary without the JavaScript Map's size cap.
//
// A V8 Map (or Set) holds at most 2^24 entries ("RangeError: Map maximum size
// exceeded"). A Dict holds as many as memory allows:
//
// - Small (up to `shardLimit` entries, 2^22 by default): exactly one Map. Every
//   operation is one field load and one null check away from that Map.
// - Sharded: a table of 2^k Maps ("shards"); a key's shard is chosen by the
//   low k bits of our own hash of its chars (dictHash, seeded per process).
//   When the dict holds more than 2^k * shardLimit entries, a table of
//   2^(k+4) shards is made (GROW_BITS: 16 times as many, so growth copies
//   about one entry per 15 inserts, not one per insert as doubling would;
//   the first growth, 1 -> 16 Maps, copies the one Map's entries) and
//   the entries move to it INCREMENTALLY, as Redis rehashes: each write moves
//   a few (MOVES_PER_WRITE), and the server cron moves more for the keyspace
//   dicts (rehashFor, like Redis's incrementallyRehash). An entry of old shard
//   j goes to one of the new shards j + i * 2^k. No operation ever copies a
//   whole table.
//
// Moving, shard by shard in index order (`moveShard` is the one in progress):
// an old shard's entries are copied to the new table, then the old shard is
// emptied at once (a copy costs one Map set; no per-entry delete). So for an
// old shard j:
//   j < moveShard: empty; its keys live in the new table.
//   j > moveShard: holds its keys (updated in place); the new table holds only
//                  keys added since the growth began.
//   j = moveShard: a key may be in the old shard, the new table, or both with
//                  the same value (writes of a key of this shard go to both).
// Lookups consult the old shard when j >= moveShard, then the new table; at
// most one shard's entries exist twice.
//
// Reads never move entries, so iterating a dict while only reading it (KEYS,
// DEBUG DIGEST) sees each entry once. A dict that shrinks keeps its shards (an
// empty V8 Map shrinks its own storage); it returns to one Map when it becomes
// empty (`reset`).
//
// Iteration (keys, values, entries, for-of, forEach) walks *logical shards*:
// the entries whose hash has given low bits, the bits enumerated with Redis's
// reverse-binary cursor (dictScan), at the granularity of the smaller table.
// A logical shard is visited map by map with the Maps' own live iterators:
// during a growth, old shard j, then the new shards j + i * 2^k it splits
// into, skipping there the keys old shard j still holds (they were returned
// from it). Entries only ever go from old to new, so an entry copied before
// the old shard's iterator reached it is met in a new shard later. When the
// table grew again during the visit, the newer table's shards of the same
// logical shard follow. So an iterator kept across commands (SCAN, the active
// expiry cycle) returns every entry present for its whole life at least once,
// however the dict grows meanwhile. An entry is returned twice only when the
// growth emptied the old shard being visited, or grew the table again, during
// its logical shard's visit; with no growth during the iteration, every entry
// is returned exactly once. If the dict empties (and so returns to one Map),
// its iterators end: nothing was present for their whole life.
//
// Values must not be `undefined` (get() answers undefined for a missing key).

/** Largest number of entries one Map of a dict holds on average before the dict grows its table. */
let shardLimit = 1 << 22;

/**
 * Sets the shard limit (tests lower it to exercise sharding with few keys).
 * Applies to later growth decisions of every dict.
 */
export function setDictShardLimit(n: number): void {
  shardLimit = Math.max(1, Math.floor(n));
}

export function dictShardLimit(): number {
  return shardLimit;
}

/** A growing table gets 2^GROW_BITS times as many shards. */
const GROW_BITS = 4;

/** Entries moved from the old table to the new one by each write while a dict grows. */
const MOVES_PER_WRITE = 2;

/** Per-process hash seed, so shard placement cannot be predicted from outside. */
const SEED = (Math.random() * 0x100000000) >>> 0;

/**
 * A 32-bit hash of a latin1 string: FNV-1a over the chars from a random seed,
 * finished with murmur3's fmix32 so the low bits (the shard index) depend on
 * every char.
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
  return h >>> 0;
}

/** 2^bits Maps; an entry lives in maps[hash & mask]. */
interface Table<V> {
  readonly maps: Map<string, V>[];
  readonly bits: number;
  readonly mask: number;
}

function table<V>(maps: Map<string, V>[], bits: number): Table<V> {
  return { maps, bits, mask: maps.length - 1 };
}

function emptyTable<V>(bits: number): Table<V> {
  const maps: Map<string, V>[] = [];
  for (let i = 0; i < 2 ** bits; i++) maps.push(new Map());
  return table(maps, bits);
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

const enum Kind {
  Keys,
  Values,
  Entries,
}

export class Dict<V> implements Iterable<[string, V]> {
  // Field initializers, not constructor assignments: a field's first value
  // fixes the type V8 tracks for it. `small` only ever holds a Map (never
  // undefined or null), so V8 knows its class and inlines the Map operation
  // of the small path, as for a plain Map field.

  /** The one Map of a small dict; an empty, unused Map once sharded. */
  private small = new Map<string, V>();
  /** True once the dict has more than one Map. */
  private sharded = false;
  /** The table new keys go to (a small dict: one Map, 0 bits). */
  private cur = table<V>([this.small], 0);
  /** While growing: the table whose entries move to `cur`. */
  private old: Table<V> | null = null;
  /** Entry count of a sharded dict. */
  private count = 0;
  /** Growth progress: the old shard being moved and the iterator over it. */
  private moveShard = 0;
  private moveIt: Iterator<[string, V]> | null = null;
  /** Changes when the dict returns to one Map: iterators over the former layout end. */
  private epoch = 0;

  constructor(entries?: Iterable<readonly [string, V]>) {
    if (entries !== undefined) for (const [k, v] of entries) this.set(k, v);
  }

  get size(): number {
    return this.sharded ? this.count : this.small.size;
  }

  get(k: string): V | undefined {
    return this.sharded ? this.getSharded(k) : this.small.get(k);
  }

  has(k: string): boolean {
    return this.sharded ? this.hasSharded(k) : this.small.has(k);
  }

  set(k: string, v: V): this {
    if (this.sharded) {
      this.setSharded(k, v);
    } else {
      const m = this.small;
      m.set(k, v);
      if (m.size > shardLimit) this.grow();
    }
    return this;
  }

  delete(k: string): boolean {
    return this.sharded ? this.deleteSharded(k) : this.small.delete(k);
  }

  /** Removes every entry; the dict is one empty Map again. */
  clear(): void {
    // Emptied first, so iterators still walking the former Maps find nothing more.
    const old = this.old;
    if (old !== null) for (const m of old.maps) m.clear();
    for (const m of this.cur.maps) m.clear();
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

  /** An independent copy with the same layout (a growth in progress goes on in the copy). */
  clone(): Dict<V> {
    const d = new Dict<V>();
    if (!this.sharded) {
      d.small = new Map(this.small);
      d.cur = table([d.small], 0);
      return d;
    }
    const copy = (t: Table<V>): Table<V> =>
      table(
        t.maps.map((x) => new Map(x)),
        t.bits,
      );
    d.sharded = true;
    d.cur = copy(this.cur);
    d.old = this.old === null ? null : copy(this.old);
    d.count = this.count;
    // The copy copies the shard in progress again from its start (a set of an equal value).
    d.moveShard = this.moveShard;
    return d;
  }

  /** True while entries are moving to a bigger table. */
  get rehashing(): boolean {
    return this.old !== null;
  }

  /** Number of shard Maps (1 for a small dict), for INFO-like reports and tests. */
  get shards(): number {
    return this.cur.maps.length;
  }

  /**
   * Moves entries of a growth in progress for about `ms` milliseconds (the
   * cron's share, like Redis's dictRehashMilliseconds). Returns true if the
   * dict was growing.
   */
  rehashFor(ms: number, now: () => number): boolean {
    if (this.old === null) return false;
    const end = now() + ms;
    do this.move(1000);
    while (this.old !== null && now() < end);
    return true;
  }

  /**
   * One of the dict's Maps, chosen with probability proportional to its size
   * (undefined when empty): a uniformly random entry is a uniformly random
   * entry of that Map. O(number of shards).
   */
  randomMap(): Map<string, V> | undefined {
    if (!this.sharded) {
      const m = this.small;
      return m.size === 0 ? undefined : m;
    }
    // Weights are the Maps' sizes: the entries of the one old shard being
    // copied may count twice (at most one shard's worth, while it is copied).
    const old = this.old;
    const maps = this.cur.maps;
    let total = 0;
    if (old !== null) for (let i = this.moveShard; i < old.maps.length; i++) total += old.maps[i].size;
    for (let i = 0; i < maps.length; i++) total += maps[i].size;
    let r = Math.floor(Math.random() * total);
    if (old !== null) {
      for (let i = this.moveShard; i < old.maps.length; i++) {
        const s = old.maps[i].size;
        if (r < s) return old.maps[i];
        r -= s;
      }
    }
    for (let i = 0; i < maps.length; i++) {
      const s = maps[i].size;
      if (r < s) return maps[i];
      r -= s;
    }
    return undefined;
  }

  // -------------------------------------------------------------------------
  // Sharded operations

  private getSharded(k: string): V | undefined {
    const h = dictHash(k);
    const old = this.old;
    if (old !== null) {
      const j = h & old.mask;
      if (j >= this.moveShard) {
        const v = old.maps[j].get(k);
        if (v !== undefined) return v;
      }
    }
    const cur = this.cur;
    return cur.maps[h & cur.mask].get(k);
  }

  private hasSharded(k: string): boolean {
    const h = dictHash(k);
    const old = this.old;
    if (old !== null) {
      const j = h & old.mask;
      if (j >= this.moveShard && old.maps[j].has(k)) return true;
    }
    const cur = this.cur;
    return cur.maps[h & cur.mask].has(k);
  }

  private setSharded(k: string, v: V): void {
    if (this.old !== null) this.move(MOVES_PER_WRITE);
    const h = dictHash(k);
    const cur = this.cur;
    const m = cur.maps[h & cur.mask];
    const old = this.old;
    if (old !== null) {
      const j = h & old.mask;
      if (j >= this.moveShard) {
        const om = old.maps[j];
        if (om.has(k)) {
          om.set(k, v);
          // The shard being copied: the new table may hold a copy already.
          if (j === this.moveShard) m.set(k, v);
          return;
        }
      }
    }
    const before = m.size;
    m.set(k, v);
    if (m.size !== before && ++this.count > cur.maps.length * shardLimit && this.old === null) this.grow();
  }

  private deleteSharded(k: string): boolean {
    if (this.old !== null) this.move(MOVES_PER_WRITE);
    const h = dictHash(k);
    const cur = this.cur;
    const old = this.old;
    let found = false;
    let inOld = false;
    if (old !== null) {
      const j = h & old.mask;
      if (j >= this.moveShard) {
        found = old.maps[j].delete(k);
        // Only the shard being copied may also have a copy in the new table.
        inOld = found && j !== this.moveShard;
      }
    }
    if (!inOld && cur.maps[h & cur.mask].delete(k)) found = true;
    if (!found) return false;
    if (--this.count === 0) this.reset();
    return true;
  }

  /** Starts moving to a table 2^GROW_BITS times as big (nothing to do if a move is still in progress). */
  private grow(): void {
    if (this.old !== null) return;
    if (!this.sharded) {
      this.count = this.small.size;
      this.small = new Map();
      this.sharded = true;
    }
    this.old = this.cur;
    this.cur = emptyTable<V>(this.cur.bits + GROW_BITS);
    this.moveShard = 0;
    this.moveIt = null;
  }

  /**
   * Copies up to n entries from the old table to the current one; an old
   * shard whose entries are all copied is emptied; the growth ends with the
   * last one.
   */
  private move(n: number): void {
    const old = this.old!;
    const cur = this.cur;
    let it = this.moveIt;
    while (n > 0) {
      if (it === null) {
        if (this.moveShard === old.maps.length) break;
        it = old.maps[this.moveShard].entries();
      }
      const r = it.next();
      if (r.done) {
        // Nothing is ever added to an old shard: every entry it has is copied.
        old.maps[this.moveShard].clear();
        it = null;
        this.moveShard++;
        continue;
      }
      const e = r.value;
      cur.maps[dictHash(e[0]) & cur.mask].set(e[0], e[1]);
      n--;
    }
    this.moveIt = it;
    if (it === null && this.moveShard === old.maps.length) {
      this.old = null;
      this.moveShard = 0;
    }
  }

  /** Back to one empty Map. */
  private reset(): void {
    const m = new Map<string, V>();
    this.sharded = false;
    this.small = m;
    this.cur = table([m], 0);
    this.old = null;
    this.count = 0;
    this.moveShard = 0;
    this.moveIt = null;
    this.epoch++;
  }

  // -------------------------------------------------------------------------
  // For DictIterator

  /** @internal The layout generation (see epoch). */
  iterEpoch(): number {
    return this.epoch;
  }

  /** @internal Bits of the logical shards a visit starting now uses: those of the smallest table. */
  iterBits(): number {
    return this.old !== null ? this.old.bits : this.cur.bits;
  }

  /** @internal Bits of the newest table. */
  iterNewestBits(): number {
    return this.cur.bits;
  }

  /**
   * @internal Appends to `out` the Maps that may hold entries of logical shard
   * `v` of `bits` bits, from the tables with more than `afterBits` bits (all
   * tables: -1), oldest table first, and to `filters` for each the Map whose
   * keys to skip there: for a Map of the current table during a growth, the
   * old shard its entries are copied from (the iterator visits, or visited,
   * that old shard in this logical shard's visit).
   */
  iterMaps(v: number, bits: number, afterBits: number, out: Map<string, V>[], filters: (Map<string, V> | null)[]): void {
    const old = this.old;
    const cur = this.cur;
    const step = 2 ** bits;
    if (old !== null && old.bits > afterBits) {
      for (let i = v & (step - 1); i < old.maps.length; i += step) {
        out.push(old.maps[i]);
        filters.push(null);
      }
    }
    if (cur.bits > afterBits) {
      for (let i = v & (step - 1); i < cur.maps.length; i += step) {
        out.push(cur.maps[i]);
        filters.push(old !== null ? old.maps[i & old.mask] : null);
      }
    }
  }
}

const DONE: IteratorResult<never> = { done: true, value: undefined };

/**
 * Iterator over a Dict by logical shards (see the top of this file): valid
 * across any changes of the dict, kept across commands by SCAN and the
 * active expiry cycle.
 */
export class DictIterator<V, T> implements IterableIterator<T> {
  /** The live iterator over the Map being visited (entries() when filtered). */
  private it: Iterator<unknown> | null = null;
  /** Keys to skip in the Map being visited, or null. */
  private filter: Map<string, V> | null = null;
  /** Maps of the current logical shard still to visit, and their filters. */
  private readonly plan: Map<string, V>[] = [];
  private readonly filters: (Map<string, V> | null)[] = [];
  private planPos = 0;
  /** Cursor and bits of the current logical shard. */
  private v = 0;
  private bits: number;
  /** Bits of the newest table whose Maps are in the plan. */
  private planned: number;
  private readonly epoch: number;
  private ended = false;

  constructor(
    private readonly dict: Dict<V>,
    private readonly kind: Kind,
  ) {
    this.epoch = dict.iterEpoch();
    this.bits = dict.iterBits();
    this.planned = dict.iterNewestBits();
    dict.iterMaps(0, this.bits, -1, this.plan, this.filters);
  }

  [Symbol.iterator](): this {
    return this;
  }

  next(): IteratorResult<T> {
    for (;;) {
      const it = this.it;
      if (it !== null) {
        const f = this.filter;
        const r = it.next();
        if (r.done !== true) {
          if (f === null) return r as IteratorResult<T>;
          const e = r.value as [string, V];
          if (f.has(e[0])) continue;
          const k = this.kind;
          return { done: false, value: (k === Kind.Keys ? e[0] : k === Kind.Values ? e[1] : e) as T };
        }
        this.it = null;
      }
      if (this.planPos < this.plan.length) {
        const m = this.plan[this.planPos];
        const f = this.filters[this.planPos++];
        const k = this.kind;
        this.filter = f !== null && f.size !== 0 ? f : null;
        this.it = this.filter !== null || k === Kind.Entries ? m.entries() : k === Kind.Keys ? m.keys() : m.values();
        continue;
      }
      if (this.ended || !this.advance()) {
        this.ended = true;
        this.plan.length = 0;
        this.filters.length = 0;
        this.filter = null;
        return DONE;
      }
    }
  }

  /** Plans the next Maps to visit; false when the walk is over. */
  private advance(): boolean {
    const d = this.dict;
    if (d.iterEpoch() !== this.epoch) return false;
    this.plan.length = 0;
    this.filters.length = 0;
    this.planPos = 0;
    const newest = d.iterNewestBits();
    if (newest > this.planned) {
      // The dict grew during this shard's visit: entries may have moved on to
      // the newer table(s); visit this shard's Maps there too.
      d.iterMaps(this.v, this.bits, this.planned, this.plan, this.filters);
      this.planned = newest;
      return true;
    }
    this.v = nextCursor(this.v, this.bits);
    if (this.v === 0) return false;
    this.bits = d.iterBits();
    this.planned = newest;
    d.iterMaps(this.v, this.bits, -1, this.plan, this.filters);
    return true;
  }
}
