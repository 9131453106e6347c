// Decoders of the older compact encodings an RDB file may hold (Redis
// before 7.0 wrote them; 7.2 still loads them): ziplists (lists, hashes,
// sorted sets and quicklist v1 nodes), zipmaps (hashes before 2.6) and
// intsets (integer sets, still written). Each validates the blob as Redis's
// *ValidateIntegrity with deep checks does, and returns null when it is not
// valid, never reading outside it.

/**
 * A ziplist: zlbytes (u32 LE) | zltail (u32 LE) | zllen (u16 LE) | entries | 0xFF.
 * Entry: prevlen (1 byte < 254, or 0xFE + u32 LE), encoding (strings:
 * 00pppppp, 01pppppp qqqqqqqq, 10______ + u32 BE length; integers: 0xC0
 * int16, 0xD0 int32, 0xE0 int64, 0xF0 int24, 0xFE int8, 0xF1..0xFD the
 * values 0..12), then the data. Returns the elements as latin1 strings.
 */
export function decodeZiplist(b: Buffer, start = 0, end = b.length): string[] | null {
  const size = end - start;
  const HDR = 10;
  if (size < HDR + 1) return null;
  if (b.readUInt32LE(start) !== size) return null;
  const tail = b.readUInt32LE(start + 4);
  const count = b.readUInt16LE(start + 8);
  if (tail > size - 1) return null;
  if (b[end - 1] !== 0xff) return null;
  const last = end - 1;
  const out: string[] = [];
  let p = start + HDR;
  let prevSize = 0;
  let prevStart = -1;
  while (b[p] !== 0xff) {
    const entry = p;
    // prevlen
    let prevlen: number;
    if (b[p] < 254) {
      prevlen = b[p];
      p += 1;
    } else {
      if (p + 5 > last) return null;
      prevlen = b.readUInt32LE(p + 1);
      p += 5;
    }
    if (p >= last) return null;
    if (prevlen !== prevSize) return null;
    const c = b[p];
    let hdr: number;
    let len: number;
    let value: string | null = null;
    if (c < 0xc0) {
      const kind = c >>> 6;
      if (kind === 0) {
        hdr = 1;
        len = c & 0x3f;
      } else if (kind === 1) {
        if (p + 2 > last) return null;
        hdr = 2;
        len = ((c & 0x3f) << 8) | b[p + 1];
      } else {
        if (p + 5 > last) return null;
        hdr = 5;
        len = b.readUInt32BE(p + 1);
      }
      if (p + hdr + len > last) return null;
      value = b.latin1Slice(p + hdr, p + hdr + len);
    } else {
      hdr = 1;
      if (c === 0xc0) len = 2;
      else if (c === 0xd0) len = 4;
      else if (c === 0xe0) len = 8;
      else if (c === 0xf0) len = 3;
      else if (c === 0xfe) len = 1;
      else if (c >= 0xf1 && c <= 0xfd) len = 0;
      else return null;
      if (p + hdr + len > last) return null;
      const d = p + 1;
      if (c === 0xc0) value = String(b.readInt16LE(d));
      else if (c === 0xd0) value = String(b.readInt32LE(d));
      else if (c === 0xe0) value = b.readBigInt64LE(d).toString();
      else if (c === 0xf0) value = String(b.readIntLE(d, 3));
      else if (c === 0xfe) value = String(b.readInt8(d));
      else value = String((c & 0x0f) - 1);
    }
    p += hdr + len;
    prevSize = p - entry;
    prevStart = entry;
    out.push(value);
  }
  if (p !== last) return null;
  if (prevStart >= 0 && prevStart !== start + tail) return null;
  if (count !== 65535 && count !== out.length) return null;
  return out;
}

/**
 * A zipmap (hashes in RDB files of Redis before 2.6): zmlen (1 byte) | entries | 0xFF,
 * entry = len key len free value [free bytes], len = 1 byte (< 254) or 254 + u32 LE.
 * Returns field, value, field, value, ...
 */
export function decodeZipmap(b: Buffer, start = 0, end = b.length): string[] | null {
  const size = end - start;
  if (size < 2) return null;
  const last = end - 1;
  if (b[last] !== 0xff) return null;
  const out: string[] = [];
  let p = start + 1;
  const readLen = (): number => {
    if (p > last) return -1;
    const c = b[p];
    if (c < 254) {
      p += 1;
      return c;
    }
    if (c === 254) {
      if (p + 5 > last) return -1;
      const v = b.readUInt32LE(p + 1);
      p += 5;
      return v;
    }
    return -1;
  };
  while (b[p] !== 0xff) {
    const klen = readLen();
    if (klen < 0 || p + klen > last) return null;
    const key = b.latin1Slice(p, p + klen);
    p += klen;
    const vlen = readLen();
    if (vlen < 0 || p + 1 > last) return null;
    const free = b[p++];
    if (p + vlen + free > last) return null;
    out.push(key, b.latin1Slice(p, p + vlen));
    p += vlen + free;
    if (p > last) return null;
  }
  if (p !== last || out.length === 0) return null;
  const zmlen = b[start];
  if (zmlen !== 254 && zmlen !== out.length / 2) return null;
  return out;
}

/**
 * An intset: encoding (u32 LE: 2, 4 or 8 bytes per value) | length (u32 LE) |
 * values, little-endian, ascending and distinct, at least one. Returns the
 * values (numbers, bigints past 2^53).
 */
export function decodeIntset(b: Buffer, start = 0, end = b.length): (number | bigint)[] | null {
  const size = end - start;
  if (size < 8) return null;
  const enc = b.readUInt32LE(start);
  if (enc !== 2 && enc !== 4 && enc !== 8) return null;
  const n = b.readUInt32LE(start + 4);
  if (8 + n * enc !== size || n === 0) return null;
  const out = new Array<number | bigint>(n);
  let p = start + 8;
  let prev: number | bigint = 0;
  for (let i = 0; i < n; i++, p += enc) {
    let v: number | bigint;
    if (enc === 2) v = b.readInt16LE(p);
    else if (enc === 4) v = b.readInt32LE(p);
    else {
      const big = b.readBigInt64LE(p);
      v = big >= -9007199254740991n && big <= 9007199254740991n ? Number(big) : big;
    }
    if (i > 0 && !(v > prev)) return null;
    out[i] = prev = v;
  }
  return out;
}

/** The intset blob of distinct integers given in ascending order. */
export function encodeIntset(values: readonly (number | bigint)[]): Buffer {
  const n = values.length;
  let width = 2;
  if (n > 0) {
    const lo = values[0];
    const hi = values[n - 1];
    if (lo < -2147483648 || hi > 2147483647) width = 8;
    else if (lo < -32768 || hi > 32767) width = 4;
  }
  const b = Buffer.allocUnsafe(8 + n * width);
  b.writeUInt32LE(width, 0);
  b.writeUInt32LE(n, 4);
  let p = 8;
  for (let i = 0; i < n; i++, p += width) {
    const v = values[i];
    if (width === 2) b.writeInt16LE(Number(v), p);
    else if (width === 4) b.writeInt32LE(Number(v), p);
    else b.writeBigInt64LE(BigInt(v), p);
  }
  return b;
}
