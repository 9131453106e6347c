// An ordered map keyed by stream IDs, as a B+tree: O(log N) lookups,
// inserts, deletes and seeks, and cursors that walk the keys in order both
// ways. A stream uses one as the index of its nodes (keyed by each node's
// first ID, the part Redis gives a radix tree) and one per pending entries
// list (a consumer group's and each consumer's).
//
// A stream ID is two unsigned 64-bit numbers. Each half is a U64: a JS
// number while it is at most 2^53 - 1 (nearly always: milliseconds and
// sequence numbers), a bigint beyond. The form is normalised (a value that
// fits a number is never a bigint), so `===` is equality, and `<`/`>`
// compare numbers and bigints exactly.
//
// Leaves hold up to MAX keys in parallel arrays (numbers stay unboxed in V8's
// double arrays) and are linked both ways; inner nodes hold, for each child,
// the smallest key it had when it was created (a separator: every key of
// child i is >= sep[i] and < sep[i+1]; deletions never invalidate that).
// Deleting empties and removes leaves and merges a sparse leaf into its right
// sibling; the height only grows by root splits and shrinks when the root is
// left with one child.

/** An unsigned 64-bit value: a number up to 2^53 - 1, a bigint above. */
export type U64 = number | bigint;

/** Compares two IDs: negative, zero or positive. */
export function cmpId(ams: U64, aseq: U64, bms: U64, bseq: U64): number {
  if (ams !== bms) return ams < bms ? -1 : 1;
  if (aseq !== bseq) return aseq < bseq ? -1 : 1;
  return 0;
}

const MAX = 64;
/** A leaf with fewer keys than this after a delete is merged into its right sibling when they fit in one. */
const SPARSE = MAX / 4;

class Leaf<V> {
  ms: U64[] = [];
  seq: U64[] = [];
  vals: V[] = [];
  prev: Leaf<V> | null = null;
  next: Leaf<V> | null = null;
}

class Inner<V> {
  ms: U64[] = [];
  seq: U64[] = [];
  kids: Node<V>[] = [];
}

type Node<V> = Leaf<V> | Inner<V>;

/** A position in an IdTree: a leaf and an index. Valid until the tree changes. */
export class IdCursor<V> {
  leaf: Leaf<V> | null = null;
  i = 0;

  get valid(): boolean {
    return this.leaf !== null;
  }
  get ms(): U64 {
    return this.leaf!.ms[this.i];
  }
  get seq(): U64 {
    return this.leaf!.seq[this.i];
  }
  get value(): V {
    return this.leaf!.vals[this.i];
  }

  /** Moves to the next key; false (and invalid) past the last. */
  next(): boolean {
    const l = this.leaf;
    if (l === null) return false;
    if (++this.i < l.ms.length) return true;
    this.leaf = l.next;
    this.i = 0;
    return this.leaf !== null;
  }

  /** Moves to the previous key; false (and invalid) before the first. */
  prev(): boolean {
    const l = this.leaf;
    if (l === null) return false;
    if (--this.i >= 0) return true;
    this.leaf = l.prev;
    this.i = this.leaf === null ? 0 : this.leaf.ms.length - 1;
    return this.leaf !== null;
  }
}

export class IdTree<V> {
  private root: Node<V> = new Leaf<V>();
  private head: Leaf<V> = this.root as Leaf<V>;
  private tail: Leaf<V> = this.root as Leaf<V>;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The value under an ID, or undefined. */
  get(ms: U64, seq: U64): V | undefined {
    const l = this.leafFor(ms, seq);
    const i = indexGE(l.ms, l.seq, ms, seq);
    return i < l.ms.length && l.ms[i] === ms && l.seq[i] === seq ? l.vals[i] : undefined;
  }

  has(ms: U64, seq: U64): boolean {
    const l = this.leafFor(ms, seq);
    const i = indexGE(l.ms, l.seq, ms, seq);
    return i < l.ms.length && l.ms[i] === ms && l.seq[i] === seq;
  }

  /** Inserts or replaces; true if the key was new. */
  set(ms: U64, seq: U64, v: V): boolean {
    // Appending past the last key is the common case (new stream nodes, deliveries in order).
    const t = this.tail;
    const tn = t.ms.length;
    if (tn !== 0 && tn < MAX && cmpId(ms, seq, t.ms[tn - 1], t.seq[tn - 1]) > 0) {
      t.ms.push(ms);
      t.seq.push(seq);
      t.vals.push(v);
      this.count++;
      return true;
    }
    const path: Inner<V>[] = [];
    const idx: number[] = [];
    const l = this.descend(ms, seq, path, idx);
    const i = indexGE(l.ms, l.seq, ms, seq);
    if (i < l.ms.length && l.ms[i] === ms && l.seq[i] === seq) {
      l.vals[i] = v;
      return false;
    }
    l.ms.splice(i, 0, ms);
    l.seq.splice(i, 0, seq);
    l.vals.splice(i, 0, v);
    this.count++;
    if (l.ms.length > MAX) this.splitLeaf(l, path, idx);
    return true;
  }

