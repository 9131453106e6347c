// Sorted sets: members ordered by (score, member), with O(log N) rank.
//
// Two representations, as in Redis:
// - "listpack" (small sets): one packed string (src/types/packed.ts) of
//   entries member, score, member, score, ... in (score, member) order, each
//   score as its String() text, which reads back exactly (Redis's listpack
//   also keeps scores as text or integers). Lookups and inserts are linear
//   walks and every write builds a new string; at most
//   zset-max-listpack-entries (128) elements, so this is cheap and compact.
//   A -0 score is stored as 0 (String(-0) is "0"), as Redis's listpack does.
// - the big form (OBJECT ENCODING "skiplist", Redis's name for it): a B+-tree
//   ordered by (score, member) with subtree counts for ranks, plus a
//   member -> score dict (src/types/zset-tree.ts), held in the same field as
//   the packed string.
// Conversion is one-way (listpack -> big form); *STORE commands build their
// results in whichever form fits (Redis converts those back when they are
// small). Callers see ranks, pairs and iteration, never the encoding.
//
// Members are latin1 strings, so JS string comparison (`<`) is memcmp order.

import { type Packed, EMPTY_PACKED, entryAt, entryCount, entryData, entryLength, entryPosition, flat, indexOfEntry, nextEntry, packEntry, splice } from './packed.js';
import { ZTree } from './zset-tree.js';

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

// --- the listpack form: pairs of entries member, score in one packed string ---
//
// A pair is addressed by the position of its member entry. A score entry is
// the score's String() text (shortest round-trip, at most 24 chars, so its
// length is always one char); Number() reads it back exactly.

/** The packed entry of a score. */
function scoreEntry(s: number): string {
  return packEntry(String(s));
}

/** Position of the score entry of the pair at `pos`. */
function scorePos(p: Packed, pos: number): number {
  const c = p.charCodeAt(pos);
  return c < 128 ? pos + 1 + c : nextEntry(p, pos);
}

/** Position of the pair after the one at `pos`. */
function nextPair(p: Packed, pos: number): number {
  const sp = scorePos(p, pos);
  return sp + 1 + p.charCodeAt(sp);
}

/** Position of the pair of rank `i`; p.length if there are fewer pairs. */
function pairPos(p: Packed, i: number): number {
  return entryPosition(p, 2 * i);
}

/** 10^0 .. 10^15, exact doubles. */
const POW10: number[] = [];
for (let k = 0, x = 1; k <= 15; k++, x *= 10) POW10.push(x);

/**
 * The score of the score entry at `sp`. Texts of at most 15 digits and no
 * exponent are parsed here: the digits as an integer divided by a power of
 * ten, both exact, so IEEE division rounds to the value Number() reads.
 */
function readScore(p: Packed, sp: number): number {
  const len = p.charCodeAt(sp);
  let i = sp + 1;
  let c = p.charCodeAt(i);
  if (len === 1) return c - 48; // a digit
  const end = i + len;
  const neg = c === 45;
  if (neg) c = p.charCodeAt(++i);
  let v = 0;
  let digits = 0;
  let scale = 0;
  while (c >= 48 && c <= 57) {
    v = v * 10 + (c - 48);
    digits++;
    c = ++i < end ? p.charCodeAt(i) : 0;
  }
  if (c === 46) {
    c = ++i < end ? p.charCodeAt(i) : 0;
    while (c >= 48 && c <= 57) {
      v = v * 10 + (c - 48);
      digits++;
      scale++;
      c = ++i < end ? p.charCodeAt(i) : 0;
    }
  }
  if (i === end && digits <= 15) {
    if (scale > 0) v /= POW10[scale];
    return neg ? -v : v;
  }
  return Number(p.substring(sp + 1, end));
}

/** Compares the `len` chars of `p` from `d` with `m` (memcmp order). */
function compareAt(p: Packed, d: number, len: number, m: string): number {
  const ml = m.length;
  const n = len < ml ? len : ml;
  for (let k = 0; k < n; k++) {
    const a = p.charCodeAt(d + k);
    const b = m.charCodeAt(k);
    if (a !== b) return a - b;
  }
  return len - ml;
}

/** Position of the pair of member `m`, or -1. */
function findMember(p: Packed, m: string): number {
  return indexOfEntry(p, m, 2);
}

