// Chunked: a dense array without V8's array length cap.
//
// A JavaScript array's elements live in one FixedArray, which holds at most
// about 2^27 elements: pushing past that kills the process ("Fatal JavaScript
// invalid size error"). A Chunked array keeps its elements in arrays of
// CHUNK (2^16) elements each, so element i is chunks[i >>> 16][i & 0xffff]:
// O(1) access, push and pop, up to 2^32 elements.
//
// Used for the dense member arrays of big sets and hashes (O(1) random
// members) and for replies collected before their length is known (KEYS).

const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK - 1;

export class Chunked<T> {
  /** The last chunk (pushes go there). Initialized here, not in a constructor: see Dict. */
  private last: T[] = [];
  private chunks: T[][] = [this.last];
  length = 0;

  static from<T>(items: ArrayLike<T>): Chunked<T> {
    const c = new Chunked<T>();
    for (let i = 0; i < items.length; i++) c.push(items[i]);
    return c;
  }

  at(i: number): T {
    return this.chunks[i >>> CHUNK_BITS][i & CHUNK_MASK];
  }

  set(i: number, v: T): void {
    this.chunks[i >>> CHUNK_BITS][i & CHUNK_MASK] = v;
  }

  push(v: T): void {
    let c = this.last;
    if (c.length === CHUNK) {
      c = this.last = [];
      this.chunks.push(c);
    }
    c.push(v);
    this.length++;
  }

  /** Removes and returns the last element (the array must not be empty). */
  pop(): T {
    let c = this.last;
    if (c.length === 0) {
      this.chunks.pop();
      c = this.last = this.chunks[this.chunks.length - 1];
    }
    this.length--;
    return c.pop()!;
  }

  clone(): Chunked<T> {
    const c = new Chunked<T>();
    c.chunks = this.chunks.map((x) => x.slice());
    c.last = c.chunks[c.chunks.length - 1];
    c.length = this.length;
    return c;
  }

  *[Symbol.iterator](): IterableIterator<T> {
    const chunks = this.chunks;
    for (let j = 0; j < chunks.length; j++) {
      const c = chunks[j];
      for (let i = 0; i < c.length; i++) yield c[i];
    }
  }
}