  /** Removes a key; returns its value, or undefined if absent. */
  delete(ms: U64, seq: U64): V | undefined {
    const path: Inner<V>[] = [];
    const idx: number[] = [];
    const l = this.descend(ms, seq, path, idx);
    const i = indexGE(l.ms, l.seq, ms, seq);
    if (i >= l.ms.length || l.ms[i] !== ms || l.seq[i] !== seq) return undefined;
    const v = l.vals[i];
    if (i === l.ms.length - 1) {
      l.ms.pop();
      l.seq.pop();
      l.vals.pop();
    } else {
      l.ms.splice(i, 1);
      l.seq.splice(i, 1);
      l.vals.splice(i, 1);
    }
    this.count--;
    if (path.length === 0) return v;
    if (l.ms.length === 0) this.removeLeaf(l, path, idx);
    else if (l.ms.length < SPARSE) this.mergeRight(l, path, idx);
    return v;
  }

  /** Removes every key. */
  clear(): void {
    const l = new Leaf<V>();
    this.root = this.head = this.tail = l;
    this.count = 0;
  }

  /** A cursor at the first key >= the ID (invalid if none). */
  seekGE(ms: U64, seq: U64, cur: IdCursor<V> = new IdCursor<V>()): IdCursor<V> {
    const l = this.leafFor(ms, seq);
    const i = indexGE(l.ms, l.seq, ms, seq);
    if (i < l.ms.length) {
      cur.leaf = l;
      cur.i = i;
    } else {
      cur.leaf = l.next;
      cur.i = 0;
    }
    return cur;
  }

  /** A cursor at the last key <= the ID (invalid if none). */
  seekLE(ms: U64, seq: U64, cur: IdCursor<V> = new IdCursor<V>()): IdCursor<V> {
    const l = this.leafFor(ms, seq);
    const i = indexGE(l.ms, l.seq, ms, seq);
    if (i < l.ms.length && l.ms[i] === ms && l.seq[i] === seq) {
      cur.leaf = l;
      cur.i = i;
    } else if (i > 0) {
      cur.leaf = l;
      cur.i = i - 1;
    } else {
      cur.leaf = l.prev;
      cur.i = cur.leaf === null ? 0 : cur.leaf.ms.length - 1;
    }
    return cur;
  }

  /** A cursor at the first key (invalid if empty). */
  first(cur: IdCursor<V> = new IdCursor<V>()): IdCursor<V> {
    cur.leaf = this.head.ms.length === 0 ? null : this.head;
    cur.i = 0;
    return cur;
  }

  /** A cursor at the last key (invalid if empty). */
  last(cur: IdCursor<V> = new IdCursor<V>()): IdCursor<V> {
    const t = this.tail;
    cur.leaf = t.ms.length === 0 ? null : t;
    cur.i = t.ms.length - 1;
    return cur;
  }

  /** True if every key is below the ID (an insert of it would append). */
  allBelow(ms: U64, seq: U64): boolean {
    const t = this.tail;
    const n = t.ms.length;
    return n === 0 || cmpId(t.ms[n - 1], t.seq[n - 1], ms, seq) < 0;
  }

  /** The value of the last key, or undefined when empty. */
  lastValue(): V | undefined {
    const t = this.tail;
    return t.ms.length === 0 ? undefined : t.vals[t.ms.length - 1];
  }

  /** The value of the first key, or undefined when empty. */
  firstValue(): V | undefined {
    const h = this.head;
    return h.ms.length === 0 ? undefined : h.vals[0];
  }

  /** Every entry in key order. */
  *entries(): IterableIterator<[U64, U64, V]> {
    for (let l: Leaf<V> | null = this.head; l !== null; l = l.next) {
      for (let i = 0; i < l.ms.length; i++) yield [l.ms[i], l.seq[i], l.vals[i]];
    }
  }

  // -------------------------------------------------------------------------

  private leafFor(ms: U64, seq: U64): Leaf<V> {
    let n = this.root;
    while (!(n instanceof Leaf)) n = n.kids[childIndex(n, ms, seq)];
    return n;
  }

