// The big form of a sorted set (what Redis keeps in a skiplist and a dict):
// a B+-tree of (score, member) pairs in zset order with subtree counts, plus a
// member -> score dict.
//
// - Leaves hold up to LEAF_CAP pairs in two parallel arrays: the scores (a
//   JS array of doubles, which V8 stores unboxed in one block) and the
//   members. Leaves are linked both ways for ranges and iteration.
// - Inner nodes hold up to INNER_CAP children, the number of pairs below each
//   child (so ranks are sums along one path) and, per child, a separator key:
//   a lower bound of the child's keys that is above every key of the child
//   before it. A separator may be a key that was deleted since; it still
//   separates, so deletions never have to rewrite ancestors.
// - All leaves are at the same depth (`height` inner levels above them). A
//   node that falls below a quarter full borrows from a sibling or merges
//   with it; a full one splits (appends at the right end and prepends at the
//   left end split unevenly, so sets built in order have full leaves).
//
// Compared with a skiplist this is a few objects per LEAF_CAP members instead
// of three per member, and a search reads a few contiguous arrays per level
// (binary searches over doubles) instead of chasing a pointer per step; see
// docs/performance.md for the measurements that chose it.
//
// Members are latin1 strings: JS string comparison is memcmp order. Scores
// compare as doubles (-0 equals 0, ties ordered by member), never NaN.

import { Dict } from './dict.js';

/** The member -> score lookup: the Map API subset the tree uses. */
export interface MemberDict {
  get(m: string): number | undefined;
  set(m: string, s: number): unknown;
  delete(m: string): boolean;
  has(m: string): boolean;
  readonly size: number;
  keys(): IterableIterator<string>;
}

/** A new, empty member dict: a Dict, which has no 2^24-entry cap (src/types/dict.ts). */
export function newMemberDict(): MemberDict {
  return new Dict<number>();
}

let LEAF_CAP = 64;
let LEAF_MIN = LEAF_CAP >> 2;
let INNER_CAP = 64;
let INNER_MIN = INNER_CAP >> 2;

/**
 * Tests: node capacities (at least 4), so that small sets make deep trees.
 * Only for trees created afterwards; returns the previous capacities.
 */
export function setNodeCapacities(leaf: number, inner: number): [number, number] {
  const old: [number, number] = [LEAF_CAP, INNER_CAP];
  LEAF_CAP = leaf;
  LEAF_MIN = leaf >> 2;
  INNER_CAP = inner;
  INNER_MIN = Math.max(2, inner >> 2);
  return old;
}

/** An array of doubles that V8 keeps unboxed (PACKED_DOUBLE_ELEMENTS). */
function doubles(n: number): number[] {
  const a: number[] = [];
  for (let i = 0; i < n; i++) a.push(0.5);
  return a;
}

function strings(n: number): string[] {
  const a: string[] = [];
  for (let i = 0; i < n; i++) a.push('');
  return a;
}

class Leaf {
  n = 0;
  readonly scores = doubles(LEAF_CAP);
  readonly members = strings(LEAF_CAP);
  prev: Leaf | null = null;
  next: Leaf | null = null;
}

type TreeNode = Leaf | Inner;

class Inner {
  n = 0;
  readonly children: TreeNode[] = [];
  /** Pairs under each child. */
  readonly counts: number[] = [];
  /** Separator keys: child i holds keys >= (sepS[i], sepM[i]) (sep 0: unused for search). */
  readonly sepS = doubles(INNER_CAP);
  readonly sepM = strings(INNER_CAP);
  constructor() {
    const c = this.children as (TreeNode | null)[];
    for (let i = 0; i < INNER_CAP; i++) {
      c.push(null);
      this.counts.push(0);
    }
  }
}

/** Index of the child of `p` whose key range holds (s, m): the last separator <= the key. */
function childFor(p: Inner, s: number, m: string): number {
  const sepS = p.sepS;
  let lo = 1;
  let hi = p.n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const ss = sepS[mid];
    // key < sep ?
    if (s < ss || (s === ss && m < p.sepM[mid])) hi = mid;
    else lo = mid + 1;
  }
  return lo - 1;
}

