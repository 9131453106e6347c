// Ring: a double-ended queue with O(1) push and pop at both ends and O(1)
// access by index (the list value's storage, src/types/list.ts).
//
// A small ring is one circular array whose capacity (a power of two) doubles
// or halves with a copy, as a plain deque. Past one chunk (2^12 elements) it
// becomes a circular directory of chunks of that size: element i is at
// position p = (head + i) & mask, in chunk p >>> chunkBits. Growing doubles the
// directory, moving chunk references and copying at most one chunk (the one
// holding both the first and the last elements); shrinking keeps the chunks
// that hold elements and drops the rest. So no operation copies the elements
// of a big list (at 100 M elements a whole copy is a pause of a second), and no
// JavaScript array grows past V8's limits: an array of more than 2^25 elements
// is made a slow dictionary, and one of ~134 M is a fatal error that no code
// can catch. Chunks that a growth adds are allocated when first written.
// A chunk is 32 KB, an ordinary young object: chunks of 2^14 elements
// (128 KB) are V8 large objects, and cost ~20% more per LPUSH in-process in
// the garbage collector than the flat array did; 2^12 costs ~5% less.

/** Elements per chunk of a big ring, as a power of two; tests lower it. */
let chunkBits = 12;

/** Sets the chunk size to 2^bits elements (tests); applies to rings made afterwards. */
export function setRingChunkBits(bits: number): void {
  chunkBits = Math.max(2, Math.min(20, Math.floor(bits)));
}

export function ringChunkBits(): number {
  return chunkBits;
}

/** Smallest capacity of a ring. */
const MIN_CAPACITY = 4;
/** A small ring is not shrunk below this capacity. */
const SHRINK_FLOOR = 16;

function log2(n: number): number {
  return 31 - Math.clz32(n);
}

export class Ring<T> {
  /** Chunks in a circular directory; a small ring has one (its whole capacity). null: not written yet. */
  private dir: ((T | undefined)[] | null)[];
  /** log2 of a chunk's capacity. */
  private cbits: number;
  private cmask: number;
  /** Capacity - 1. */
  private mask: number;
  /** The chunk size for big rings, fixed when the ring was made. */
  private readonly bigBits = chunkBits;
  private head = 0;
  /** Number of elements. */
  len = 0;

  constructor(capacity = MIN_CAPACITY) {
    let cap = MIN_CAPACITY;
    while (cap < capacity) cap *= 2;
    if (cap <= 1 << this.bigBits) {
      this.dir = [new Array(cap)];
      this.cbits = log2(cap);
    } else {
      const n = cap >>> this.bigBits;
      this.dir = new Array(n).fill(null);
      this.cbits = this.bigBits;
    }
    this.cmask = (1 << this.cbits) - 1;
    this.mask = cap - 1;
  }

  get capacity(): number {
    return this.mask + 1;
  }

  /** Number of chunks (1 for a small ring). */
  get chunks(): number {
    return this.dir.length;
  }

  /** Element i, 0 <= i < len. */
  get(i: number): T {
    const p = (this.head + i) & this.mask;
    return this.dir[p >>> this.cbits]![p & this.cmask]!;
  }

  /** Replaces element i, 0 <= i < len; returns the old one. */
  set(i: number, v: T): T {
    const p = (this.head + i) & this.mask;
    const c = this.dir[p >>> this.cbits]!;
    const old = c[p & this.cmask]!;
    c[p & this.cmask] = v;
    return old;
  }

  /** The chunk holding position p, allocated if it was not yet. */
  private chunkAt(p: number): (T | undefined)[] {
    const k = p >>> this.cbits;
    let c = this.dir[k];
    if (c === null) c = this.dir[k] = new Array(this.cmask + 1);
    return c;
  }

  pushHead(v: T): void {
    if (this.len > this.mask) this.grow();
    const p = (this.head = (this.head - 1) & this.mask);
    this.chunkAt(p)[p & this.cmask] = v;
    this.len++;
  }

  pushTail(v: T): void {
    if (this.len > this.mask) this.grow();
    const p = (this.head + this.len) & this.mask;
    this.chunkAt(p)[p & this.cmask] = v;
    this.len++;
  }

  popHead(): T | undefined {
    if (this.len === 0) return undefined;
    const p = this.head;
    const c = this.dir[p >>> this.cbits]!;
    const v = c[p & this.cmask];
    c[p & this.cmask] = undefined;
    this.head = (p + 1) & this.mask;
    if (--this.len === 0) this.head = 0;
    else this.shrink();
    return v;
  }