  private descend(ms: U64, seq: U64, path: Inner<V>[], idx: number[]): Leaf<V> {
    let n = this.root;
    while (!(n instanceof Leaf)) {
      const k = childIndex(n, ms, seq);
      path.push(n);
      idx.push(k);
      n = n.kids[k];
    }
    return n;
  }

  private splitLeaf(l: Leaf<V>, path: Inner<V>[], idx: number[]): void {
    const half = l.ms.length >> 1;
    const r = new Leaf<V>();
    r.ms = l.ms.splice(half);
    r.seq = l.seq.splice(half);
    r.vals = l.vals.splice(half);
    r.next = l.next;
    r.prev = l;
    if (l.next !== null) l.next.prev = r;
    else this.tail = r;
    l.next = r;
    this.insertChild(path, idx, path.length - 1, r, r.ms[0], r.seq[0]);
  }

  /** Inserts `kid` (smallest key ms/seq) right after child idx[level] of path[level], splitting upwards. */
  private insertChild(path: Inner<V>[], idx: number[], level: number, kid: Node<V>, ms: U64, seq: U64): void {
    if (level < 0) {
      const root = new Inner<V>();
      const old = this.root;
      root.kids = [old, kid];
      const first = firstKeyOf(old);
      root.ms = [first[0], ms];
      root.seq = [first[1], seq];
      this.root = root;
      return;
    }
    const p = path[level];
    const at = idx[level] + 1;
    p.kids.splice(at, 0, kid);
    p.ms.splice(at, 0, ms);
    p.seq.splice(at, 0, seq);
    if (p.kids.length <= MAX) return;
    const half = p.kids.length >> 1;
    const r = new Inner<V>();
    r.kids = p.kids.splice(half);
    r.ms = p.ms.splice(half);
    r.seq = p.seq.splice(half);
    this.insertChild(path, idx, level - 1, r, r.ms[0], r.seq[0]);
  }

  private unlinkLeaf(l: Leaf<V>): void {
    if (l.prev !== null) l.prev.next = l.next;
    else this.head = l.next!;
    if (l.next !== null) l.next.prev = l.prev;
    else this.tail = l.prev!;
  }

  private removeLeaf(l: Leaf<V>, path: Inner<V>[], idx: number[]): void {
    this.unlinkLeaf(l);
    this.removeChild(path, idx, path.length - 1);
  }

  /** Removes child idx[level] of path[level]; an inner node left without children goes too. */
  private removeChild(path: Inner<V>[], idx: number[], level: number): void {
    const p = path[level];
    const k = idx[level];
    p.kids.splice(k, 1);
    p.ms.splice(k, 1);
    p.seq.splice(k, 1);
    if (p.kids.length === 0 && level > 0) {
      this.removeChild(path, idx, level - 1);
      return;
    }
    // A root with one child is replaced by that child.
    let r = this.root;
    while (r instanceof Inner && r.kids.length === 1) r = r.kids[0];
    this.root = r;
  }

  /** Folds a sparse leaf's right sibling (same parent) into it when both fit in one leaf. */
  private mergeRight(l: Leaf<V>, path: Inner<V>[], idx: number[]): void {
    const level = path.length - 1;
    const p = path[level];
    const k = idx[level];
    if (k + 1 >= p.kids.length) return;
    const r = p.kids[k + 1] as Leaf<V>;
    if (l.ms.length + r.ms.length > MAX) return;
    for (let i = 0; i < r.ms.length; i++) {
      l.ms.push(r.ms[i]);
      l.seq.push(r.seq[i]);
      l.vals.push(r.vals[i]);
    }
    this.unlinkLeaf(r);
    idx[level] = k + 1;
    this.removeChild(path, idx, level);
  }
}

/** Index of the first key >= (ms, seq) in sorted parallel arrays (length if none). */
function indexGE(ams: U64[], aseq: U64[], ms: U64, seq: U64): number {
  let lo = 0;
  let hi = ams.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cmpId(ams[mid], aseq[mid], ms, seq) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The child of an inner node whose range holds the ID: the last separator <= it (the first child if none). */
function childIndex<V>(n: Inner<V>, ms: U64, seq: U64): number {
  let lo = 1;
  let hi = n.kids.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cmpId(n.ms[mid], n.seq[mid], ms, seq) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

function firstKeyOf<V>(n: Node<V>): [U64, U64] {
  while (n instanceof Inner) n = n.kids[0];
  return [n.ms[0], n.seq[0]];
}