/** Index of the first pair of the leaf that is >= (s, m). */
function leafLowerBound(leaf: Leaf, s: number, m: string): number {
  const scores = leaf.scores;
  let lo = 0;
  let hi = leaf.n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const ss = scores[mid];
    // pair < key ?
    if (ss < s || (ss === s && leaf.members[mid] < m)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function leafInsertAt(leaf: Leaf, pos: number, s: number, m: string): void {
  const scores = leaf.scores;
  const members = leaf.members;
  for (let k = leaf.n; k > pos; k--) {
    scores[k] = scores[k - 1];
    members[k] = members[k - 1];
  }
  scores[pos] = s;
  members[pos] = m;
  leaf.n++;
}

/** Removes `count` pairs of the leaf from `pos` (the dict is the caller's). */
function leafRemove(leaf: Leaf, pos: number, count: number): void {
  const scores = leaf.scores;
  const members = leaf.members;
  const n = leaf.n;
  for (let k = pos + count; k < n; k++) {
    scores[k - count] = scores[k];
    members[k - count] = members[k];
  }
  for (let k = n - count; k < n; k++) members[k] = '';
  leaf.n = n - count;
}

/** Moves `count` pairs from `src` at `from` to `dst` at `to` (dst has room, nothing shifted). */
function leafCopy(src: Leaf, from: number, dst: Leaf, to: number, count: number): void {
  for (let k = 0; k < count; k++) {
    dst.scores[to + k] = src.scores[from + k];
    dst.members[to + k] = src.members[from + k];
  }
}

/** Moves `count` children (with counts and separators) from `src` at `from` to `dst` at `to`. */
function innerCopy(src: Inner, from: number, dst: Inner, to: number, count: number): void {
  for (let k = 0; k < count; k++) {
    dst.children[to + k] = src.children[from + k];
    dst.counts[to + k] = src.counts[from + k];
    dst.sepS[to + k] = src.sepS[from + k];
    dst.sepM[to + k] = src.sepM[from + k];
  }
}

/** Opens a gap of `count` slots at `pos` in an inner node (n grows). */
function innerShiftRight(p: Inner, pos: number, count: number): void {
  for (let k = p.n - 1; k >= pos; k--) {
    p.children[k + count] = p.children[k];
    p.counts[k + count] = p.counts[k];
    p.sepS[k + count] = p.sepS[k];
    p.sepM[k + count] = p.sepM[k];
  }
  p.n += count;
}

/** Removes `count` slots at `pos` from an inner node (n shrinks). */
function innerRemove(p: Inner, pos: number, count: number): void {
  const n = p.n;
  for (let k = pos + count; k < n; k++) {
    p.children[k - count] = p.children[k];
    p.counts[k - count] = p.counts[k];
    p.sepS[k - count] = p.sepS[k];
    p.sepM[k - count] = p.sepM[k];
  }
  const children = p.children as (TreeNode | null)[];
  for (let k = n - count; k < n; k++) {
    children[k] = null;
    p.counts[k] = 0;
    p.sepM[k] = '';
  }
  p.n = n - count;
}

function nodeSize(node: TreeNode, depth: number): number {
  return depth === 0 ? (node as Leaf).n : (node as Inner).n;
}

/** Below the minimum fill of its level. */
function isLow(node: TreeNode, depth: number): boolean {
  return depth === 0 ? (node as Leaf).n < LEAF_MIN : (node as Inner).n < INNER_MIN;
}

function sumCounts(p: Inner, from: number, to: number): number {
  let c = 0;
  for (let k = from; k < to; k++) c += p.counts[k];
  return c;
}

// The path of the last descent (inner node and child index per level): one
// operation at a time, so one set of arrays serves every tree.
const pathNode: Inner[] = [];
const pathIdx: number[] = [];

export class ZTree {
  readonly dict: MemberDict = newMemberDict();
  private root: TreeNode = new Leaf();
  /** Inner levels above the leaves. */
  private height = 0;
  private head: Leaf = this.root as Leaf;
  private tail: Leaf = this.root as Leaf;
  length = 0;

  /** A tree of pairs already in zset order, leaves filled (O(N)). */
  static fromSorted(ms: readonly string[], ss: readonly number[]): ZTree {
    const t = new ZTree();
    const n = ms.length;
    if (n === 0) return t;
    for (let i = 0; i < n; i++) t.dict.set(ms[i], ss[i]);
    t.length = n;
    // Leaves: as many as needed, sizes spread evenly.
    let level: TreeNode[] = [];
    let counts: number[] = [];
    const nLeaves = Math.ceil(n / LEAF_CAP);
    let prev: Leaf | null = null;
    for (let j = 0, from = 0; j < nLeaves; j++) {
      const to = Math.floor(((j + 1) * n) / nLeaves);
      const leaf = new Leaf();
      for (let i = from; i < to; i++) {
        leaf.scores[i - from] = ss[i];
        leaf.members[i - from] = ms[i];
      }
      leaf.n = to - from;
      leaf.prev = prev;
      if (prev !== null) prev.next = leaf;
      prev = leaf;
      level.push(leaf);
      counts.push(leaf.n);
      from = to;
    }
    t.head = level[0] as Leaf;
    t.tail = prev!;
    // Inner levels until one node is left; each child's separator is its first key.
    let firstS: number[] = level.map((l) => (l as Leaf).scores[0]);
    let firstM: string[] = level.map((l) => (l as Leaf).members[0]);
    while (level.length > 1) {
      const parents: TreeNode[] = [];
      const pCounts: number[] = [];
      const pS: number[] = [];
      const pM: string[] = [];
      const k = level.length;
      const nNodes = Math.ceil(k / INNER_CAP);
      for (let j = 0, from = 0; j < nNodes; j++) {
        const to = Math.floor(((j + 1) * k) / nNodes);
        const p = new Inner();
        let c = 0;
        for (let i = from; i < to; i++) {
          p.children[i - from] = level[i];
          p.counts[i - from] = counts[i];
          p.sepS[i - from] = firstS[i];
          p.sepM[i - from] = firstM[i];
          c += counts[i];
        }
        p.n = to - from;
        parents.push(p);
        pCounts.push(c);
        pS.push(firstS[from]);
        pM.push(firstM[from]);
        from = to;
      }
      level = parents;
      counts = pCounts;
      firstS = pS;
      firstM = pM;
      t.height++;
    }
    t.root = level[0];
    return t;
  }

  /** Inserts a member that is not present. */
  add(m: string, s: number): void {
    this.dict.set(m, s);
    this.insertKey(s, m);
  }

  /** Changes the score of a present member from `old` to `s`. */
  update(m: string, old: number, s: number): void {
    this.dict.set(m, s);
    const leaf = this.descend(old, m);
    const pos = leafLowerBound(leaf, old, m);
    const n = leaf.n;
    const scores = leaf.scores;
    const members = leaf.members;
    // The pair keeps its slot: between its neighbours in the leaf (at the
    // leaf's ends, only moving inwards, so the separators stay bounds).
    const lowOk = pos > 0 ? scores[pos - 1] < s || (scores[pos - 1] === s && members[pos - 1] < m) : s >= old;
    const highOk = pos < n - 1 ? s < scores[pos + 1] || (s === scores[pos + 1] && m < members[pos + 1]) : s <= old;
    if (lowOk && highOk) {
      scores[pos] = s;
      return;
    }
    // It moves within the leaf: strictly between its first and last pairs.
    // The stored string moves along (m is an equal string, but the dict's
    // key is the stored one: keeping one copy alive, not two).
    const stored = members[pos];
    if (pos > 0 && pos < n - 1 && (scores[0] < s || (scores[0] === s && members[0] < m)) && (s < scores[n - 1] || (s === scores[n - 1] && m < members[n - 1]))) {
      leafRemove(leaf, pos, 1);
      leafInsertAt(leaf, leafLowerBound(leaf, s, m), s, stored);
      return;
    }
    this.removeAt(leaf, pos);
    this.insertKey(s, stored);
  }

  /** Removes a member; returns true if it was present. */
  remove(m: string): boolean {
    const s = this.dict.get(m);
    if (s === undefined) return false;
    this.dict.delete(m);
    const leaf = this.descend(s, m);
    this.removeAt(leaf, leafLowerBound(leaf, s, m));
    return true;
  }

  /** 0-based rank of the member in ascending order, or -1. */
  rank(m: string): number {
    const s = this.dict.get(m);
    if (s === undefined) return -1;
    let node = this.root;
    let r = 0;
    for (let d = this.height; d > 0; d--) {
      const p = node as Inner;
      const i = childFor(p, s, m);
      r += sumCounts(p, 0, i);
      node = p.children[i];
    }
    return r + leafLowerBound(node as Leaf, s, m);
  }

  // --- a cursor: a position (leaf, index) that seek() sets and steps move ---

  curLeaf: Leaf | null = null;
  curIdx = 0;

  /** Points the cursor at a 0-based rank (must be in range). */
  seek(rank: number): void {
    let node = this.root;
    const h = this.height;
    for (let d = 0; d < h; d++) {
      const p = node as Inner;
      let i = 0;
      while (rank >= p.counts[i]) rank -= p.counts[i++];
      pathNode[d] = p;
      pathIdx[d] = i;
      node = p.children[i];
    }
    this.curLeaf = node as Leaf;
    this.curIdx = rank;
  }

  get curMember(): string {
    return this.curLeaf!.members[this.curIdx];
  }

  get curScore(): number {
    return this.curLeaf!.scores[this.curIdx];
  }

  /** Moves the cursor one pair up (rev: down); false when it ran off the end. */
  step(rev: boolean): boolean {
    const leaf = this.curLeaf!;
    if (!rev) {
      if (++this.curIdx < leaf.n) return true;
      this.curLeaf = leaf.next;
      this.curIdx = 0;
    } else {
      if (--this.curIdx >= 0) return true;
      this.curLeaf = leaf.prev;
      this.curIdx = this.curLeaf === null ? 0 : this.curLeaf.n - 1;
    }
    return this.curLeaf !== null;
  }

  /** The member at a 0-based rank (in range). */
  memberAt(rank: number): string {
    this.seek(rank);
    return this.curMember;
  }

  /** The score at a 0-based rank (in range). */
  scoreAt(rank: number): number {
    this.seek(rank);
    return this.curScore;
  }

  get firstMember(): string {
    return this.head.members[0];
  }

  get lastMember(): string {
    return this.tail.members[this.tail.n - 1];
  }

  /**
   * Appends `n` members (and scores) from rank `start` (0-based, in range),
   * ascending or, when rev, descending from rank `start` counted from the top.
   */
  slice(start: number, n: number, rev: boolean, outM: string[], outS: number[] | null): void {
    let leaf: Leaf | null;
    let i: number;
    if (!rev && start === 0) {
      leaf = this.head;
      i = 0;
    } else if (rev && start === 0) {
      leaf = this.tail;
      i = leaf.n - 1;
    } else {
      this.seek(rev ? this.length - 1 - start : start);
      leaf = this.curLeaf;
      i = this.curIdx;
    }
    while (n > 0 && leaf !== null) {
      const members = leaf.members;
      const scores = leaf.scores;
      if (!rev) {
        const end = Math.min(leaf.n, i + n);
        for (let k = i; k < end; k++) outM.push(members[k]);
        if (outS !== null) for (let k = i; k < end; k++) outS.push(scores[k]);
        n -= end - i;
        leaf = leaf.next;
        i = 0;
      } else {
        const end = Math.max(-1, i - n);
        for (let k = i; k > end; k--) outM.push(members[k]);
        if (outS !== null) for (let k = i; k > end; k--) outS.push(scores[k]);
        n -= i - end;
        leaf = leaf.prev;
        i = leaf === null ? 0 : leaf.n - 1;
      }
    }
  }

  /**
   * The number of pairs whose score is below `bound` (at or below it when
   * orEqual); the cursor is left on the first pair past them (curIdx may be
   * the leaf's length when that pair opens the next leaf).
   */
  private countScoresBelow(bound: number, orEqual: boolean): number {
    let node = this.root;
    let r = 0;
    for (let d = this.height; d > 0; d--) {
      const p = node as Inner;
      const sepS = p.sepS;
      // The last child whose separator is still below (child 0 if none).
      let lo = 1;
      let hi = p.n;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (sepS[mid] < bound || (orEqual && sepS[mid] === bound)) lo = mid + 1;
        else hi = mid;
      }
      const i = lo - 1;
      r += sumCounts(p, 0, i);
      node = p.children[i];
    }
    const leaf = node as Leaf;
    const scores = leaf.scores;
    let lo = 0;
    let hi = leaf.n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (scores[mid] < bound || (orEqual && scores[mid] === bound)) lo = mid + 1;
      else hi = mid;
    }
    this.curLeaf = leaf;
    this.curIdx = lo;
    return r + lo;
  }

  /**
   * The number of leading pairs whose member satisfies `below`, for a
   * predicate that holds for a prefix of the set (members below a bound when
   * all scores are equal). With a predicate that is not monotone it is some
   * rank where it turns from true to false, as Redis's skiplist walk finds one.
   */
  countMembersWhile(below: (m: string) => boolean): number {
    let node = this.root;
    let r = 0;
    for (let d = this.height; d > 0; d--) {
      const p = node as Inner;
      let lo = 1;
      let hi = p.n;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (below(p.sepM[mid])) lo = mid + 1;
        else hi = mid;
      }
      const i = lo - 1;
      r += sumCounts(p, 0, i);
      node = p.children[i];
    }
    const leaf = node as Leaf;
    let lo = 0;
    let hi = leaf.n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (below(leaf.members[mid])) lo = mid + 1;
      else hi = mid;
    }
    return r + lo;
  }

  /** Number of pairs whose score is below min (at or below it when exclusive). */
  countBelowMin(min: number, minex: boolean): number {
    return this.countScoresBelow(min, minex);
  }

  /** Number of pairs whose score is <= max (< max when exclusive). */
  countUpToMax(max: number, maxex: boolean): number {
    return this.countScoresBelow(max, !maxex);
  }

  /**
   * A score range walk as ZRANGEBYSCORE does it: from the first pair in
   * range (rev: the last), skip `offset` pairs, then collect while the
   * pairs stay within the far bound, at most `limit` (negative: all).
   */
  collectScores(min: number, minex: boolean, max: number, maxex: boolean, rev: boolean, offset: number, limit: number, outM: string[], outS: number[] | null): void {
    let i: number;
    if (!rev) {
      i = this.countScoresBelow(min, minex) + offset;
      if (i >= this.length) return;
    } else {
      i = this.countScoresBelow(max, !maxex) - 1 - offset;
      if (i < 0) return;
    }
    // The cursor is on the pair past the counted ones: step there, or seek.
    if (offset === 0 && !rev) {
      if (this.curIdx >= this.curLeaf!.n) {
        this.curLeaf = this.curLeaf!.next;
        this.curIdx = 0;
      }
    } else if (offset === 0 && this.curIdx > 0) {
      this.curIdx--;
    } else {
      this.seek(i);
    }
    let leaf = this.curLeaf;
    let k = this.curIdx;
    while (limit !== 0 && leaf !== null) {
      const s = leaf.scores[k];
      if (!rev ? (maxex ? s >= max : s > max) : minex ? s <= min : s < min) return;
      outM.push(leaf.members[k]);
      if (outS !== null) outS.push(s);
      limit--;
      if (!rev) {
        if (++k >= leaf.n) {
          leaf = leaf.next;
          k = 0;
        }
      } else if (--k < 0) {
        leaf = leaf.prev;
        k = leaf === null ? 0 : leaf.n - 1;
      }
    }
  }

  /** Removes `n` pairs from rank `start` (0-based, in range): O(log N + n). */
  removeRange(start: number, n: number): number {
    if (n <= 0) return 0;
    if (this.height === 0) {
      const leaf = this.root as Leaf;
      for (let k = start; k < start + n; k++) this.dict.delete(leaf.members[k]);
      leafRemove(leaf, start, n);
      this.length -= n;
      return n;
    }
    if (n === this.length) {
      this.forgetAll(this.root, this.height);
      this.root = this.head = this.tail = new Leaf();
      this.height = 0;
      this.length = 0;
      return n;
    }
    // Within one leaf that stays full enough (pops, small ranges): no
    // restructuring, only the counts on the path (a removed first pair
    // leaves its separator a lower bound still).
    this.seek(start);
    const leaf = this.curLeaf!;
    const at = this.curIdx;
    if (at + n <= leaf.n && leaf.n - n >= LEAF_MIN) {
      for (let k = at; k < at + n; k++) this.dict.delete(leaf.members[k]);
      leafRemove(leaf, at, n);
      for (let d = 0; d < this.height; d++) pathNode[d].counts[pathIdx[d]] -= n;
      this.length -= n;
      return n;
    }
    // The leaves wholly inside the range leave the chain first; the
    // structural removal below then only merges neighbours that are linked.
    const first = leaf;
    const keepFirst = at > 0;
    this.seek(start + n - 1);
    const last = this.curLeaf!;
    const keepLast = this.curIdx < last.n - 1;
    if (!(first === last && keepFirst && keepLast)) {
      const before = keepFirst ? first : first.prev;
      const after = keepLast ? last : last.next;
      if (before !== null) before.next = after;
      else this.head = after!;
      if (after !== null) after.prev = before;
      else this.tail = before!;
    }
    this.removeRangeIn(this.root as Inner, this.height, start, n);
    this.length -= n;
    this.collapseRoot();
    return n;
  }

  clone(): ZTree {
    const ms: string[] = [];
    const ss: number[] = [];
    this.slice(0, this.length, false, ms, ss);
    return ZTree.fromSorted(ms, ss);
  }

  *[Symbol.iterator](): IterableIterator<[string, number]> {
    for (let leaf: Leaf | null = this.head; leaf !== null; leaf = leaf.next) {
      for (let i = 0; i < leaf.n; i++) yield [leaf.members[i], leaf.scores[i]];
    }
  }

  *reversed(): IterableIterator<[string, number]> {
    for (let leaf: Leaf | null = this.tail; leaf !== null; leaf = leaf.prev) {
      for (let i = leaf.n - 1; i >= 0; i--) yield [leaf.members[i], leaf.scores[i]];
    }
  }

  /** Length of the longest member. */
  maxMemberLength(): number {
    let max = 0;
    for (let leaf: Leaf | null = this.head; leaf !== null; leaf = leaf.next) {
      for (let i = 0; i < leaf.n; i++) if (leaf.members[i].length > max) max = leaf.members[i].length;
    }
    return max;
  }

  /** Shape of the tree (tests, memory figures). */
  stats(): { height: number; leaves: number; inner: number } {
    let leaves = 0;
    let inner = 0;
    const walk = (node: TreeNode, depth: number): void => {
      if (depth === 0) {
        leaves++;
        return;
      }
      inner++;
      const p = node as Inner;
      for (let i = 0; i < p.n; i++) walk(p.children[i], depth - 1);
    };
    walk(this.root, this.height);
    return { height: this.height, leaves, inner };
  }

  /** Checks every invariant (tests): orders, counts, separators, links, dict, fill. */
  check(): void {
    const fail = (what: string): never => {
      throw new Error('zset tree: ' + what);
    };
    const less = (s1: number, m1: string, s2: number, m2: string): boolean => s1 < s2 || (s1 === s2 && m1 < m2);
    const leaves: Leaf[] = [];
    // Returns the count under the node; keys must lie in [lo, hi) (null: unbounded).
    // Nodes on the tree's left and right edges may be below the minimum fill
    // (in-order inserts split unevenly there).
    const walk = (node: TreeNode, depth: number, loS: number | null, loM: string, hiS: number | null, hiM: string, isRoot: boolean, edge: boolean): number => {
      if (depth === 0) {
        const leaf = node as Leaf;
        if (!(node instanceof Leaf)) fail('inner node at leaf depth');
        if (!isRoot && (edge ? leaf.n < 1 : leaf.n < LEAF_MIN)) fail(`leaf of ${leaf.n} below the minimum`);
        for (let i = 0; i < leaf.n; i++) {
          const s = leaf.scores[i];
          const m = leaf.members[i];
          if (i > 0 && !less(leaf.scores[i - 1], leaf.members[i - 1], s, m)) fail('leaf out of order');
          if (loS !== null && less(s, m, loS, loM)) fail('key below its separator');
          if (hiS !== null && !less(s, m, hiS, hiM)) fail('key not below the next separator');
          if (!Object.is(this.dict.get(m), s)) fail('dict score differs for ' + m);
        }
        for (let i = leaf.n; i < LEAF_CAP; i++) if (leaf.members[i] !== '') fail('stale member slot');
        leaves.push(leaf);
        return leaf.n;
      }
      const p = node as Inner;
      if (!(node instanceof Inner)) fail('leaf above leaf depth');
      if (p.n < (isRoot ? 2 : edge ? 1 : INNER_MIN)) fail(`inner node of ${p.n} children below the minimum`);
      let total = 0;
      for (let i = 0; i < p.n; i++) {
        const cLoS = i === 0 ? loS : p.sepS[i];
        const cLoM = i === 0 ? loM : p.sepM[i];
        const cHiS = i + 1 < p.n ? p.sepS[i + 1] : hiS;
        const cHiM = i + 1 < p.n ? p.sepM[i + 1] : hiM;
        if (i > 0 && i + 1 < p.n && !less(p.sepS[i], p.sepM[i], p.sepS[i + 1], p.sepM[i + 1])) fail('separators out of order');
        const c = walk(p.children[i], depth - 1, cLoS, cLoM, cHiS, cHiM, false, edge && (i === 0 || i === p.n - 1));
        if (c !== p.counts[i]) fail(`count ${p.counts[i]} for a child of ${c}`);
        total += c;
      }
      for (let i = p.n; i < INNER_CAP; i++) if (p.children[i] !== null) fail('stale child slot');
      return total;
    };
    const total = walk(this.root, this.height, null, '', null, '', true, true);
    if (total !== this.length) fail(`length ${this.length} for ${total} pairs`);
    if (this.dict.size !== total) fail(`dict has ${this.dict.size} for ${total} pairs`);
    if (leaves[0] !== this.head || leaves[leaves.length - 1] !== this.tail) fail('head or tail');
    for (let i = 0; i < leaves.length; i++) {
      if (leaves[i].prev !== (i > 0 ? leaves[i - 1] : null)) fail('prev link');
      if (leaves[i].next !== (i + 1 < leaves.length ? leaves[i + 1] : null)) fail('next link');
    }
  }

  // --- internals ---

  /** Descends to the leaf holding (s, m)'s place, recording the path. */
  private descend(s: number, m: string): Leaf {
    let node = this.root;
    for (let d = 0; d < this.height; d++) {
      const p = node as Inner;
      const i = childFor(p, s, m);
      pathNode[d] = p;
      pathIdx[d] = i;
      node = p.children[i];
    }
    return node as Leaf;
  }

  private insertKey(s: number, m: string): void {
    const leaf = this.descend(s, m);
    for (let d = 0; d < this.height; d++) pathNode[d].counts[pathIdx[d]]++;
    const pos = leafLowerBound(leaf, s, m);
    this.length++;
    if (leaf.n < LEAF_CAP) {
      leafInsertAt(leaf, pos, s, m);
      return;
    }
    // Split: in-order appends keep the left leaf full, prepends the right one.
    const append = leaf === this.tail && pos === LEAF_CAP;
    const prepend = leaf === this.head && pos === 0;
    const leftN = append ? LEAF_CAP : prepend ? 1 : (LEAF_CAP + 1) >> 1;
    const right = new Leaf();
    if (pos < leftN) {
      const moved = LEAF_CAP - (leftN - 1);
      leafCopy(leaf, leftN - 1, right, 0, moved);
      right.n = moved;
      for (let k = leftN - 1; k < LEAF_CAP; k++) leaf.members[k] = '';
      leaf.n = leftN - 1;
      leafInsertAt(leaf, pos, s, m);
    } else {
      const moved = LEAF_CAP - leftN;
      leafCopy(leaf, leftN, right, 0, moved);
      right.n = moved;
      for (let k = leftN; k < LEAF_CAP; k++) leaf.members[k] = '';
      leaf.n = leftN;
      leafInsertAt(right, pos - leftN, s, m);
    }
    right.prev = leaf;
    right.next = leaf.next;
    if (leaf.next !== null) leaf.next.prev = right;
    else this.tail = right;
    leaf.next = right;
    this.insertChild(this.height - 1, leaf, leaf.n, right, right.n, right.scores[0], right.members[0], append, prepend);
  }

  /**
   * Puts `right` (just split off `left`, the child at pathIdx[d] of
   * pathNode[d]) after `left` in that node, splitting it in turn when full;
   * at d < 0, grows a new root.
   */
  private insertChild(d: number, left: TreeNode, leftCount: number, right: TreeNode, rightCount: number, sepS: number, sepM: string, append: boolean, prepend: boolean): void {
    if (d < 0) {
      const root = new Inner();
      root.children[0] = left;
      root.counts[0] = leftCount;
      root.children[1] = right;
      root.counts[1] = rightCount;
      root.sepS[1] = sepS;
      root.sepM[1] = sepM;
      root.n = 2;
      this.root = root;
      this.height++;
      return;
    }
    const p = pathNode[d];
    const i = pathIdx[d] + 1;
    p.counts[i - 1] = leftCount;
    if (p.n < INNER_CAP) {
      innerShiftRight(p, i, 1);
      p.children[i] = right;
      p.counts[i] = rightCount;
      p.sepS[i] = sepS;
      p.sepM[i] = sepM;
      return;
    }
    const leftN = append && i === INNER_CAP ? INNER_CAP : prepend && i === 1 ? 2 : (INNER_CAP + 1) >> 1;
    const q = new Inner();
    if (i < leftN) {
      const moved = INNER_CAP - (leftN - 1);
      innerCopy(p, leftN - 1, q, 0, moved);
      q.n = moved;
      innerRemove(p, leftN - 1, moved);
      innerShiftRight(p, i, 1);
      p.children[i] = right;
      p.counts[i] = rightCount;
      p.sepS[i] = sepS;
      p.sepM[i] = sepM;
    } else {
      const moved = INNER_CAP - leftN;
      innerCopy(p, leftN, q, 0, moved);
      q.n = moved;
      innerRemove(p, leftN, moved);
      const j = i - leftN;
      innerShiftRight(q, j, 1);
      q.children[j] = right;
      q.counts[j] = rightCount;
      q.sepS[j] = sepS;
      q.sepM[j] = sepM;
    }
    this.insertChild(d - 1, p, sumCounts(p, 0, p.n), q, sumCounts(q, 0, q.n), q.sepS[0], q.sepM[0], append, prepend);
  }

  /** Removes the pair at `pos` of `leaf`, reached by the last descent (the dict is the caller's). */
  private removeAt(leaf: Leaf, pos: number): void {
    leafRemove(leaf, pos, 1);
    this.length--;
    const h = this.height;
    for (let d = 0; d < h; d++) pathNode[d].counts[pathIdx[d]]--;
    if (leaf.n >= LEAF_MIN || h === 0) return;
    // Fix underflows bottom up while nodes lose children (or have only the
    // one: an uneven split at an end of the tree can leave an inner node
    // there with one child, which its parent then merges with a sibling).
    for (let d = h - 1; d >= 0; d--) {
      const p = pathNode[d];
      if (!this.fixChild(p, pathIdx[d], h - 1 - d) && p.n >= 2) break;
      if (p.n >= INNER_MIN) break;
    }
    this.collapseRoot();
  }

  private collapseRoot(): void {
    while (this.height > 0 && (this.root as Inner).n === 1) {
      this.root = (this.root as Inner).children[0];
      this.height--;
    }
    if (this.height === 0) this.head = this.tail = this.root as Leaf;
  }

  /**
   * Child i of p (`depth` levels above the leaves: 0 for a leaf) is below
   * its minimum fill: merges it with a sibling, or borrows from one when
   * both would not fit in one node. Returns true when p lost a child.
   */
  private fixChild(p: Inner, i: number, depth: number): boolean {
    if (p.n < 2 || !isLow(p.children[i], depth)) return false;
    const leaves = depth === 0;
    // The smaller neighbour, to merge when possible.
    let li: number;
    if (i === 0) li = 0;
    else if (i === p.n - 1) li = i - 1;
    else li = nodeSize(p.children[i - 1], depth) <= nodeSize(p.children[i + 1], depth) ? i - 1 : i;
    const left = p.children[li];
    const right = p.children[li + 1];
    if (leaves) {
      const l = left as Leaf;
      const r = right as Leaf;
      if (l.n + r.n <= LEAF_CAP) {
        leafCopy(r, 0, l, l.n, r.n);
        l.n += r.n;
        l.next = r.next;
        if (r.next !== null) r.next.prev = l;
        else this.tail = l;
        p.counts[li] += p.counts[li + 1];
        innerRemove(p, li + 1, 1);
        return true;
      }
      const leftN = (l.n + r.n) >> 1;
      if (l.n < leftN) {
        const k = leftN - l.n;
        leafCopy(r, 0, l, l.n, k);
        l.n += k;
        leafRemove(r, 0, k);
      } else {
        const k = l.n - leftN;
        for (let j = r.n - 1; j >= 0; j--) {
          r.scores[j + k] = r.scores[j];
          r.members[j + k] = r.members[j];
        }
        leafCopy(l, leftN, r, 0, k);
        r.n += k;
        for (let j = leftN; j < l.n; j++) l.members[j] = '';
        l.n = leftN;
      }
      p.counts[li] = l.n;
      p.counts[li + 1] = r.n;
      p.sepS[li + 1] = r.scores[0];
      p.sepM[li + 1] = r.members[0];
      return false;
    }
    const l = left as Inner;
    const r = right as Inner;
    // r's first child becomes an inner one of l's: its separator is p's.
    r.sepS[0] = p.sepS[li + 1];
    r.sepM[0] = p.sepM[li + 1];
    if (l.n + r.n <= INNER_CAP) {
      innerCopy(r, 0, l, l.n, r.n);
      l.n += r.n;
      p.counts[li] += p.counts[li + 1];
      innerRemove(p, li + 1, 1);
      // After a range removal, a low node may have had one low child: it
      // sits among l's children now, where it can be fixed.
      this.repair(l, depth - 1);
      return true;
    }
    const leftN = (l.n + r.n) >> 1;
    let moved: number;
    if (l.n < leftN) {
      const k = leftN - l.n;
      moved = sumCounts(r, 0, k);
      innerCopy(r, 0, l, l.n, k);
      l.n += k;
      innerRemove(r, 0, k);
    } else {
      const k = l.n - leftN;
      moved = -sumCounts(l, leftN, l.n);
      innerShiftRight(r, 0, k);
      innerCopy(l, leftN, r, 0, k);
      innerRemove(l, leftN, k);
    }
    p.counts[li] += moved;
    p.counts[li + 1] -= moved;
    p.sepS[li + 1] = r.sepS[0];
    p.sepM[li + 1] = r.sepM[0];
    this.repair(l, depth - 1);
    this.repair(r, depth - 1);
    return false;
  }

  /**
   * Fixes the children of p (`depth` levels above the leaves) in slots
   * [from, to) that are below their minimum, until none is or p has one
   * child. A merge moves the slots after it one to the left, so the window
   * widens by one on the left after each fix.
   */
  private repair(p: Inner, depth: number, from = 0, to = INNER_CAP): void {
    for (;; from--) {
      if (p.n < 2) return;
      let low = -1;
      const end = Math.min(p.n, to);
      for (let j = Math.max(0, from); j < end; j++) {
        if (isLow(p.children[j], depth)) {
          low = j;
          break;
        }
      }
      if (low < 0) return;
      this.fixChild(p, low, depth);
    }
  }

  /** Drops every member under a node from the dict. */
  private forgetAll(node: TreeNode, depth: number): void {
    if (depth === 0) {
      const leaf = node as Leaf;
      for (let k = 0; k < leaf.n; k++) this.dict.delete(leaf.members[k]);
      return;
    }
    const p = node as Inner;
    for (let k = 0; k < p.n; k++) this.forgetAll(p.children[k], depth - 1);
  }

  /**
   * Removes the pairs of local ranks [lo, lo + n) under p, whose children
   * are `depth - 1` levels above the leaves (the leaf chain is the caller's):
   * children wholly inside are dropped, the (at most two) partly covered
   * ones recurse and are then merged with or refilled from a neighbour. p
   * itself may end below its minimum fill; its parent sees to that.
   */
  private removeRangeIn(p: Inner, depth: number, lo: number, n: number): void {
    let i = 0;
    while (lo >= p.counts[i]) lo -= p.counts[i++];
    const leaves = depth === 1;
    const touched = i;
    let dropFrom = -1;
    let dropTo = -1;
    while (n > 0) {
      const c = p.counts[i];
      if (lo === 0 && n >= c) {
        this.forgetAll(p.children[i], depth - 1);
        if (dropFrom < 0) dropFrom = i;
        dropTo = i + 1;
        n -= c;
      } else {
        const k = Math.min(n, c - lo);
        if (leaves) {
          const leaf = p.children[i] as Leaf;
          for (let j = lo; j < lo + k; j++) this.dict.delete(leaf.members[j]);
          leafRemove(leaf, lo, k);
        } else {
          this.removeRangeIn(p.children[i] as Inner, depth - 1, lo, k);
        }
        p.counts[i] -= k;
        n -= k;
      }
      lo = 0;
      i++;
    }
    // A partly covered child after the dropped ones keeps its separator:
    // still a lower bound of its keys, above those before it.
    if (dropFrom >= 0) innerRemove(p, dropFrom, dropTo - dropFrom);
    // Only the partly covered children, now in slots touched and touched + 1,
    // can be below their minimum (and low ones on their inner edges, when
    // they were left with one child: fixChild's merges see to those).
    this.repair(p, depth - 1, touched, touched + 2);
  }
}
