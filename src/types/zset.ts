// Sorted sets: members ordered by (score, member), with O(log N) rank.
//
// Two representations, as in Redis:
// - "listpack" (small sets): two parallel arrays kept sorted by (score, member).
//   Lookups are linear, inserts are binary search + splice; at most
//   zset-max-listpack-entries (128) elements, so this is cheap and compact.
//   Like Redis's listpack, which stores integral scores as integers, a -0
//   score is stored as 0 in this form.
// - "skiplist" (big sets): a skiplist with span counts (Pugh's skiplist with
//   Redis's modifications: repeated scores ordered by member, a backward link
//   at level 0, spans for rank) plus a member -> node Map for O(1) scores,
//   held in a separate ZSkiplist object so that a small set carries none of
//   its fields (a ZSet is just the two arrays and a null `sl`).
// Conversion is one-way (listpack -> skiplist) except for results built by
// *STORE commands, which start in whichever form fits (Redis converts those
// back when they are small).
//
// Members are latin1 strings, so JS string comparison (`<`) is memcmp order.

const MAX_LEVEL = 32;
const P = 0.25;

export class ZNode {
  next: (ZNode | null)[];
  span: number[];
  back: ZNode | null = null;
  constructor(
    public m: string,
    public s: number,
    level: number,
  ) {
    this.next = new Array(level).fill(null);
    this.span = new Array(level).fill(0);
  }
}

/** A score range: min/max with exclusive flags (zrangespec). */
export interface ScoreRange {
  min: number;
  max: number;
  minex: boolean;
  maxex: boolean;
}

/**
 * A lex range (zlexrangespec). min/max are member strings; MINUS ('-') and
 * PLUS ('+') are represented by the `minInf`/`maxInf` flags.
 */
export interface LexRange {
  min: string;
  max: string;
  minex: boolean;
  maxex: boolean;
  /** min is '-' (or '+' when given as min: nothing is >= it). */
  minKind: 0 | 1 | 2; // 0 = string, 1 = '-' (-inf), 2 = '+' (+inf)
  maxKind: 0 | 1 | 2;
}

function randomLevel(): number {
  let l = 1;
  while (Math.random() < P && l < MAX_LEVEL) l++;
  return l;
}

/** (s1, m1) < (s2, m2) in zset order. */
function before(s1: number, m1: string, s2: number, m2: string): boolean {
  return s1 < s2 || (s1 === s2 && m1 < m2);
}

export function lexGteMin(m: string, r: LexRange): boolean {
  if (r.minKind === 1) return true;
  if (r.minKind === 2) return false;
  return r.minex ? m > r.min : m >= r.min;
}

export function lexLteMax(m: string, r: LexRange): boolean {
  if (r.maxKind === 2) return true;
  if (r.maxKind === 1) return false;
  return r.maxex ? m < r.max : m <= r.max;
}

export function scoreGteMin(s: number, r: ScoreRange): boolean {
  return r.minex ? s > r.min : s >= r.min;
}

export function scoreLteMax(s: number, r: ScoreRange): boolean {
  return r.maxex ? s < r.max : s <= r.max;
}

/** True when the range cannot contain anything (zslIsInRange's first test). */
export function scoreRangeEmpty(r: ScoreRange): boolean {
  return r.min > r.max || (r.min === r.max && (r.minex || r.maxex));
}

/** sdscmplex-based emptiness test of a lex range. */
export function lexRangeEmpty(r: LexRange): boolean {
  // sdscmplex: '-' and '+' are sentinels below and above every string.
  let cmp: number;
  if (r.minKind === 0 && r.maxKind === 0) cmp = r.min < r.max ? -1 : r.min > r.max ? 1 : 0;
  else if (r.minKind === r.maxKind) cmp = 0;
  else if (r.minKind === 1 || r.maxKind === 2) cmp = -1;
  else cmp = 1;
  return cmp > 0 || (cmp === 0 && (r.minex || r.maxex));
}