/**
 * Where (s, m) goes: the position of the first pair after it in zset order,
 * passing over the pair at [skipFrom, skipTo) (the member's own, on update).
 */
function insertPos(p: Packed, s: number, m: string, skipFrom: number, skipTo: number): number {
  const n = p.length;
  let pos = 0;
  while (pos < n) {
    if (pos === skipFrom) {
      pos = skipTo;
      continue;
    }
    const c = p.charCodeAt(pos);
    let d: number;
    let len: number;
    if (c < 128) {
      d = pos + 1;
      len = c;
    } else {
      d = entryData(p, pos);
      len = entryLength(p, pos);
    }
    const sp = d + len;
    const sc = readScore(p, sp);
    if (sc > s || (sc === s && compareAt(p, d, len, m) > 0)) return pos;
    pos = sp + 1 + p.charCodeAt(sp);
  }
  return n;
}

export class ZSet {
  /** The listpack form (packed pairs member, score in zset order) or the big form. */
  private d: Packed | ZTree = EMPTY_PACKED;

  /** A listpack-form set of pairs already in zset order (*STORE results). */
  static fromSorted(ms: readonly string[], ss: readonly number[]): ZSet {
    const z = new ZSet();
    let p = '';
    for (let i = 0; i < ms.length; i++) p += packEntry(ms[i]) + scoreEntry(ss[i]);
    z.d = flat(p);
    return z;
  }

  /** A big-form set of pairs already in zset order, built in O(N). */
  static fromSortedBig(ms: readonly string[], ss: readonly number[]): ZSet {
    const z = new ZSet();
    z.d = ZTree.fromSorted(ms, ss);
    return z;
  }

  /**
   * Packs a big-form set back into the listpack form (a ZADD of many
   * members into a listpack runs on the big form, see zaddGeneric).
   */
  toListpack(): void {
    const d = this.d;
    if (typeof d === 'string') return;
    let p = '';
    for (const [m, s] of d) p += packEntry(m) + scoreEntry(s);
    this.d = flat(p);
  }

  /** true: compact "listpack" form; false: the big form (tree + dict). */
  get lp(): boolean {
    return typeof this.d === 'string';
  }

  /** Number of elements (a walk of the listpack). */
  get size(): number {
    const d = this.d;
    return typeof d !== 'string' ? d.length : entryCount(d) >> 1;
  }

  get empty(): boolean {
    return this.d.length === 0;
  }

  /** Converts to the big form (one-way; named after Redis's encoding). */
  toSkiplist(): void {
    const d = this.d;
    if (typeof d !== 'string') return;
    const ms: string[] = [];
    const ss: number[] = [];
    for (let pos = 0; pos < d.length; pos = nextPair(d, pos)) {
      ms.push(entryAt(d, pos));
      ss.push(readScore(d, scorePos(d, pos)));
    }
    this.d = ZTree.fromSorted(ms, ss);
  }

  /** The member's score, or undefined. */
  score(m: string): number | undefined {
    const d = this.d;
    if (typeof d === 'string') {
      const pos = findMember(d, m);
      if (pos < 0) return undefined;
      return readScore(d, m.length < 128 ? pos + 1 + m.length : scorePos(d, pos));
    }
    return d.dict.get(m);
  }

  has(m: string): boolean {
    const d = this.d;
    return typeof d === 'string' ? findMember(d, m) >= 0 : d.dict.has(m);
  }

  /** Inserts a member that is not present. The listpack form stores -0 as 0. */
  insert(m: string, s: number): void {
    const d = this.d;
    if (typeof d !== 'string') {
      d.add(m, s);
      return;
    }
    const at = insertPos(d, s, m, -1, -1);
    const pair = packEntry(m) + scoreEntry(s);
    this.d = at === d.length ? flat(d + pair) : splice(d, at, at, pair);
  }

