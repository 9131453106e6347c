// Cursors for SCAN, HSCAN, SSCAN and ZSCAN.
//
// Redis walks its hash table with a reverse-binary cursor. Spinel's tables are
// Dicts (src/types/dict.ts: one Map, or shards of Maps past a few million
// entries) whose iterators are valid across any change: an iterator keeps its
// place while entries are added and deleted and while the dict grows, returns
// every entry present for its whole life, and may or may not see entries
// added later (zsets still use a plain Map, whose live iterators behave the
// same below its size cap). So a cursor is a number naming a suspended
// iterator. That gives Redis's guarantee (an element present for the whole
// iteration is returned at least once) and more: such an element is returned
// exactly once, unless the dict grew during the iteration (then an element
// may come twice, as in Redis) or it was deleted and added again.
//
// Cursors are kept for a bounded number of iterations (least recently used are
// dropped). A dropped or unknown cursor restarts the iteration, which still
// returns every element at least once.

const MAX_CURSORS = 10000;

interface Suspended {
  target: object;
  it: Iterator<unknown>;
}

export class ScanCursors {
  private readonly open = new Map<number, Suspended>();
  private next = 1;

  /**
   * Returns the iterator to continue for `cursor` over `target`, or a fresh one
   * from `start()` for cursor 0, an unknown cursor, or a cursor that belonged to
   * another (or a replaced) object.
   */
  resume<T>(cursor: number, target: object, start: () => Iterator<T>): Iterator<T> {
    if (cursor !== 0) {
      const s = this.open.get(cursor);
      if (s !== undefined) {
        this.open.delete(cursor);
        if (s.target === target) return s.it as Iterator<T>;
      }
    }
    return start();
  }

  /** Suspends an unfinished iterator; returns the cursor to hand back to the client. */
  suspend(target: object, it: Iterator<unknown>): number {
    if (this.open.size >= MAX_CURSORS) {
      // Maps keep insertion order and resume() re-inserts: the first is the least recently used.
      const oldest = this.open.keys().next().value as number;
      this.open.delete(oldest);
    }
    const id = this.next++;
    if (this.next > Number.MAX_SAFE_INTEGER) this.next = 1;
    this.open.set(id, { target, it });
    return id;
  }
}

/**
 * Parses a SCAN cursor argument like Redis (strtoul): optional sign, decimal
 * digits, at most 2^64-1 (a negative value wraps, as in C); an empty string is
 * cursor 0; leading whitespace or any trailing byte is rejected. Returns null
 * if invalid ("ERR invalid cursor"), -1 for a valid cursor beyond 2^53 (never
 * one of ours: the iteration restarts).
 */
export function parseCursor(s: string): number | null {
  const n = s.length;
  if (n === 0) return 0;
  if (n <= 15) {
    // Fast path: plain short decimal.
    let v = 0;
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) break;
      v = v * 10 + (c - 48);
    }
    if (i === n) return v;
  }
  const m = /^([+-]?)([0-9]+)$/.exec(s);
  if (m === null) return null;
  let b = BigInt(m[2]);
  if (b > 18446744073709551615n) return null;
  if (m[1] === '-' && b !== 0n) b = 18446744073709551616n - b;
  return b > BigInt(Number.MAX_SAFE_INTEGER) ? -1 : Number(b);
}

/** An iterator with one element already taken back (the look-ahead of scanBatch). */
class Peeked<T> implements Iterator<T> {
  head: T | undefined = undefined;
  constructor(private readonly rest: Iterator<T>) {}
  next(): IteratorResult<T> {
    const v = this.head;
    if (v !== undefined) {
      this.head = undefined;
      return { done: false, value: v };
    }
    return this.rest.next();
  }
}

/**
 * One SCAN-family step: resumes `cursor` over `target`, appends up to `count`
 * elements to `out`, and returns the cursor to reply (0 when the iteration is
 * over). It looks one element ahead so the last batch already answers 0, as
 * Redis does for a table it finishes. The looked-ahead element is returned by
 * the next call: callers must check it still exists (it was live when taken).
 * Elements must not be undefined.
 */
export function scanBatch<T>(cursors: ScanCursors, cursor: number, target: object, start: () => Iterator<T>, count: number, out: T[]): number {
  let it = cursors.resume<T>(cursor, target, start);
  if (!(it instanceof Peeked)) it = new Peeked<T>(it);
  for (let i = 0; i < count; i++) {
    const r = it.next();
    if (r.done) return 0;
    out.push(r.value);
  }
  const r = it.next();
  if (r.done) return 0;
  (it as Peeked<T>).head = r.value;
  return cursors.suspend(target, it);
}