/**
 * The skiplist form of a sorted set: the skiplist (zskiplist) and the
 * member -> node Map (Redis's zset dict) that gives O(1) scores.
 */
export class ZSkiplist {
  dict: Map<string, ZNode> = new Map();
  head: ZNode = new ZNode('', 0, MAX_LEVEL);
  tail: ZNode | null = null;
  level = 1;
  length = 0;

  /** Inserts a member that is not present. */
  add(m: string, s: number): void {
    this.dict.set(m, this.zslInsert(s, m));
  }

  /** Changes the score of a present member. */
  update(m: string, s: number): void {
    const n = this.dict.get(m)!;
    // Fast path: the node stays where it is (zslUpdateScore).
    const prev = n.back;
    const next = n.next[0];
    if ((prev === null || before(prev.s, prev.m, s, m)) && (next === null || before(s, m, next.s, next.m))) {
      n.s = s;
      return;
    }
    this.zslDelete(n.s, m);
    this.dict.set(m, this.zslInsert(s, m));
  }

  /** Removes a member; returns true if it was present. */
  remove(m: string): boolean {
    const n = this.dict.get(m);
    if (n === undefined) return false;
    this.dict.delete(m);
    this.zslDelete(n.s, m);
    return true;
  }

  /** 0-based rank of the member in ascending order, or -1. */
  rank(m: string): number {
    const n = this.dict.get(m);
    if (n === undefined) return -1;
    const s = n.s;
    let x = this.head;
    let rank = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.next[i];
      while (f !== null && (f.s < s || (f.s === s && f.m <= m))) {
        rank += x.span[i];
        x = f;
        f = x.next[i];
      }
      if (x === n) return rank - 1;
    }
    return rank - 1;
  }

  /** The node at a 0-based rank (must be in range). */
  nodeAt(i: number): ZNode {
    const rank = i + 1;
    let x = this.head;
    let traversed = 0;
    for (let l = this.level - 1; l >= 0; l--) {
      let f = x.next[l];
      while (f !== null && traversed + x.span[l] <= rank) {
        traversed += x.span[l];
        x = f;
        f = x.next[l];
      }
      if (traversed === rank) return x;
    }
    throw new Error('zset rank out of range');
  }

  /**
   * Appends `n` members (and scores) from rank `start` (0-based, in range),
   * ascending or, when rev, descending from rank `start` counted from the top.
   */
  slice(start: number, n: number, rev: boolean, outM: string[], outS: number[] | null): void {
    let x: ZNode | null = rev ? (start === 0 ? this.tail : this.nodeAt(this.length - 1 - start)) : start === 0 ? this.head.next[0] : this.nodeAt(start);
    for (let k = 0; k < n && x !== null; k++) {
      outM.push(x.m);
      if (outS !== null) outS.push(x.s);
      x = rev ? x.back : x.next[0];
    }
  }

  /** Number of elements strictly below the range's lower bound. */
  countBelowMin(r: ScoreRange): number {
    let x = this.head;
    let rank = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.next[i];
      while (f !== null && !scoreGteMin(f.s, r)) {
        rank += x.span[i];
        x = f;
        f = x.next[i];
      }
    }
    return rank;
  }

  /** Number of elements <= max (< max when exclusive). */
  countUpToMax(r: ScoreRange): number {
    let x = this.head;
    let rank = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.next[i];
      while (f !== null && scoreLteMax(f.s, r)) {
        rank += x.span[i];
        x = f;
        f = x.next[i];
      }
    }
    return rank;
  }

  /** ZSet.lexFirst's greedy walk (the range is known to be non-empty). */
  lexFirst(r: LexRange): number {
    let x = this.head;
    let rank = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.next[i];
      while (f !== null && !lexGteMin(f.m, r)) {
        rank += x.span[i];
        x = f;
        f = x.next[i];
      }
    }
    const n = x.next[0];
    return n !== null && lexLteMax(n.m, r) ? rank : -1;
  }

  /** ZSet.lexLast's greedy walk (the range is known to be non-empty). */
  lexLast(r: LexRange): number {
    let x = this.head;
    let rank = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.next[i];
      while (f !== null && lexLteMax(f.m, r)) {
        rank += x.span[i];
        x = f;
        f = x.next[i];
      }
    }
    return x !== this.head && lexGteMin(x.m, r) ? rank - 1 : -1;
  }

  /** Removes `n` elements from rank `start` (0-based, in range); returns how many. */
  removeRange(start: number, n: number): number {
    const update: ZNode[] = new Array(this.level);
    let x = this.head;
    let traversed = 0;
    const s1 = start + 1;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.next[i];
      while (f !== null && traversed + x.span[i] < s1) {
        traversed += x.span[i];
        x = f;
        f = x.next[i];
      }
      update[i] = x;
    }
    let node = x.next[0];
    let removed = 0;
    while (node !== null && removed < n) {
      const next = node.next[0];
      this.deleteNode(node, update);
      this.dict.delete(node.m);
      removed++;
      node = next;
    }
    return removed;
  }

  clone(): ZSkiplist {
    const sl = new ZSkiplist();
    for (let x = this.head.next[0]; x !== null; x = x.next[0]) sl.add(x.m, x.s);
    return sl;
  }

  // --- internals ---

  /** zslInsert: links a new node for a member that is not present. */
  private zslInsert(s: number, m: string): ZNode {
    const update: ZNode[] = new Array(MAX_LEVEL);
    const rank: number[] = new Array(MAX_LEVEL);
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      rank[i] = i === this.level - 1 ? 0 : rank[i + 1];
      let f = x.next[i];
      while (f !== null && (f.s < s || (f.s === s && f.m < m))) {
        rank[i] += x.span[i];
        x = f;
        f = x.next[i];
      }
      update[i] = x;
    }
    const level = randomLevel();
    if (level > this.level) {
      for (let i = this.level; i < level; i++) {
        rank[i] = 0;
        update[i] = this.head;
        this.head.span[i] = this.length;
      }
      this.level = level;
    }
    const n = new ZNode(m, s, level);
    for (let i = 0; i < level; i++) {
      const u = update[i];
      n.next[i] = u.next[i];
      u.next[i] = n;
      n.span[i] = u.span[i] - (rank[0] - rank[i]);
      u.span[i] = rank[0] - rank[i] + 1;
    }
    for (let i = level; i < this.level; i++) update[i].span[i]++;
    n.back = update[0] === this.head ? null : update[0];
    if (n.next[0] !== null) n.next[0]!.back = n;
    else this.tail = n;
    this.length++;
    return n;
  }

  private deleteNode(x: ZNode, update: ZNode[]): void {
    for (let i = 0; i < this.level; i++) {
      const u = update[i];
      if (u.next[i] === x) {
        u.span[i] += x.span[i] - 1;
        u.next[i] = x.next[i];
      } else {
        u.span[i] -= 1;
      }
    }
    if (x.next[0] !== null) x.next[0]!.back = x.back;
    else this.tail = x.back;
    const head = this.head;
    while (this.level > 1 && head.next[this.level - 1] === null) this.level--;
    this.length--;
  }

  /** zslDelete: unlinks the node of (s, m) if there is one (the dict is the caller's). */
  private zslDelete(s: number, m: string): void {
    const update: ZNode[] = new Array(this.level);
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.next[i];
      while (f !== null && (f.s < s || (f.s === s && f.m < m))) {
        x = f;
        f = x.next[i];
      }
      update[i] = x;
    }
    const n = x.next[0];
    if (n !== null && n.m === m) this.deleteNode(n, update);
  }
}