  /** Changes the score of a present member (whose score is `cur`, when the caller knows it). */
  update(m: string, s: number, cur?: number): void {
    const d = this.d;
    if (typeof d !== 'string') {
      d.update(m, cur === undefined ? d.dict.get(m)! : cur, s);
      return;
    }
    const from = findMember(d, m);
    const sp = scorePos(d, from);
    const to = sp + 1 + d.charCodeAt(sp);
    const at = insertPos(d, s, m, from, to);
    if (at === from || at === to) this.d = splice(d, sp, to, scoreEntry(s));
    else if (at < from) this.d = flat(d.substring(0, at) + d.substring(from, sp) + scoreEntry(s) + d.substring(at, from) + d.substring(to));
    else this.d = flat(d.substring(0, from) + d.substring(to, at) + d.substring(from, sp) + scoreEntry(s) + d.substring(at));
  }

  /** Removes a member; returns true if it was present. */
  remove(m: string): boolean {
    const d = this.d;
    if (typeof d !== 'string') return d.remove(m);
    const pos = findMember(d, m);
    if (pos < 0) return false;
    this.d = splice(d, pos, nextPair(d, pos), EMPTY_PACKED);
    return true;
  }

  /** 0-based rank of the member in ascending order, or -1. */
  rank(m: string): number {
    const d = this.d;
    if (typeof d !== 'string') return d.rank(m);
    const at = findMember(d, m);
    if (at < 0) return -1;
    let i = 0;
    for (let pos = 0; pos < at; pos = nextPair(d, pos)) i++;
    return i;
  }

  /** Member at a 0-based rank (must be in range). */
  memberAt(i: number): string {
    const d = this.d;
    return typeof d === 'string' ? entryAt(d, pairPos(d, i)) : d.memberAt(i);
  }

  /** Score at a 0-based rank (must be in range). */
  scoreAt(i: number): number {
    const d = this.d;
    return typeof d === 'string' ? readScore(d, scorePos(d, pairPos(d, i))) : d.scoreAt(i);
  }

  /**
   * Appends members (and scores) of ranks [start, end] (0-based, inclusive,
   * in range) to the output arrays, ascending or, when rev, descending from
   * rank `start` counted from the top.
   */
  slice(start: number, end: number, rev: boolean, outM: string[], outS: number[] | null): void {
    const n = end - start + 1;
    if (n <= 0) return;
    const d = this.d;
    if (typeof d !== 'string') {
      d.slice(start, n, rev, outM, outS);
      return;
    }
    // The packed form reads forward only: a reversed slice is read ascending, then flipped.
    const base = outM.length;
    let pos = pairPos(d, rev ? this.size - 1 - end : start);
    for (let k = 0; k < n; k++) {
      const c = d.charCodeAt(pos);
      let sp: number;
      if (c < 128) {
        sp = pos + 1 + c;
        outM.push(d.substring(pos + 1, sp));
      } else {
        sp = nextEntry(d, pos);
        outM.push(entryAt(d, pos));
      }
      if (outS !== null) outS.push(readScore(d, sp));
      pos = sp + 1 + d.charCodeAt(sp);
    }
    if (rev) {
      reverseTail(outM, base);
      if (outS !== null) reverseTail(outS, outS.length - n);
    }
  }

  /**
   * Number of elements strictly below the range's lower bound, i.e. the rank
   * of the first element >= min (> min when exclusive).
   */
  countBelowMin(r: ScoreRange): number {
    const d = this.d;
    if (typeof d !== 'string') return d.countBelowMin(r.min, r.minex);
    let i = 0;
    for (let pos = 0; pos < d.length; pos = nextPair(d, pos), i++) {
      if (scoreGteMin(readScore(d, scorePos(d, pos)), r)) break;
    }
    return i;
  }

  /** Number of elements <= max (< max when exclusive): one past the last rank in range. */
  countUpToMax(r: ScoreRange): number {
    const d = this.d;
    if (typeof d !== 'string') return d.countUpToMax(r.max, r.maxex);
    let i = 0;
    for (let pos = 0; pos < d.length; pos = nextPair(d, pos), i++) {
      if (!scoreLteMax(readScore(d, scorePos(d, pos)), r)) break;
    }
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
    if (first >= len) return null;
    // When the first pair not below min is above max, so is every one after it.
    const last = this.countUpToMax(r) - 1;
    if (last < first) return null;
    return [first, last];
  }

