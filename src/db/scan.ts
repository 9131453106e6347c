// Cursors for SCAN, HSCAN, SSCAN and ZSCAN.
//
// Redis walks its hash table with a reverse-binary cursor. Spinel's tables are
// JavaScript Maps and Sets, whose iterators are live: an iterator keeps its
// place while entries are added and deleted, visits every entry present for
// its whole life exactly once, and may or may not see entries added later.
// So a cursor is a number naming a suspended iterator. That gives Redis's
// guarantee (an element present for the whole iteration is returned at least
// once) and more (never twice).
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
 * Parses a SCAN cursor argument like Redis (an unsigned 64-bit decimal);
 * returns null if invalid ("ERR invalid cursor").
 */
export function parseCursor(s: string): number | null {
  if (!/^[0-9]{1,20}$/.test(s)) return null;
  const b = BigInt(s);
  if (b > 18446744073709551615n) return null;
  return b > BigInt(Number.MAX_SAFE_INTEGER) ? -1 : Number(b);
}
