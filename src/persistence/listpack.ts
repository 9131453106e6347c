// Redis's listpack byte format (listpack.c), as RDB files and DUMP payloads
// hold small hashes, sets, sorted sets, list nodes and stream nodes:
//
//   total bytes (u32 LE) | element count (u16 LE, 65535 = unknown) | entries | 0xFF
//
// Each entry is an encoding byte (with its data), then a back length (the
// size of encoding + data, 7 bits per byte, read from its last byte
// backwards). Strings that are canonical 64-bit integers are stored as
// integers, in the smallest of 7-bit, 13-bit, 16/24/32/64-bit forms.
//
// ListpackBuilder writes exactly the bytes Redis's lpAppend writes;
// decodeListpack validates a blob the way lpValidateIntegrity(deep) does and
// returns its elements as latin1 strings.

import { parseInt64 } from '../protocol/format.js';

export const LP_HDR_SIZE = 6;
export const LP_EOF = 0xff;

/** Appends elements to a listpack under construction. */
export class ListpackBuilder {
  private buf: Buffer;
  private pos = LP_HDR_SIZE;
  private count = 0;

  constructor(capacity = 64) {
    this.buf = Buffer.allocUnsafe(Math.max(capacity, 16));
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.pos + n) cap *= 2;
    const nb = Buffer.allocUnsafe(cap);
    this.buf.copy(nb, 0, 0, this.pos);
    this.buf = nb;
  }

  /** Appends a string (stored as an integer when it is a canonical int64: lpAppend). */
  appendString(s: string): void {
    const n = s.length;
    if (n > 0 && n <= 20) {
      const c0 = s.charCodeAt(0);
      if ((c0 >= 48 && c0 <= 57) || c0 === 45) {
        const v = parseInt64(s);
        if (v !== null) {
          this.appendInt(v);
          return;
        }
      }
    }
    this.room(n + 10);
    const b = this.buf;
    const start = this.pos;
    let p = start;
    if (n < 64) b[p++] = 0x80 | n;
    else if (n < 4096) {
      b[p++] = 0xe0 | (n >>> 8);
      b[p++] = n & 255;
    } else {
      b[p++] = 0xf0;
      b.writeUInt32LE(n, p);
      p += 4;
    }
    if (n < 32) for (let i = 0; i < n; i++) b[p + i] = s.charCodeAt(i);
    else b.latin1Write(s, p, n);
    p += n;
    this.pos = writeBacklen(b, p, p - start);
    this.count++;
  }

  /** Appends an integer (lpAppendInteger). */
  appendInt(v: number | bigint): void {
    this.room(16);
    const b = this.buf;
    const start = this.pos;
    let p = start;
    if (typeof v === 'number' && v >= 0 && v <= 127) b[p++] = v;
    else if (typeof v === 'number' && v >= -4096 && v <= 4095) {
      const u = v < 0 ? v + 8192 : v;
      b[p++] = 0xc0 | (u >>> 8);
      b[p++] = u & 255;
    } else if (typeof v === 'number' && v >= -32768 && v <= 32767) {
      b[p++] = 0xf1;
      b.writeInt16LE(v, p);
      p += 2;
    } else if (typeof v === 'number' && v >= -8388608 && v <= 8388607) {
      b[p++] = 0xf2;
      b.writeIntLE(v, p, 3);
      p += 3;
    } else if (typeof v === 'number' && v >= -2147483648 && v <= 2147483647) {
      b[p++] = 0xf3;
      b.writeInt32LE(v, p);
      p += 4;
    } else {
      b[p++] = 0xf4;
      b.writeBigInt64LE(BigInt(v), p);
      p += 8;
    }
    this.pos = writeBacklen(b, p, p - start);
    this.count++;
  }

  /** The finished listpack (a view of the builder's buffer). */
  finish(): Buffer {
    this.room(1);
    const b = this.buf;
    b[this.pos++] = LP_EOF;
    b.writeUInt32LE(this.pos, 0);
    b.writeUInt16LE(this.count < 65535 ? this.count : 65535, 4);
    return b.subarray(0, this.pos);
  }
}

/** Writes the back length of an entry of `l` bytes at `p` (lpEncodeBacklen); returns the end. */
function writeBacklen(b: Buffer, p: number, l: number): number {
  if (l <= 127) b[p++] = l;
  else if (l < 16383) {
    b[p++] = l >>> 7;
    b[p++] = (l & 127) | 128;
  } else if (l < 2097151) {
    b[p++] = l >>> 14;
    b[p++] = ((l >>> 7) & 127) | 128;
    b[p++] = (l & 127) | 128;
  } else if (l < 268435455) {
    b[p++] = l >>> 21;
    b[p++] = ((l >>> 14) & 127) | 128;
    b[p++] = ((l >>> 7) & 127) | 128;
    b[p++] = (l & 127) | 128;
  } else {
    b[p++] = Math.floor(l / 268435456);
    b[p++] = ((l >>> 21) & 127) | 128;
    b[p++] = ((l >>> 14) & 127) | 128;
    b[p++] = ((l >>> 7) & 127) | 128;
    b[p++] = (l & 127) | 128;
  }
  return p;
}