  popTail(): T | undefined {
    if (this.len === 0) return undefined;
    const p = (this.head + this.len - 1) & this.mask;
    const c = this.dir[p >>> this.cbits]!;
    const v = c[p & this.cmask];
    c[p & this.cmask] = undefined;
    if (--this.len === 0) this.head = 0;
    else this.shrink();
    return v;
  }

  /** Inserts v so that it becomes element i (0 <= i <= len), shifting the shorter side. */
  insert(i: number, v: T): void {
    if (this.len > this.mask) this.grow();
    if (i < this.len / 2) {
      const p = (this.head = (this.head - 1) & this.mask);
      this.chunkAt(p);
      this.len++;
      for (let k = 0; k < i; k++) this.set(k, this.get(k + 1));
    } else {
      this.chunkAt((this.head + this.len) & this.mask);
      this.len++;
      for (let k = this.len - 1; k > i; k--) this.set(k, this.get(k - 1));
    }
    this.set(i, v);
  }

  /** Replaces every element with `items`. */
  replaceAll(items: readonly T[]): void {
    const r = new Ring<T>(items.length);
    for (let i = 0; i < items.length; i++) r.pushTail(items[i]);
    this.dir = r.dir;
    this.cbits = r.cbits;
    this.cmask = r.cmask;
    this.mask = r.mask;
    this.head = 0;
    this.len = r.len;
  }

  /** A full ring doubles its capacity. */
  private grow(): void {
    const cap = this.mask + 1;
    if (cap < 1 << this.bigBits) {
      // Small: a copy into an array twice as big, the first element at 0.
      const nb: (T | undefined)[] = new Array(cap * 2);
      for (let i = 0; i < this.len; i++) nb[i] = this.get(i);
      this.dir = [nb];
      this.head = 0;
      this.cbits = log2(cap * 2);
      this.cmask = cap * 2 - 1;
      this.mask = cap * 2 - 1;
      return;
    }
    // A directory twice as big, the chunk of the first element first; that
    // chunk's slots before the head hold the last elements, which move to a
    // chunk of their own after the old chunks.
    const d = this.dir.length;
    const hc = this.head >>> this.cbits;
    const ho = this.head & this.cmask;
    const nd: ((T | undefined)[] | null)[] = new Array(d * 2).fill(null);
    for (let k = 0; k < d; k++) nd[k] = this.dir[(hc + k) & (d - 1)];
    if (ho !== 0) {
      const first = nd[0]!;
      const tail: (T | undefined)[] = new Array(this.cmask + 1);
      for (let o = 0; o < ho; o++) {
        tail[o] = first[o];
        first[o] = undefined;
      }
      nd[d] = tail;
    }
    this.dir = nd;
    this.head = ho;
    this.mask = d * 2 * (this.cmask + 1) - 1;
  }

  /** A ring at most a quarter full gives memory back. */
  private shrink(): void {
    const cap = this.mask + 1;
    if (cap <= SHRINK_FLOOR || this.len * 4 > cap) return;
    let ncap = cap;
    while (ncap > SHRINK_FLOOR && this.len * 4 <= ncap) ncap >>= 1;
    if (ncap <= 1 << this.bigBits) {
      // Small again: one array (at most a quarter of a chunk's elements copied).
      const nb: (T | undefined)[] = new Array(ncap);
      for (let i = 0; i < this.len; i++) nb[i] = this.get(i);
      this.dir = [nb];
      this.head = 0;
      this.cbits = log2(ncap);
      this.cmask = ncap - 1;
      this.mask = ncap - 1;
      return;
    }
    // Keep the chunks that hold elements, in order from the first element's;
    // drop the others.
    const d = this.dir.length;
    const hc = this.head >>> this.cbits;
    const ho = this.head & this.cmask;
    const used = ((ho + this.len - 1) >>> this.cbits) + 1;
    let nd2 = 1;
    while (nd2 < used) nd2 *= 2;
    if (nd2 >= d) return;
    const nd: ((T | undefined)[] | null)[] = new Array(nd2).fill(null);
    for (let k = 0; k < used; k++) nd[k] = this.dir[(hc + k) & (d - 1)];
    this.dir = nd;
    this.head = ho;
    this.mask = nd2 * (this.cmask + 1) - 1;
  }
}
