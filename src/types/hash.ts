// The hash value (OBJ_HASH) with Redis's two encodings.
//
// Both keep the pairs in one flat array [f0, v0, f1, v1, ...]:
// - listpack (idx === null): insertion order, linear lookups, deletions keep
//   the order, like a listpack. Used up to hash-max-listpack-entries fields
//   with fields and values at most hash-max-listpack-value bytes.
// - hashtable: a Map from field to the index of the field in the array gives
//   O(1) lookups and O(1) uniformly random pairs (HRANDFIELD); a deletion
//   moves the last pair into the hole. HSCAN walks the Map with a live
//   iterator (src/db/scan.ts).
// The conversion is one way, as in Redis.

import { Enc } from '../db/robj.js';

/** Encoding thresholds (the hash-max-listpack-* config parameters). */
export interface HashLimits {
  listpackEntries: number;
  listpackValue: number;
}

export const DEFAULT_HASH_LIMITS: HashLimits = { listpackEntries: 512, listpackValue: 64 };

export class HashValue {
  /** Flat field/value pairs. */
  a: string[];
  /** Hashtable encoding only: field -> index of the field in `a`. */
  idx: Map<string, number> | null;

  constructor(a: string[] = [], idx: Map<string, number> | null = null) {
    this.a = a;
    this.idx = idx;
  }

  /**
   * Re-allocates the compact arrays at their exact length. V8 grows an array
   * by half plus 16 slots on push, which for a 3-element listpack is most of
   * its memory. Called once at the end of a command that added elements.
   */
  fit(): void {
    if (this.idx === null) this.a = this.a.slice();
  }

  /** Builds a hash from pairs with the encoding Redis would give it. */
  static from(pairs: Iterable<[string, string]>, l: HashLimits = DEFAULT_HASH_LIMITS): HashValue {
    const h = new HashValue();
    for (const [f, v] of pairs) h.set(f, v, l);
    return h;
  }

  get enc(): Enc {
    return this.idx === null ? Enc.Listpack : Enc.Hashtable;
  }

  /** Number of fields. */
  get size(): number {
    return this.a.length >> 1;
  }

  /** Index of the field in `a`, or -1. */
  find(f: string): number {
    const idx = this.idx;
    if (idx !== null) {
      const i = idx.get(f);
      return i === undefined ? -1 : i;
    }
    const a = this.a;
    for (let i = 0; i < a.length; i += 2) if (a[i] === f) return i;
    return -1;
  }

  get(f: string): string | undefined {
    const i = this.find(f);
    return i < 0 ? undefined : this.a[i + 1];
  }

  has(f: string): boolean {
    return this.find(f) >= 0;
  }

  /**
   * Sets a field; returns true if the field is new. Converts to a hashtable
   * when the field or value is too long or the hash grows too big (Redis's
   * hashTypeSet).
   */
  set(f: string, v: string, l: HashLimits): boolean {
    let idx = this.idx;
    if (idx === null && (f.length > l.listpackValue || v.length > l.listpackValue)) {
      this.toHashtable();
      idx = this.idx;
    }
    const a = this.a;
    if (idx !== null) {
      const i = idx.get(f);
      if (i !== undefined) {
        a[i + 1] = v;
        return false;
      }
      idx.set(f, a.length);
      a.push(f, v);
      return true;
    }
    for (let i = 0; i < a.length; i += 2) {
      if (a[i] === f) {
        a[i + 1] = v;
        return false;
      }
    }
    a.push(f, v);
    if (a.length >> 1 > l.listpackEntries) this.toHashtable();
    return true;
  }

  /** Deletes a field; returns true if it existed. */
  delete(f: string): boolean {
    const i = this.find(f);
    if (i < 0) return false;
    const a = this.a;
    const idx = this.idx;
    if (idx === null) {
      a.splice(i, 2);
      return true;
    }
    const lastV = a.pop()!;
    const lastF = a.pop()!;
    if (i < a.length) {
      a[i] = lastF;
      a[i + 1] = lastV;
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
    if (this.idx !== null) return;
    if ((end - start + 1) >> 1 > l.listpackEntries) {
      this.toHashtable();
      return;
    }
    const max = l.listpackValue;
    for (let i = start; i <= end; i++) {
      if (argv[i].length > max) {
        this.toHashtable();
        return;
      }
    }
  }

  toHashtable(): void {
    if (this.idx !== null) return;
    const a = this.a;
    const idx = new Map<string, number>();
    for (let i = 0; i < a.length; i += 2) idx.set(a[i], i);
    this.idx = idx;
  }

  /** A uniformly random pair index (even) into `a`; the hash must not be empty. */
  randomIndex(): number {
    return Math.floor(Math.random() * (this.a.length >> 1)) << 1;
  }

  /** [field, value] pairs in the encoding's order. */
  *[Symbol.iterator](): IterableIterator<[string, string]> {
    const a = this.a;
    for (let i = 0; i < a.length; i += 2) yield [a[i], a[i + 1]];
  }

  /** Live iterator over the fields for HSCAN of a hashtable (see src/db/scan.ts). */
  scanIterator(): Iterator<string> {
    return this.idx!.keys();
  }

  clone(): HashValue {
    return new HashValue(this.a.slice(), this.idx === null ? null : new Map(this.idx));
  }
}