/** Bytes of the back length of an entry of `l` bytes. */
function backlenSize(l: number): number {
  return l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
}

/** Reads a back length ending at `end` (the byte before the next entry); -1 past `min`. */
function readBacklen(b: Uint8Array, end: number, min: number): number {
  let p = end - 1;
  let v = 0;
  let mul = 1;
  for (let shift = 0; shift < 5; shift++) {
    if (p < min) return -1;
    const c = b[p--];
    v += (c & 127) * mul;
    mul *= 128;
    if ((c & 128) === 0) return v;
  }
  return -1;
}

/** What decodeEntry found: the element as a string, or null when the entry is not valid. */
let entryEnd = 0;

/**
 * Decodes the entry at `p` of a listpack whose bytes are [start, end) (end is
 * the position of the EOF byte + 1): the element, with entryEnd set to where
 * the next entry starts, or null when the entry is malformed (lpValidateNext).
 * `asInt` receives integer elements as numbers (bigints past 2^53) instead.
 */
function decodeEntry(b: Buffer, p: number, lpEnd: number, asInt: boolean): string | number | bigint | null {
  const last = lpEnd - 1; // the EOF byte: no entry may reach it
  const c = b[p];
  let hdr: number;
  let len: number;
  let value: string | number | bigint;
  if (c < 0x80) {
    hdr = 1;
    len = 0;
    value = c;
  } else if (c < 0xc0) {
    hdr = 1;
    len = c & 0x3f;
    value = '';
  } else if (c < 0xe0) {
    hdr = 2;
    len = 0;
    if (p + 1 >= last) return null;
    const u = ((c & 0x1f) << 8) | b[p + 1];
    value = u >= 4096 ? u - 8192 : u;
  } else if (c < 0xf0) {
    hdr = 2;
    if (p + 1 >= last) return null;
    len = ((c & 0x0f) << 8) | b[p + 1];
    value = '';
  } else if (c === 0xf0) {
    hdr = 5;
    if (p + 4 >= last) return null;
    len = b.readUInt32LE(p + 1);
    value = '';
  } else if (c === 0xf1) {
    hdr = 3;
    len = 0;
    if (p + 2 >= last) return null;
    value = b.readInt16LE(p + 1);
  } else if (c === 0xf2) {
    hdr = 4;
    len = 0;
    if (p + 3 >= last) return null;
    value = b.readIntLE(p + 1, 3);
  } else if (c === 0xf3) {
    hdr = 5;
    len = 0;
    if (p + 4 >= last) return null;
    value = b.readInt32LE(p + 1);
  } else if (c === 0xf4) {
    hdr = 9;
    len = 0;
    if (p + 8 >= last) return null;
    const big = b.readBigInt64LE(p + 1);
    value = big >= -9007199254740991n && big <= 9007199254740991n ? Number(big) : big;
  } else {
    return null; // 0xf5..0xfe: no such encoding (0xff is handled by the caller)
  }
  const entryLen = hdr + len;
  const bl = backlenSize(entryLen);
  const next = p + entryLen + bl;
  if (next > last) return null;
  if (readBacklen(b, next, p + entryLen) !== entryLen) return null;
  entryEnd = next;
  if (typeof value === 'string') return b.latin1Slice(p + hdr, p + hdr + len);
  return asInt ? value : String(value);
}

/**
 * Validates a listpack blob b[start, end) like lpValidateIntegrity with deep
 * checks (header size, terminator, every entry, element count) and returns
 * its elements, or null when it is not a valid listpack. Integer entries
 * come back as their decimal strings, or as numbers/bigints when `asInt`.
 */
export function decodeListpack(b: Buffer, start = 0, end = b.length, asInt = false): (string | number | bigint)[] | null {
  const size = end - start;
  if (size < LP_HDR_SIZE + 1) return null;
  if (b.readUInt32LE(start) !== size) return null;
  if (b[end - 1] !== LP_EOF) return null;
  const numele = b.readUInt16LE(start + 4);
  const out: (string | number | bigint)[] = [];
  let p = start + LP_HDR_SIZE;
  while (b[p] !== LP_EOF) {
    const v = decodeEntry(b, p, end, asInt);
    if (v === null) return null;
    out.push(v);
    p = entryEnd;
  }
  if (p !== end - 1) return null;
  if (numele !== 65535 && numele !== out.length) return null;
  return out;
}
