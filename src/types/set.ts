// The set value (OBJ_SET) with Redis 7.2's three encodings and conversion rules.
//
// - intset: integer-only sets up to set-max-intset-entries. A sorted array of
//   numbers (bigints beyond 2^53), so iteration is ascending like Redis's intset.
// - listpack: small sets (set-max-listpack-entries members, each at most
//   set-max-listpack-value bytes). An array of member strings in insertion
//   order; removal keeps the order, like a listpack.
// - hashtable: everything bigger. A dense array of members (src/types/chunked.ts:
//   no length cap) plus a Dict from member to its index (src/types/dict.ts: no
//   size cap), so membership is O(1) and a uniformly random member is O(1)
//   (removal moves the last member into the hole). SSCAN walks the Dict with
//   its iterator (src/db/scan.ts): a member keeps its place when only its
//   index changes.
//
// Conversions are one way (intset -> listpack -> hashtable, intset ->
// hashtable), as in Redis; `toIntsetIfPossible` is the one exception Redis
// makes (SINTERSTORE results).

import { Enc } from '../db/robj.js';
import { parseInt64 } from '../protocol/format.js';
import { Chunked } from './chunked.js';
import { Dict } from './dict.js';

/** Encoding thresholds (the set-max-* config parameters). */
export interface SetLimits {
  intsetEntries: number;
  listpackEntries: number;
  listpackValue: number;
}

export const DEFAULT_SET_LIMITS: SetLimits = { intsetEntries: 512, listpackEntries: 128, listpackValue: 64 };

type Int = number | bigint;

/** Intset capacity as Redis caps it (1<<30 entries). */
function intsetMax(l: SetLimits): number {
  return l.intsetEntries >= 1 << 30 ? 1 << 30 : l.intsetEntries;
}

/** Index of v in the sorted intset array, or -(insertion point) - 1. */
function intSearch(a: Int[], v: Int): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const x = a[mid];
    if (x < v) lo = mid + 1;
    else if (x > v) hi = mid - 1;
    else return mid;
  }
  return -lo - 1;
}

/** Decimal digits of an integer including the sign (Redis's sdigits10). */
function digits(v: Int): number {
  return String(v).length;
}

export class SetValue {
  /** Enc.Intset, Enc.Listpack or Enc.Hashtable. */
  enc: Enc;
  /** Intset: sorted numbers/bigints. Listpack: strings in insertion order. Hashtable: unused (empty). */
  a: any[];
  /** Hashtable only: the members, dense (chunked: no array length cap). */
  ht: Chunked<string> | null;
  /** Hashtable only: member -> index in `ht`. */
  idx: Dict<number> | null;

  constructor(enc: Enc = Enc.Intset) {
    this.enc = enc;
    this.a = [];
    if (enc === Enc.Hashtable) {
      this.ht = new Chunked();
      this.idx = new Dict();
    } else {
      this.ht = null;
      this.idx = null;
    }
  }

  /**
   * A new empty set able to hold `first`, sized for `sizeHint` members
   * (Redis's setTypeCreate).
   */
  static create(first: string, sizeHint: number, l: SetLimits): SetValue {
    if (sizeHint <= l.intsetEntries && parseInt64(first) !== null) return new SetValue(Enc.Intset);
    if (sizeHint <= l.listpackEntries) return new SetValue(Enc.Listpack);
    return new SetValue(Enc.Hashtable);
  }

  /** Builds a set from members (duplicates allowed) with the encoding Redis would give it. */
  static from(members: Iterable<string>, l: SetLimits = DEFAULT_SET_LIMITS): SetValue {
    const s = new SetValue(Enc.Intset);
    for (const m of members) s.add(m, l);
    return s;
  }

  get size(): number {
    const ht = this.ht;
    return ht !== null ? ht.length : this.a.length;
  }