  /**
   * ZRANGEBYSCORE's walk: from the first element in range (rev: the last),
   * skip `offset` elements, then collect while they stay within the far
   * bound, at most `limit` (negative: all).
   */
  scoreCollect(r: ScoreRange, rev: boolean, offset: number, limit: number, outM: string[], outS: number[] | null): void {
    const d = this.d;
    if (typeof d !== 'string') {
      if (d.length > 0 && !scoreRangeEmpty(r)) d.collectScores(r.min, r.minex, r.max, r.maxex, rev, offset, limit, outM, outS);
      return;
    }
    const rr = this.scoreRangeRanks(r);
    if (rr === null) return;
    let n = rr[1] - rr[0] + 1 - offset;
    if (n <= 0) return;
    if (limit >= 0 && limit < n) n = limit;
    const len = this.size;
    if (!rev) this.slice(rr[0] + offset, rr[0] + offset + n - 1, false, outM, outS);
    else this.slice(len - 1 - rr[1] + offset, len - 1 - rr[1] + offset + n - 1, true, outM, outS);
  }

  /**
   * Calls visit(member, score) for the pairs with min <= score < max in
   * ascending order, until it returns false: geo's box scans (Redis's
   * zzlFirstInRange / zslNthInRange walks), without collecting the range.
   */
  walkScoreRange(min: number, max: number, visit: (m: string, s: number) => boolean): void {
    if (!(min < max)) return;
    const d = this.d;
    if (typeof d !== 'string') {
      if (d.countBelowMin(min, false) >= d.length) return;
      // The count leaves the cursor on the first pair not below min (at the end of a leaf: the next one's first).
      if (d.curIdx >= d.curLeaf!.n) {
        d.curLeaf = d.curLeaf!.next;
        d.curIdx = 0;
      }
      do {
        const s = d.curScore;
        if (s >= max || !visit(d.curMember, s)) return;
      } while (d.step(false));
      return;
    }
    for (let pos = 0; pos < d.length; pos = nextPair(d, pos)) {
      const s = readScore(d, scorePos(d, pos));
      if (s < min) continue;
      if (s >= max || !visit(entryAt(d, pos), s)) return;
    }
  }

  /** zslIsInLexRange / zzlIsInLexRange: the range may hold something. */
  private lexInRange(r: LexRange): boolean {
    const d = this.d;
    if (typeof d === 'string') {
      if (d.length === 0 || lexRangeEmpty(r)) return false;
      return lexGteMin(this.memberAt(this.size - 1), r) && lexLteMax(entryAt(d, 0), r);
    }
    if (d.length === 0 || lexRangeEmpty(r)) return false;
    return lexGteMin(d.lastMember, r) && lexLteMax(d.firstMember, r);
  }

  /**
   * Rank of the first element in a lex range as Redis finds it (a linear scan
   * of the listpack; a search of the big form), or -1. Lex ranges assume
   * equal scores; with mixed scores the listpack's answer is Redis's, walk
   * for walk, and the big form's is some rank where the members turn from
   * below the range to not below it, as Redis's skiplist walk finds one.
   */
  lexFirst(r: LexRange): number {
    if (!this.lexInRange(r)) return -1;
    const d = this.d;
    if (typeof d !== 'string') {
      const rank = d.countMembersWhile((m) => !lexGteMin(m, r));
      return rank < d.length && lexLteMax(d.memberAt(rank), r) ? rank : -1;
    }
    let i = 0;
    for (let pos = 0; pos < d.length; pos = nextPair(d, pos), i++) {
      const m = entryAt(d, pos);
      if (lexGteMin(m, r)) return lexLteMax(m, r) ? i : -1;
    }
    return -1;
  }

  /** Rank of the last element in a lex range as Redis finds it (the listpack scanned from the end), or -1. */
  lexLast(r: LexRange): number {
    if (!this.lexInRange(r)) return -1;
    const d = this.d;
    if (typeof d !== 'string') {
      const last = d.countMembersWhile((m) => lexLteMax(m, r)) - 1;
      return last >= 0 && lexGteMin(d.memberAt(last), r) ? last : -1;
    }
    let last = -1;
    let lastM = '';
    let i = 0;
    for (let pos = 0; pos < d.length; pos = nextPair(d, pos), i++) {
      const m = entryAt(d, pos);
      if (lexLteMax(m, r)) {
        last = i;
        lastM = m;
      }
    }
    return last >= 0 && lexGteMin(lastM, r) ? last : -1;
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
    const d = this.d;
    if (typeof d === 'string') {
      const ms: string[] = [];
      const ss: number[] = [];
      this.slice(0, len - 1, false, ms, ss);
      for (; i >= 0 && i < len && limit !== 0; i += rev ? -1 : 1, limit--) {
        if (rev ? !lexGteMin(ms[i], r) : !lexLteMax(ms[i], r)) break;
        outM.push(ms[i]);
        if (outS !== null) outS.push(ss[i]);
      }
      return;
    }
    d.seek(i);
    for (; limit !== 0; limit--) {
      const m = d.curMember;
      if (rev ? !lexGteMin(m, r) : !lexLteMax(m, r)) break;
      outM.push(m);
      if (outS !== null) outS.push(d.curScore);
      if (!d.step(rev)) break;
    }
  }

