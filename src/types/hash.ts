// The hash value (OBJ_HASH) with Redis's two encodings.
//
// - listpack: the pairs as one packed string (src/types/packed.ts) of entries
//   field, value, field, value, ... in insertion order. A lookup walks the
//   length headers and compares the chars of same-length fields only; a
//   write makes one spliced copy (none when a value is set to itself); a
//   deletion keeps the order. Used up to hash-max-listpack-entries fields
//   with fields and values at most hash-max-listpack-value bytes.
// - hashtable: a flat array [f0, v0, f1, v1, ...] (src/types/chunked.ts: no
//   length cap) and a Dict from field to the index of the field in the array
//   (src/types/dict.ts: no size cap) give O(1) lookups and O(1) uniformly
//   random pairs (HRANDFIELD); a deletion moves the last pair into the hole.
//   HSCAN walks the Dict with its iterator (src/db/scan.ts).
// The conversion is one way, as in Redis. Callers see pairs by index
// (fieldAt/valueAt, 0 <= i < size) or by iteration, never the encoding.

import { Enc } from '../db/robj.js';
import { Chunked } from './chunked.js';
import { Dict } from './dict.js';
import { type Packed, EMPTY_PACKED, charsAt, entryAt, entryCount, entryData, entryLength, flat, indexOfEntry, nextEntry, pack, packEntry, splice, unpack } from './packed.js';

/** Encoding thresholds (the hash-max-listpack-* config parameters). */
export interface HashLimits {
  listpackEntries: number;
  listpackValue: number;
}

export const DEFAULT_HASH_LIMITS: HashLimits = { listpackEntries: 512, listpackValue: 64 };

/** The hashtable encoding's data. */
class Table {
  constructor(
    /** Flat field/value pairs. */
    readonly a: Chunked<string>,
    /** Field -> index of the field in `a`. */
    readonly idx: Dict<number>,
  ) {}
}

/** Position of the entry of field `f` in the packed pairs `p`, or -1. */
function findField(p: Packed, f: string): number {
  return indexOfEntry(p, f, 2);
}

/** Number of pairs in `p`. */
function pairCount(p: Packed): number {
  return entryCount(p) >> 1;
}

// The last pair looked up by index, so that walking the pairs in order with
// fieldAt/valueAt costs O(1) a step. Keyed by the packed string's contents,
// which alone determine the positions.
let memoP: Packed = EMPTY_PACKED;
let memoI = 0;
let memoPos = 0;

/** Position of the field entry of pair `i` in `p`. */
function pairPos(p: Packed, i: number): number {
  let k = 0;
  let pos = 0;
  if (memoI <= i && memoP === p) {
    k = memoI;
    pos = memoPos;
  }
  for (; k < i; k++) pos = nextEntry(p, nextEntry(p, pos));
  memoP = p;
  memoI = i;
  memoPos = pos;
  return pos;
}

export class HashValue {
  /** The packed pairs (listpack) or a Table (hashtable). */
  private d: Packed | Table = EMPTY_PACKED;

  /** Builds a hash from pairs with the encoding Redis would give it. */
  static from(pairs: Iterable<[string, string]>, l: HashLimits = DEFAULT_HASH_LIMITS): HashValue {
    const h = new HashValue();
    for (const [f, v] of pairs) h.set(f, v, l);
    return h;
  }

  /**
   * A listpack-encoded hash holding these field/value pairs (distinct
   * fields), whatever their lengths: RDB loading keeps a saved listpack as
   * it is when it has few enough pairs, as Redis does.
   */
  static listpack(flat: readonly string[]): HashValue {
    const h = new HashValue();
    h.d = pack(flat);
    return h;
  }

  get enc(): Enc {
    return typeof this.d === 'string' ? Enc.Listpack : Enc.Hashtable;
  }

  /** Number of fields (a walk of the listpack). */
  get size(): number {
    const d = this.d;
    if (typeof d !== 'string') return d.a.length >>> 1;
    return pairCount(d);
  }

  get empty(): boolean {
    const d = this.d;
    return typeof d === 'string' ? d.length === 0 : d.a.length === 0;
  }

  get(f: string): string | undefined {
    const d = this.d;
    if (typeof d === 'string') {
      const pos = findField(d, f);
      return pos < 0 ? undefined : entryAt(d, nextEntry(d, pos));
    }
    const i = d.idx.get(f);
    return i === undefined ? undefined : d.a.at(i + 1);
  }

  has(f: string): boolean {
    const d = this.d;
    return typeof d === 'string' ? findField(d, f) >= 0 : d.idx.has(f);
  }

  /** Field of pair `i` (0 <= i < size); in order, O(1) a step for a listpack. */
  fieldAt(i: number): string {
    const d = this.d;
    return typeof d === 'string' ? entryAt(d, pairPos(d, i)) : d.a.at(i * 2);
  }

  /** Value of pair `i` (0 <= i < size). */
  valueAt(i: number): string {
    const d = this.d;
    return typeof d === 'string' ? entryAt(d, nextEntry(d, pairPos(d, i))) : d.a.at(i * 2 + 1);
  }

