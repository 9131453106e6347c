// A mutable string value: a byte buffer with a length, for strings written in
// place (SETBIT, SETRANGE, APPEND, BITFIELD, the HyperLogLog commands).
//
// Most string values are immutable latin1 JS strings (src/db/robj.ts). A
// command that changes a few bytes of a string turns its value into a
// ByteString once (Redis's dbUnshareStringValue); from then on a write of one
// bit or byte costs O(1) and appends are amortized O(1), since the buffer
// grows like an sds string (sdsMakeRoomFor: double below 1 MB, then +1 MB).
// Readers accept the three string forms (JS string, number for int-encoded
// values, ByteString): GET copies the bytes straight into the reply, and a
// command that needs a JS string converts once per call (stringOf).
//
// Bytes past `len` inside the buffer are spare capacity; they are not part
// of the value and may hold anything (growZero clears what it exposes).

import { constants as bufferConstants } from 'node:buffer';

/** Redis's SDS_MAX_PREALLOC: above it a string grows by this much, not twice. */
const MAX_PREALLOC = 1024 * 1024;

export class ByteString {
  /** The bytes; capacity is buf.length. Not from the shared Buffer pool, so a small value keeps no slab alive. */
  buf: Buffer;
  /** Length of the value in bytes. */
  len: number;

  constructor(buf: Buffer, len: number) {
    this.buf = buf;
    this.len = len;
  }

  /** A value of `len` zero bytes and no spare room (sdsnewlen(NULL, len)). */
  static zeroed(len: number): ByteString {
    return new ByteString(Buffer.alloc(len), len);
  }

  /** The bytes of a latin1 string with room for `capacity` bytes in all. */
  static fromLatin1(s: string, capacity = s.length): ByteString {
    const buf = Buffer.alloc(Math.max(capacity, s.length));
    if (s.length !== 0) buf.latin1Write(s, 0, s.length);
    return new ByteString(buf, s.length);
  }

  /** The value as a latin1 string (throws past V8's longest string, ~512 MB). */
  toLatin1(): string {
    return this.buf.latin1Slice(0, this.len);
  }

  /** The bytes [start, end) as a view (no copy: valid until the next write). */
  view(start = 0, end = this.len): Buffer {
    return this.buf.subarray(start, end);
  }

  /**
   * Makes room for `total` bytes (sdsMakeRoomFor's greedy growth): a
   * reallocation doubles the needed size, or adds 1 MB above 1 MB, so a
   * series of appends costs amortized O(1) per byte.
   */
  reserve(total: number): void {
    if (total <= this.buf.length) return;
    let cap = total < MAX_PREALLOC ? total * 2 : total + MAX_PREALLOC;
    if (cap > bufferConstants.MAX_LENGTH) cap = total;
    const nb = Buffer.alloc(cap);
    this.buf.copy(nb, 0, 0, this.len);
    this.buf = nb;
  }

  /** Grows the value to `total` bytes with zeros if it is shorter (sdsgrowzero). */
  growZero(total: number): void {
    if (total <= this.len) return;
    this.reserve(total);
    this.buf.fill(0, this.len, total);
    this.len = total;
  }

  /** Appends latin1 text. */
  append(s: string): void {
    const n = s.length;
    this.reserve(this.len + n);
    writeLatin1(this.buf, this.len, s);
    this.len += n;
  }

  /** Writes latin1 text at `offset`, growing with zeros as needed (SETRANGE). */
  writeAt(offset: number, s: string): void {
    this.growZero(offset + s.length);
    writeLatin1(this.buf, offset, s);
  }

  /** Changes the length within the current capacity (bytes past it are spare). */
  setLength(len: number): void {
    this.len = len;
  }

  /** An independent copy with no spare room (COPY, MOVE to another db). */
  clone(): ByteString {
    const buf = Buffer.alloc(this.len);
    this.buf.copy(buf, 0, 0, this.len);
    return new ByteString(buf, this.len);
  }
}

/** Writes latin1 text into a buffer at `offset` (short strings in a JS loop). */
function writeLatin1(buf: Buffer, offset: number, s: string): void {
  const n = s.length;
  if (n < 32) {
    for (let i = 0; i < n; i++) buf[offset + i] = s.charCodeAt(i);
  } else {
    buf.latin1Write(s, offset, n);
  }
}

/** A string value (RObj.value of a string) in any of its forms: JS string, number, ByteString. */
export type StringValue = string | number | ByteString;

/** The bytes of a string value as a latin1 string (int-encoded values in decimal). */
export function stringOf(v: StringValue): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return v.toLatin1();
}

/** Length in bytes of a string value. */
export function lengthOf(v: StringValue): number {
  if (typeof v === 'string') return v.length;
  if (typeof v === 'number') return String(v).length;
  return v.len;
}

/** The byte at `i` of a string value (i < its length). */
export function byteAt(v: StringValue, i: number): number {
  if (typeof v === 'string') return v.charCodeAt(i);
  if (typeof v === 'number') return String(v).charCodeAt(i);
  return v.buf[i];
}

/**
 * The bytes [start, end) of a string value as a Uint8Array: a view for a
 * ByteString (no copy, valid until the value is next written), a copy of
 * just that range otherwise.
 */
export function bytesOf(v: StringValue, start: number, end: number): Uint8Array {
  if (typeof v === 'object') return v.buf.subarray(start, end);
  const s = typeof v === 'number' ? String(v) : v;
  const n = end - start;
  const out = Buffer.allocUnsafe(n);
  if (n !== 0) out.latin1Write(start === 0 && end === s.length ? s : s.slice(start, end), 0, n);
  return out;
}

/** A string value as a ByteString that may be written in place (the value itself when it already is one). */
export function toByteString(v: StringValue): ByteString {
  if (typeof v === 'object') return v;
  return ByteString.fromLatin1(typeof v === 'number' ? String(v) : v);
}