  /** Converts ahead of adding about `sizeHint` members (Redis's setTypeMaybeConvert). */
  maybeConvert(sizeHint: number, l: SetLimits): void {
    if ((this.enc === Enc.Listpack && sizeHint > l.listpackEntries) || (this.enc === Enc.Intset && sizeHint > l.intsetEntries)) {
      this.toHashtable();
    }
  }

  /**
   * Re-allocates the compact arrays at their exact length. V8 grows an array
   * by half plus 16 slots on push, which for a 3-element listpack is most of
   * its memory. Called once at the end of a command that added elements.
   */
  fit(): void {
    if (this.enc !== Enc.Hashtable && this.a.length <= 512) this.a = this.a.slice();
  }

  /** Adds a member; returns true if it was not there (Redis's setTypeAdd). */
  add(m: string, l: SetLimits): boolean {
    const enc = this.enc;
    if (enc === Enc.Hashtable) return this.addHt(m);
    if (enc === Enc.Listpack) {
      const a = this.a as string[];
      if (a.includes(m)) return false;
      if (a.length < l.listpackEntries && m.length <= l.listpackValue) {
        a.push(m);
      } else {
        this.toHashtable();
        this.addHt(m);
      }
      return true;
    }
    // Intset
    const v = parseInt64(m);
    const a = this.a as Int[];
    if (v !== null) {
      const pos = intSearch(a, v);
      if (pos >= 0) return false;
      a.splice(-pos - 1, 0, v);
      if (a.length > intsetMax(l)) this.toHashtable();
      return true;
    }
    // A non-integer member: to listpack when everything fits, else to a hashtable.
    const n = a.length;
    let maxLen = 0;
    if (n !== 0) maxLen = Math.max(digits(a[0]), digits(a[n - 1]));
    if (n < l.listpackEntries && m.length <= l.listpackValue && maxLen <= l.listpackValue) {
      this.toListpack();
      this.a.push(m);
    } else {
      this.toHashtable();
      this.addHt(m);
    }
    return true;
  }

  private addHt(m: string): boolean {
    const idx = this.idx!;
    if (idx.has(m)) return false;
    const ht = this.ht!;
    idx.set(m, ht.length);
    ht.push(m);
    return true;
  }

  /** Removes a member; returns true if it was there. */
  remove(m: string): boolean {
    const enc = this.enc;
    if (enc === Enc.Hashtable) {
      const idx = this.idx!;
      const i = idx.get(m);
      if (i === undefined) return false;
      this.removeAtHt(i);
      return true;
    }
    if (enc === Enc.Listpack) {
      const i = (this.a as string[]).indexOf(m);
      if (i < 0) return false;
      this.a.splice(i, 1);
      return true;
    }
    const v = parseInt64(m);
    if (v === null) return false;
    const pos = intSearch(this.a, v);
    if (pos < 0) return false;
    this.a.splice(pos, 1);
    return true;
  }

  has(m: string): boolean {
    const enc = this.enc;
    if (enc === Enc.Hashtable) return this.idx!.has(m);
    if (enc === Enc.Listpack) return (this.a as string[]).includes(m);
    const v = parseInt64(m);
    return v !== null && intSearch(this.a, v) >= 0;
  }

  /** The member at position i of the internal order (0 <= i < size). */
  at(i: number): string {
    const ht = this.ht;
    if (ht !== null) return ht.at(i);
    const x = this.a[i];
    return this.enc === Enc.Intset ? String(x) : x;
  }

  /** A uniformly random member (the set must not be empty). */
  random(): string {
    return this.at(Math.floor(Math.random() * this.size));
  }

  /** Removes and returns a uniformly random member (the set must not be empty). */
  popRandom(): string {
    const i = Math.floor(Math.random() * this.size);
    if (this.enc === Enc.Hashtable) {
      const x = this.ht!.at(i);
      this.removeAtHt(i);
      return x;
    }
    const x = this.a[i];
    this.a.splice(i, 1);
    return this.enc === Enc.Intset ? String(x) : x;
  }