  /** A uniformly random pair index; the hash must not be empty. */
  randomPair(): number {
    return Math.floor(Math.random() * this.size);
  }

  /**
   * Sets a field; returns true if the field is new. Converts to a hashtable
   * when the field or value is too long or the hash grows too big (Redis's
   * hashTypeSet).
   */
  set(f: string, v: string, l: HashLimits): boolean {
    let d = this.d;
    if (typeof d === 'string') {
      if (f.length <= l.listpackValue && v.length <= l.listpackValue) {
        const pos = findField(d, f);
        if (pos >= 0) {
          // An identical value leaves the string as it is.
          const vpos = nextEntry(d, pos);
          let len = d.charCodeAt(vpos);
          let vd = vpos + 1;
          if (len >= 128) {
            vd = entryData(d, vpos);
            len = entryLength(d, vpos);
          }
          if (len !== v.length || !charsAt(d, vd, v)) this.d = splice(d, vpos, vd + len, packEntry(v));
          return false;
        }
        if (pairCount(d) < l.listpackEntries) {
          this.d = flat(d + packEntry(f) + packEntry(v));
          return true;
        }
      }
      d = this.toTable(d);
    }
    const i = d.idx.get(f);
    if (i !== undefined) {
      d.a.set(i + 1, v);
      return false;
    }
    const a = d.a;
    d.idx.set(f, a.length);
    a.push(f);
    a.push(v);
    return true;
  }

  /**
   * Sets the pairs argv[start], argv[start + 1], ... to the end of argv, as
   * set() one by one would; returns how many fields were new. A listpack
   * takes a run of pairs in one copy (its pairs unpacked, updated and packed
   * again) instead of one spliced copy per pair; from the pair that would
   * convert it, set() goes on.
   */
  setPairs(argv: string[], start: number, l: HashLimits): number {
    let created = 0;
    let i = start;
    const d = this.d;
    if (typeof d === 'string' && argv.length - start > 2) {
      const a = unpack(d);
      for (; i < argv.length; i += 2) {
        const f = argv[i];
        const v = argv[i + 1];
        if (f.length > l.listpackValue || v.length > l.listpackValue) break;
        let j = 0;
        while (j < a.length && a[j] !== f) j += 2;
        if (j < a.length) a[j + 1] = v;
        else if (a.length >> 1 >= l.listpackEntries) break;
        else {
          a.push(f, v);
          created++;
        }
      }
      this.d = pack(a);
    }
    for (; i < argv.length; i += 2) if (this.set(argv[i], argv[i + 1], l)) created++;
    return created;
  }

  /** Deletes a field; returns true if it existed. */
  delete(f: string): boolean {
    const d = this.d;
    if (typeof d === 'string') {
      const pos = findField(d, f);
      if (pos < 0) return false;
      this.d = splice(d, pos, nextEntry(d, nextEntry(d, pos)), EMPTY_PACKED);
      return true;
    }
    const { a, idx } = d;
    const i = idx.get(f);
    if (i === undefined) return false;
    const lastV = a.pop();
    const lastF = a.pop();
    if (i < a.length) {
      a.set(i, lastF);
      a.set(i + 1, lastV);
      idx.set(lastF, i);
    }
    idx.delete(f);
    return true;
  }

  /**
   * Converts ahead of writing the pairs argv[start..end] (Redis's
   * hashTypeTryConversion): too many new fields, or any argument too long.
   */
  tryConversion(argv: string[], start: number, end: number, l: HashLimits): void {
    const d = this.d;
    if (typeof d !== 'string') return;
    if ((end - start + 1) >> 1 > l.listpackEntries) {
      this.toTable(d);
      return;
    }
    const max = l.listpackValue;
    for (let i = start; i <= end; i++) {
      if (argv[i].length > max) {
        this.toTable(d);
        return;
      }
    }
  }

  private toTable(p: Packed): Table {
    const a = Chunked.from(unpack(p));
    const idx = new Dict<number>();
    for (let i = 0; i < a.length; i += 2) idx.set(a.at(i), i);
    const t = new Table(a, idx);
    this.d = t;
    return t;
  }

  /** [field, value] pairs in the encoding's order. */
  *[Symbol.iterator](): IterableIterator<[string, string]> {
    const d = this.d;
    if (typeof d === 'string') {
      for (let pos = 0; pos < d.length; ) {
        const vpos = nextEntry(d, pos);
        yield [entryAt(d, pos), entryAt(d, vpos)];
        pos = nextEntry(d, vpos);
      }
      return;
    }
    const a = d.a;
    for (let i = 0; i < a.length; i += 2) yield [a.at(i), a.at(i + 1)];
  }

  /** Iterator over the fields of a hashtable for HSCAN, valid across changes (see src/types/dict.ts). */
  scanIterator(): Iterator<string> {
    return (this.d as Table).idx.keys();
  }

  clone(): HashValue {
    const h = new HashValue();
    const d = this.d;
    h.d = typeof d === 'string' ? d : new Table(d.a.clone(), d.idx.clone());
    return h;
  }
}