  /** ZLEXCOUNT as Redis computes it. */
  lexCount(r: LexRange): number {
    const first = this.lexFirst(r);
    if (first < 0) return 0;
    const d = this.d;
    if (typeof d === 'string') {
      let n = 0;
      for (let pos = pairPos(d, first); pos < d.length && lexLteMax(entryAt(d, pos), r); pos = nextPair(d, pos)) n++;
      return n;
    }
    let count = d.length - first;
    const last = this.lexLast(r);
    if (last >= 0) count -= d.length - (last + 1);
    return count;
  }

  /** ZREMRANGEBYLEX: from the first in range, remove while <= max. Returns how many. */
  lexRemove(r: LexRange): number {
    const first = this.lexFirst(r);
    if (first < 0) return 0;
    let last = first;
    const d = this.d;
    if (typeof d === 'string') {
      for (let pos = nextPair(d, pairPos(d, first)); pos < d.length && lexLteMax(entryAt(d, pos), r); pos = nextPair(d, pos)) last++;
    } else {
      d.seek(first);
      while (d.step(false) && lexLteMax(d.curMember, r)) last++;
    }
    return this.removeRange(first, last);
  }

  /** Removes ranks [start, end] (0-based, inclusive, in range); returns how many. */
  removeRange(start: number, end: number): number {
    const n = end - start + 1;
    if (n <= 0) return 0;
    const d = this.d;
    if (typeof d !== 'string') return d.removeRange(start, n);
    const from = pairPos(d, start);
    let to = from;
    for (let k = 0; k < n; k++) to = nextPair(d, to);
    this.d = splice(d, from, to, EMPTY_PACKED);
    return n;
  }

  /** Length of the longest member (conversion checks). */
  maxMemberLength(): number {
    const d = this.d;
    let max = 0;
    if (typeof d === 'string') {
      for (let pos = 0; pos < d.length; pos = nextPair(d, pos)) max = Math.max(max, entryLength(d, pos));
    } else {
      max = d.maxMemberLength();
    }
    return max;
  }

  /**
   * The members in the order SORT and ZSCAN walk them: the big form's dict
   * order (a live iterator of the dict), or zset order for the listpack form.
   */
  dictMembers(): IterableIterator<string> {
    const d = this.d;
    if (typeof d !== 'string') return d.dict.keys();
    const ms: string[] = [];
    this.slice(0, this.size - 1, false, ms, null);
    return ms.values();
  }

  *[Symbol.iterator](): IterableIterator<[string, number]> {
    const d = this.d;
    if (typeof d === 'string') {
      for (let pos = 0; pos < d.length; pos = nextPair(d, pos)) yield [entryAt(d, pos), readScore(d, scorePos(d, pos))];
      return;
    }
    yield* d;
  }

  /** Members and scores from the highest to the lowest. */
  *reversed(): IterableIterator<[string, number]> {
    const d = this.d;
    if (typeof d === 'string') {
      const ms: string[] = [];
      const ss: number[] = [];
      this.slice(0, this.size - 1, false, ms, ss);
      for (let i = ms.length - 1; i >= 0; i--) yield [ms[i], ss[i]];
      return;
    }
    yield* d.reversed();
  }

  clone(): ZSet {
    const z = new ZSet();
    const d = this.d;
    z.d = typeof d === 'string' ? d : d.clone();
    return z;
  }
}

/** Reverses a[from..] in place. */
function reverseTail<T>(a: T[], from: number): void {
  for (let i = from, j = a.length - 1; i < j; i++, j--) {
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