export class ZSet {
  // listpack form (empty arrays in the skiplist form)
  lm: string[] = [];
  ls: number[] = [];
  /** The skiplist form, or null in the compact "listpack" form. */
  sl: ZSkiplist | null = null;

  /** true: compact "listpack" form (arrays); false: skiplist + dict. */
  get lp(): boolean {
    return this.sl === null;
  }

  get size(): number {
    const sl = this.sl;
    return sl === null ? this.lm.length : sl.length;
  }

  /** Converts to the skiplist form (one-way). */
  toSkiplist(): void {
    if (this.sl !== null) return;
    const lm = this.lm;
    const ls = this.ls;
    const sl = new ZSkiplist();
    this.lm = [];
    this.ls = [];
    this.sl = sl;
    for (let i = 0; i < lm.length; i++) sl.add(lm[i], ls[i]);
  }

  /** Converts a skiplist back to the compact form (results of *STORE commands). */
  toListpack(): void {
    const sl = this.sl;
    if (sl === null) return;
    const lm: string[] = [];
    const ls: number[] = [];
    for (let x = sl.head.next[0]; x !== null; x = x.next[0]) {
      lm.push(x.m);
      ls.push(x.s === 0 ? 0 : x.s);
    }
    this.lm = lm;
    this.ls = ls;
    this.sl = null;
  }

