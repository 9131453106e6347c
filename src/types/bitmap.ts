// Bit-level algorithms on byte arrays for the bitmap commands (bitops.ts).
//
// Bit 0 is the most significant bit of byte 0, as in Redis (and SETBIT): a
// field of `bits` bits at bit offset `off` reads those bits in that order,
// most significant first.

const BITS_IN_BYTE = new Uint8Array(256);
for (let i = 1; i < 256; i++) BITS_IN_BYTE[i] = (i & 1) + BITS_IN_BYTE[i >> 1];

/**
 * Bits set in b[start, end). Whole aligned words go 32 bits at a time: each
 * word's bit counts per byte (at most 8) are summed into the four byte lanes
 * of an accumulator for up to 31 words (31 * 8 = 248 fits a byte), and the
 * lanes are added once per group.
 */
export function popcount(b: Uint8Array, start: number, end: number): number {
  let n = 0;
  let i = start;
  const base = b.byteOffset;
  while (i < end && ((base + i) & 3) !== 0) n += BITS_IN_BYTE[b[i++]];
  const words = (end - i) >>> 2;
  if (words > 0) {
    const w = new Int32Array(b.buffer, base + i, words);
    let k = 0;
    while (k < words) {
      const stop = Math.min(words, k + 31);
      let lanes = 0;
      for (; k < stop; k++) {
        let x = w[k];
        x = x - ((x >>> 1) & 0x55555555);
        x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
        lanes += (x + (x >>> 4)) & 0x0f0f0f0f;
      }
      n += (lanes & 0xff) + ((lanes >>> 8) & 0xff) + ((lanes >>> 16) & 0xff) + (lanes >>> 24);
    }
    i += words * 4;
  }
  while (i < end) n += BITS_IN_BYTE[b[i++]];
  return n;
}

/**
 * Redis's redisBitpos(): the position of the first bit equal to `bit` in
 * the `count` bytes from b[start]. When looking for 0 and none is there,
 * the bytes are taken as followed by zeros: count * 8. When looking for 1
 * and none is there: -1.
 */
export function bitpos(b: Uint8Array, start: number, count: number, bit: number): number {
  const skip = bit === 1 ? 0 : 0xff;
  const end = start + count;
  let i = start;
  while (i < end && b[i] === skip) i++;
  if (i === end) return bit === 1 ? -1 : count * 8;
  const byte = bit === 1 ? b[i] : ~b[i] & 0xff;
  // The first set bit of `byte`, counting from its most significant bit.
  return (i - start) * 8 + (Math.clz32(byte) - 24);
}

/**
 * The unsigned value of the `bits`-bit field at bit offset `off`, reading
 * bytes through `byteAt` (bytes at or past `len` read as 0).
 */
export function getField(byteAt: (i: number) => number, len: number, off: number, bits: number): bigint {
  const first = Math.floor(off / 8);
  const last = Math.floor((off + bits - 1) / 8);
  let w = 0n;
  for (let i = first; i <= last; i++) w = (w << 8n) | BigInt(i < len ? byteAt(i) : 0);
  const shift = BigInt((last + 1) * 8 - (off + bits));
  return (w >> shift) & ((1n << BigInt(bits)) - 1n);
}

/** Writes the low `bits` bits of `value` as the field at bit offset `off` (the bytes must exist). */
export function setField(b: Uint8Array, off: number, bits: number, value: bigint): void {
  const first = Math.floor(off / 8);
  const last = Math.floor((off + bits - 1) / 8);
  let w = 0n;
  for (let i = first; i <= last; i++) w = (w << 8n) | BigInt(b[i]);
  const shift = BigInt((last + 1) * 8 - (off + bits));
  const mask = ((1n << BigInt(bits)) - 1n) << shift;
  w = (w & ~mask) | ((value << shift) & mask);
  for (let i = last; i >= first; i--) {
    b[i] = Number(w & 0xffn);
    w >>= 8n;
  }
}

/** Overflow policies of BITFIELD. */
export const enum Overflow {
  Wrap = 0,
  Sat = 1,
  Fail = 2,
}

/** The value the overflow checks below leave for WRAP and SAT (unset for FAIL). */
export let overflowLimit = 0n;

/**
 * checkUnsignedBitfieldOverflow(): 0 if value + incr fits `bits` unsigned
 * bits, 1 on overflow, -1 on underflow, with Redis's int64 arithmetic
 * (`value` is a uint64, `incr` an int64).
 */
export function checkUnsignedOverflow(value: bigint, incr: bigint, bits: number, ow: Overflow): number {
  const max = (1n << BigInt(bits)) - 1n;
  const maxincr = BigInt.asIntN(64, max - value);
  const minincr = BigInt.asIntN(64, -value);
  if (value > max || (incr > 0n && incr > maxincr)) {
    if (ow === Overflow.Wrap) overflowLimit = BigInt.asUintN(bits, value + incr);
    else if (ow === Overflow.Sat) overflowLimit = max;
    return 1;
  }
  if (incr < 0n && incr < minincr) {
    if (ow === Overflow.Wrap) overflowLimit = BigInt.asUintN(bits, value + incr);
    else if (ow === Overflow.Sat) overflowLimit = 0n;
    return -1;
  }
  return 0;
}

const INT64_MAX = (1n << 63n) - 1n;

/** checkSignedBitfieldOverflow(): the same for signed fields (`value` and `incr` int64). */
export function checkSignedOverflow(value: bigint, incr: bigint, bits: number, ow: Overflow): number {
  const max = bits === 64 ? INT64_MAX : (1n << BigInt(bits - 1)) - 1n;
  const min = -max - 1n;
  // As in Redis these may wrap; they are used only where they do not.
  const maxincr = BigInt.asIntN(64, max - value);
  const minincr = BigInt.asIntN(64, min - value);
  if (value > max || (bits !== 64 && incr > maxincr) || (value >= 0n && incr > 0n && incr > maxincr)) {
    if (ow === Overflow.Wrap) overflowLimit = BigInt.asIntN(bits, value + incr);
    else if (ow === Overflow.Sat) overflowLimit = max;
    return 1;
  }
  if (value < min || (bits !== 64 && incr < minincr) || (value < 0n && incr < 0n && incr < minincr)) {
    if (ow === Overflow.Wrap) overflowLimit = BigInt.asIntN(bits, value + incr);
    else if (ow === Overflow.Sat) overflowLimit = min;
    return -1;
  }
  return 0;
}
