// Redis's CRC-64 (the "Jones" polynomial 0xad93d23594c935a9, reflected, initial
// value 0, no final xor), which RDB files and DUMP payloads end with:
// crc64("123456789") = 0xe9c6d914c4b8d9ca.
//
// The 64-bit register is kept as two unsigned 32-bit halves, and bytes are
// folded in eight at a time with eight lookup tables ("slicing by 8"), so a
// multi-gigabyte file is checksummed at memory speed without BigInt.

const TABLES = 8;
/** Low and high halves of T[k][b]: the CRC of byte b followed by k zero bytes. */
const LO = new Uint32Array(TABLES * 256);
const HI = new Uint32Array(TABLES * 256);

(function buildTables(): void {
  // The reflected polynomial: 0xad93d23594c935a9 with its bits reversed.
  const POLY_HI = 0x95ac9329;
  const POLY_LO = 0xac4bc9b5;
  for (let n = 0; n < 256; n++) {
    let lo = n;
    let hi = 0;
    for (let k = 0; k < 8; k++) {
      const carry = lo & 1;
      lo = ((lo >>> 1) | (hi << 31)) >>> 0;
      hi = hi >>> 1;
      if (carry) {
        lo = (lo ^ POLY_LO) >>> 0;
        hi = (hi ^ POLY_HI) >>> 0;
      }
    }
    LO[n] = lo;
    HI[n] = hi;
  }
  for (let t = 1; t < TABLES; t++) {
    for (let n = 0; n < 256; n++) {
      const plo = LO[(t - 1) * 256 + n];
      const phi = HI[(t - 1) * 256 + n];
      const i = plo & 255;
      LO[t * 256 + n] = (((plo >>> 8) | (phi << 24)) ^ LO[i]) >>> 0;
      HI[t * 256 + n] = ((phi >>> 8) ^ HI[i]) >>> 0;
    }
  }
})();

/** A running CRC-64. */
export class Crc64 {
  lo = 0;
  hi = 0;

  /** Folds in bytes [start, end) of `b`. */
  update(b: Uint8Array, start = 0, end = b.length): this {
    let lo = this.lo;
    let hi = this.hi;
    let p = start;
    const end8 = end - 7;
    while (p < end8) {
      const a = (lo ^ (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24))) >>> 0;
      const c = (hi ^ (b[p + 4] | (b[p + 5] << 8) | (b[p + 6] << 16) | (b[p + 7] << 24))) >>> 0;
      const i0 = 7 * 256 + (a & 255);
      const i1 = 6 * 256 + ((a >>> 8) & 255);
      const i2 = 5 * 256 + ((a >>> 16) & 255);
      const i3 = 4 * 256 + (a >>> 24);
      const i4 = 3 * 256 + (c & 255);
      const i5 = 2 * 256 + ((c >>> 8) & 255);
      const i6 = 256 + ((c >>> 16) & 255);
      const i7 = c >>> 24;
      lo = (LO[i0] ^ LO[i1] ^ LO[i2] ^ LO[i3] ^ LO[i4] ^ LO[i5] ^ LO[i6] ^ LO[i7]) >>> 0;
      hi = (HI[i0] ^ HI[i1] ^ HI[i2] ^ HI[i3] ^ HI[i4] ^ HI[i5] ^ HI[i6] ^ HI[i7]) >>> 0;
      p += 8;
    }
    while (p < end) {
      const i = (lo ^ b[p++]) & 255;
      lo = (((lo >>> 8) | (hi << 24)) ^ LO[i]) >>> 0;
      hi = ((hi >>> 8) ^ HI[i]) >>> 0;
    }
    this.lo = lo;
    this.hi = hi;
    return this;
  }

  /** The value as a bigint. */
  value(): bigint {
    return (BigInt(this.hi) << 32n) | BigInt(this.lo);
  }

  /** Writes the value little-endian (as RDB files and DUMP payloads store it) at `at`. */
  writeLE(out: Uint8Array, at: number): void {
    let lo = this.lo;
    let hi = this.hi;
    for (let i = 0; i < 4; i++) {
      out[at + i] = lo & 255;
      lo >>>= 8;
    }
    for (let i = 4; i < 8; i++) {
      out[at + i] = hi & 255;
      hi >>>= 8;
    }
  }

  /** True if the 8 little-endian bytes at `at` hold this value. */
  equalsLE(b: Uint8Array, at: number): boolean {
    const lo = (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
    const hi = (b[at + 4] | (b[at + 5] << 8) | (b[at + 6] << 16) | (b[at + 7] << 24)) >>> 0;
    return lo === this.lo && hi === this.hi;
  }
}

/** CRC-64 of bytes [start, end) of `b`. */
export function crc64(b: Uint8Array, start = 0, end = b.length): Crc64 {
  return new Crc64().update(b, start, end);
}