  /** The member's score, or undefined. */
  score(m: string): number | undefined {
    const sl = this.sl;
    if (sl === null) {
      const i = this.lm.indexOf(m);
      return i < 0 ? undefined : this.ls[i];
    }
    const n = sl.dict.get(m);
    return n === undefined ? undefined : n.s;
  }

  has(m: string): boolean {
    const sl = this.sl;
    return sl === null ? this.lm.indexOf(m) >= 0 : sl.dict.has(m);
  }

  /** Inserts a member that is not present. */
  insert(m: string, s: number): void {
    const sl = this.sl;
    if (sl === null) {
      if (s === 0) s = 0; // -0 -> 0, like an integer listpack entry
      this.lpInsert(m, s);
      return;
    }
    sl.add(m, s);
  }

  /**
   * Re-allocates the compact arrays at their exact length. V8 grows an array
   * by half plus 16 slots on push, which for a 3-element listpack is most of
   * its memory. Called once at the end of a command that added elements.
   */
  fit(): void {
    if (this.sl === null) {
      this.lm = this.lm.slice();
      this.ls = this.ls.slice();
    }
  }

  private lpInsert(m: string, s: number): void {
    const lm = this.lm;
    const ls = this.ls;
    let lo = 0;
    let hi = lm.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before(ls[mid], lm[mid], s, m)) lo = mid + 1;
      else hi = mid;
    }
    if (lo === lm.length) {
      lm.push(m);
      ls.push(s);
    } else {
      lm.splice(lo, 0, m);
      ls.splice(lo, 0, s);
    }
  }

  /** Changes the score of a present member. */
  update(m: string, s: number): void {
    const sl = this.sl;
    if (sl === null) {
      const i = this.lm.indexOf(m);
      this.lm.splice(i, 1);
      this.ls.splice(i, 1);
      if (s === 0) s = 0;
      this.lpInsert(m, s);
      return;
    }
    sl.update(m, s);
  }

  /** Removes a member; returns true if it was present. */
  remove(m: string): boolean {
    const sl = this.sl;
    if (sl === null) {
      const i = this.lm.indexOf(m);
      if (i < 0) return false;
      this.lm.splice(i, 1);
      this.ls.splice(i, 1);
      return true;
    }
    return sl.remove(m);
  }

  /** 0-based rank of the member in ascending order, or -1. */
  rank(m: string): number {
    const sl = this.sl;
    return sl === null ? this.lm.indexOf(m) : sl.rank(m);
  }

  /** Member and score at a 0-based rank (must be in range). */
  memberAt(i: number): string {
    const sl = this.sl;
    return sl === null ? this.lm[i] : sl.nodeAt(i).m;
  }

  scoreAt(i: number): number {
    const sl = this.sl;
    return sl === null ? this.ls[i] : sl.nodeAt(i).s;
  }

  /**
   * Appends members (and scores) of ranks [start, end] (0-based, inclusive,
   * in range) to the output arrays, ascending or, when rev, descending from
   * rank `start` counted from the top.
   */
  slice(start: number, end: number, rev: boolean, outM: string[], outS: number[] | null): void {
    const n = end - start + 1;
    if (n <= 0) return;
    const sl = this.sl;
    if (sl !== null) {
      sl.slice(start, n, rev, outM, outS);
      return;
    }
    const lm = this.lm;
    const ls = this.ls;
    const len = lm.length;
    if (!rev) {
      for (let i = start; i <= end; i++) {
        outM.push(lm[i]);
        if (outS !== null) outS.push(ls[i]);
      }
    } else {
      for (let i = len - 1 - start; i >= len - 1 - end; i--) {
        outM.push(lm[i]);
        if (outS !== null) outS.push(ls[i]);
      }
    }
  }

  /**
   * Number of elements strictly below the range's lower bound, i.e. the rank
   * of the first element >= min (> min when exclusive).
   */
  countBelowMin(r: ScoreRange): number {
    const sl = this.sl;
    if (sl !== null) return sl.countBelowMin(r);
    const ls = this.ls;
    let i = 0;
    while (i < ls.length && !scoreGteMin(ls[i], r)) i++;
    return i;
  }

  /** Number of elements <= max (< max when exclusive): one past the last rank in range. */
  countUpToMax(r: ScoreRange): number {
    const sl = this.sl;
    if (sl !== null) return sl.countUpToMax(r);
    const ls = this.ls;
    let i = ls.length;
    while (i > 0 && !scoreLteMax(ls[i - 1], r)) i--;
    return i;
  }

  /**
   * Ranks [first, last] of elements in a score range, or null when empty.
   * The walk mirrors Redis (first in range from the bottom, last in range from the top).
   */
  scoreRangeRanks(r: ScoreRange): [number, number] | null {
    const len = this.size;
    if (len === 0 || scoreRangeEmpty(r)) return null;
    const first = this.countBelowMin(r);
    if (first >= len || !scoreLteMax(this.scoreAt(first), r)) return null;
    const last = this.countUpToMax(r) - 1;
    if (last < first) return null;
    return [first, last];
  }

  /** zslIsInLexRange / zzlIsInLexRange: the range may hold something. */
  private lexInRange(r: LexRange): boolean {
    const len = this.size;
    if (len === 0 || lexRangeEmpty(r)) return false;
    const sl = this.sl;
    if (sl === null) return lexGteMin(this.lm[len - 1], r) && lexLteMax(this.lm[0], r);
    return lexGteMin(sl.tail!.m, r) && lexLteMax(sl.head.next[0]!.m, r);
  }

  /**
   * Rank of the first element in a lex range as Redis finds it (a linear scan
   * of the listpack, a greedy walk of the skiplist), or -1. Lex ranges assume
   * equal scores; with mixed scores the answer is Redis's, walk for walk.
   */
  lexFirst(r: LexRange): number {
    if (!this.lexInRange(r)) return -1;
    const sl = this.sl;
    if (sl !== null) return sl.lexFirst(r);
    const lm = this.lm;
    for (let i = 0; i < lm.length; i++) {
      if (lexGteMin(lm[i], r)) return lexLteMax(lm[i], r) ? i : -1;
    }
    return -1;
  }

  /** Rank of the last element in a lex range as Redis finds it, or -1. */
  lexLast(r: LexRange): number {
    if (!this.lexInRange(r)) return -1;
    const sl = this.sl;
    if (sl !== null) return sl.lexLast(r);
    const lm = this.lm;
    for (let i = lm.length - 1; i >= 0; i--) {
      if (lexLteMax(lm[i], r)) return lexGteMin(lm[i], r) ? i : -1;
    }
    return -1;
  }

  /**
   * Redis's lex range walk: from the first (or, reversed, the last) element
   * in range, skip `offset` elements unchecked, then collect while the
   * elements stay within the far bound, at most `limit` (negative: all).
   */
  lexCollect(r: LexRange, rev: boolean, offset: number, limit: number, outM: string[], outS: number[] | null): void {
    let i = rev ? this.lexLast(r) : this.lexFirst(r);
    if (i < 0) return;
    const len = this.size;
    i += rev ? -offset : offset;
    if (i < 0 || i >= len) return;
    const sl = this.sl;
    if (sl === null) {
      const lm = this.lm;
      const ls = this.ls;
      for (; i >= 0 && i < len && limit !== 0; i += rev ? -1 : 1, limit--) {
        if (rev ? !lexGteMin(lm[i], r) : !lexLteMax(lm[i], r)) break;
        outM.push(lm[i]);
        if (outS !== null) outS.push(ls[i]);
      }
      return;
    }
    for (let x: ZNode | null = sl.nodeAt(i); x !== null && limit !== 0; x = rev ? x.back : x.next[0], limit--) {
      if (rev ? !lexGteMin(x.m, r) : !lexLteMax(x.m, r)) break;
      outM.push(x.m);
      if (outS !== null) outS.push(x.s);
    }
  }

  /** ZLEXCOUNT as Redis computes it. */
  lexCount(r: LexRange): number {
    const first = this.lexFirst(r);
    if (first < 0) return 0;
    const sl = this.sl;
    if (sl === null) {
      let n = 0;
      for (let i = first; i < this.lm.length && lexLteMax(this.lm[i], r); i++) n++;
      return n;
    }
    let count = sl.length - first;
    const last = this.lexLast(r);
    if (last >= 0) count -= sl.length - (last + 1);
    return count;
  }

  /** ZREMRANGEBYLEX: from the first in range, remove while <= max. Returns how many. */
  lexRemove(r: LexRange): number {
    const first = this.lexFirst(r);
    if (first < 0) return 0;
    let last = first;
    const sl = this.sl;
    if (sl === null) {
      while (last + 1 < this.lm.length && lexLteMax(this.lm[last + 1], r)) last++;
    } else {
      for (let x = sl.nodeAt(first).next[0]; x !== null && lexLteMax(x.m, r); x = x.next[0]) last++;
    }
    return this.removeRange(first, last);
  }

  /** Removes ranks [start, end] (0-based, inclusive, in range); returns how many. */
  removeRange(start: number, end: number): number {
    const n = end - start + 1;
    if (n <= 0) return 0;
    const sl = this.sl;
    if (sl !== null) return sl.removeRange(start, n);
    this.lm.splice(start, n);
    this.ls.splice(start, n);
    return n;
  }

  /** Removes every element (key deletion does the rest). */
  clear(): void {
    this.lm = [];
    this.ls = [];
    this.sl = null;
  }

  /** Length of the longest member (conversion checks). */
  maxMemberLength(): number {
    let max = 0;
    for (const [m] of this) if (m.length > max) max = m.length;
    return max;
  }

  *[Symbol.iterator](): IterableIterator<[string, number]> {
    const sl = this.sl;
    if (sl === null) {
      const lm = this.lm;
      const ls = this.ls;
      for (let i = 0; i < lm.length; i++) yield [lm[i], ls[i]];
      return;
    }
    for (let x = sl.head.next[0]; x !== null; x = x.next[0]) yield [x.m, x.s];
  }

  /** Members and scores from the highest to the lowest. */
  *reversed(): IterableIterator<[string, number]> {
    const sl = this.sl;
    if (sl === null) {
      const lm = this.lm;
      const ls = this.ls;
      for (let i = lm.length - 1; i >= 0; i--) yield [lm[i], ls[i]];
      return;
    }
    for (let x = sl.tail; x !== null; x = x.back) yield [x.m, x.s];
  }

  clone(): ZSet {
    const z = new ZSet();
    const sl = this.sl;
    if (sl === null) {
      z.lm = this.lm.slice();
      z.ls = this.ls.slice();
      return z;
    }
    z.sl = sl.clone();
    return z;
  }
}