  /** Removes the member at index i: the last member moves into the hole. */
  private removeAtHt(i: number): void {
    const ht = this.ht!;
    const idx = this.idx!;
    const m = ht.at(i);
    const last = ht.pop();
    if (i < ht.length) {
      ht.set(i, last);
      idx.set(last, i);
    }
    idx.delete(m);
  }

  /** Member strings in the encoding's order (intset ascending, listpack insertion). */
  *[Symbol.iterator](): IterableIterator<string> {
    const ht = this.ht;
    if (ht !== null) {
      for (let i = 0; i < ht.length; i++) yield ht.at(i);
      return;
    }
    const a = this.a;
    if (this.enc === Enc.Intset) {
      for (let i = 0; i < a.length; i++) yield String(a[i]);
    } else {
      for (let i = 0; i < a.length; i++) yield a[i];
    }
  }

  /** Iterator over the members of a hashtable for SSCAN, valid across changes (see src/types/dict.ts). */
  scanIterator(): Iterator<string> {
    return this.idx!.keys();
  }

  clone(): SetValue {
    const c = new SetValue(this.enc === Enc.Hashtable ? Enc.Intset : this.enc);
    c.enc = this.enc;
    c.a = this.a.slice();
    if (this.ht !== null) {
      c.ht = this.ht.clone();
      c.idx = this.idx!.clone();
    }
    return c;
  }

  toHashtable(): void {
    if (this.enc === Enc.Hashtable) return;
    const a = this.a;
    const ht = new Chunked<string>();
    const idx = new Dict<number>();
    const ints = this.enc === Enc.Intset;
    for (let i = 0; i < a.length; i++) {
      const m: string = ints ? String(a[i]) : a[i];
      idx.set(m, i);
      ht.push(m);
    }
    this.a = [];
    this.ht = ht;
    this.idx = idx;
    this.enc = Enc.Hashtable;
  }

  private toListpack(): void {
    this.a = this.a.map(String);
    this.enc = Enc.Listpack;
  }

  /**
   * Converts a listpack or hashtable set of integers back to an intset when it
   * fits (Redis's maybeConvertToIntset, used for SINTERSTORE results).
   */
  toIntsetIfPossible(l: SetLimits): void {
    if (this.enc === Enc.Intset || this.size > intsetMax(l)) return;
    const out: Int[] = [];
    for (const m of this) {
      const v = parseInt64(m);
      if (v === null) return;
      out.push(v);
    }
    out.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    this.a = out;
    this.ht = null;
    this.idx = null;
    this.enc = Enc.Intset;
  }
}

/**
 * `k` distinct indices drawn uniformly from [0, n) (0 < k < n < 2^32), in
 * random order, or ascending when `ordered` (compact encodings reply in their
 * order). Typed arrays, so a sample of a huge set is not capped by V8's array
 * length limit.
 */
export function sampleIndices(n: number, k: number, ordered: boolean): Uint32Array {
  let out: Uint32Array;
  if (k * 3 > n) {
    // Partial Fisher-Yates over all indices.
    const all = new Uint32Array(n);
    for (let i = 0; i < n; i++) all[i] = i;
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(Math.random() * (n - i));
      const t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    out = all.subarray(0, k);
  } else if (k < 1 << 22) {
    // Few draws from many: rejection of repeats.
    const seen = new Set<number>();
    out = new Uint32Array(k);
    for (let got = 0; got < k; ) {
      const i = Math.floor(Math.random() * n);
      if (!seen.has(i)) {
        seen.add(i);
        out[got++] = i;
      }
    }
  } else {
    // Millions of draws (more than a Set holds): a bitmap of the drawn ones.
    const seen = new Uint8Array((n >>> 3) + 1);
    out = new Uint32Array(k);
    for (let got = 0; got < k; ) {
      const i = Math.floor(Math.random() * n);
      const bit = 1 << (i & 7);
      if ((seen[i >>> 3] & bit) === 0) {
        seen[i >>> 3] |= bit;
        out[got++] = i;
      }
    }
  }
  if (ordered) out.sort();
  return out;
}
