// HyperLogLog in Redis's exact byte layout (learned from Redis's
// hyperloglog.c), so that GET of an HLL key returns Redis's bytes and values
// written by Redis work here.
//
// Layout: a 16-byte header, "HYLL", an encoding byte (0 dense, 1 sparse),
// three zero bytes, and the cached cardinality as a little-endian uint64
// whose top bit set means "stale". Then 16384 registers (P = 14), each the
// longest run of zeros + 1 seen in the 50 hash bits above the 14 index bits:
//
// - dense: 6 bits per register, packed from the least significant bit of
//   each byte (12288 bytes);
// - sparse: run-length opcodes, ZERO 00xxxxxx (1..64 zero registers),
//   XZERO 01xxxxxx yyyyyyyy (1..16384 zero registers), VAL 1vvvvvxx (1..4
//   registers of value 1..32). A new HLL is sparse; it becomes dense when a
//   register needs more than 32 or the value would pass hll-sparse-max-bytes.
//
// The hash is MurmurHash64A with seed 0xadc83b19, computed on 32-bit halves
// (Math.imul and 16-bit partial products) instead of BigInt. The estimate is
// Ertl's improved estimator over the histogram of register values, in the
// same double arithmetic as Redis, so the counts are the same numbers.
//
// The functions work on a ByteString (src/types/bytes.ts), in place; the
// read-only ones also take plain bytes (an HLL value stored as a JS string).

import { ByteString } from './bytes.js';

export const HLL_P = 14;
export const HLL_Q = 64 - HLL_P;
export const HLL_REGISTERS = 1 << HLL_P;
const HLL_P_MASK = HLL_REGISTERS - 1;
const HLL_REGISTER_MAX = 63;
export const HLL_HDR_SIZE = 16;
export const HLL_DENSE_SIZE = HLL_HDR_SIZE + (HLL_REGISTERS * 6) / 8; // 12304
export const HLL_DENSE = 0;
export const HLL_SPARSE = 1;

const SPARSE_VAL_MAX_VALUE = 32;
const SPARSE_VAL_MAX_LEN = 4;
const SPARSE_ZERO_MAX_LEN = 64;
const SPARSE_XZERO_MAX_LEN = 16384;

/** 0.5 / ln(2) */
const HLL_ALPHA_INF = 0.721347520444481703680;

// ---------------------------------------------------------------------------
// MurmurHash64A on 32-bit halves

const M_HI = 0xc6a4a793 | 0;
const M_LO = 0x5bd1e995 | 0;
const SEED = 0xadc83b19 | 0;

/**
 * Scratch words: [0] low and [1] high half of the last product (mulM);
 * [2] low and [3] high half of the last hash. Int32 slots rather than
 * module variables, which would box every value above 2^31.
 */
const W = new Int32Array(4);

/** (hi, lo) * 0xc6a4a7935bd1e995 mod 2^64, into W[1]:W[0]. */
function mulM(hi: number, lo: number): void {
  const a0 = lo & 0xffff;
  const a1 = lo >>> 16;
  const p00 = a0 * 0xe995;
  const p01 = a0 * 0x5bd1;
  const p10 = a1 * 0xe995;
  const p11 = a1 * 0x5bd1;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  W[0] = (mid << 16) | (p00 & 0xffff);
  W[1] = p11 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16) + Math.imul(lo, M_HI) + Math.imul(hi, M_LO);
}

/** h = h ^ (k * m, k ^= k >> 47, k * m), then h * m: one 8-byte block; returns nothing, h in W[3]:W[2]. */
function mixBlock(hHi: number, hLo: number, kHi: number, kLo: number): void {
  mulM(kHi, kLo);
  const hi = W[1];
  mulM(hi, W[0] ^ (hi >>> 15)); // k ^= k >> 47
  mulM(hHi ^ W[1], hLo ^ W[0]);
  W[2] = W[0];
  W[3] = W[1];
}

/** The tail (1..7 bytes, already xored into h) and the final mix: h in W[3]:W[2]. */
function finish(hHi: number, hLo: number, tail: boolean): void {
  if (tail) {
    mulM(hHi, hLo);
    hHi = W[1];
    hLo = W[0];
  }
  mulM(hHi, hLo ^ (hHi >>> 15));
  const hi = W[1];
  W[2] = W[0] ^ (hi >>> 15);
  W[3] = hi;
}

/** MurmurHash64A of a latin1 string's bytes with Redis's HLL seed, into W[3]:W[2]. */
export function murmurString(s: string): void {
  const len = s.length;
  mulM(0, len);
  let hHi = W[1];
  let hLo = W[0] ^ SEED;
  const blocks = len - (len & 7);
  let i = 0;
  for (; i < blocks; i += 8) {
    const lo = s.charCodeAt(i) | (s.charCodeAt(i + 1) << 8) | (s.charCodeAt(i + 2) << 16) | (s.charCodeAt(i + 3) << 24);
    const hi = s.charCodeAt(i + 4) | (s.charCodeAt(i + 5) << 8) | (s.charCodeAt(i + 6) << 16) | (s.charCodeAt(i + 7) << 24);
    mixBlock(hHi, hLo, hi, lo);
    hHi = W[3];
    hLo = W[2];
  }
  const rest = len & 7;
  // The tail bytes, little-endian (Redis's fall-through switch).
  if (rest >= 7) hHi ^= s.charCodeAt(i + 6) << 16;
  if (rest >= 6) hHi ^= s.charCodeAt(i + 5) << 8;
  if (rest >= 5) hHi ^= s.charCodeAt(i + 4);
  if (rest >= 4) hLo ^= s.charCodeAt(i + 3) << 24;
  if (rest >= 3) hLo ^= s.charCodeAt(i + 2) << 16;
  if (rest >= 2) hLo ^= s.charCodeAt(i + 1) << 8;
  if (rest >= 1) hLo ^= s.charCodeAt(i);
  finish(hHi, hLo, rest !== 0);
}

/** MurmurHash64A of bytes b[start, start + len), into W[3]:W[2]. */
export function murmurBytes(b: Uint8Array, start: number, len: number): void {
  mulM(0, len);
  let hHi = W[1];
  let hLo = W[0] ^ SEED;
  const blocks = start + len - (len & 7);
  let i = start;
  for (; i < blocks; i += 8) {
    const lo = b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24);
    const hi = b[i + 4] | (b[i + 5] << 8) | (b[i + 6] << 16) | (b[i + 7] << 24);
    mixBlock(hHi, hLo, hi, lo);
    hHi = W[3];
    hLo = W[2];
  }
  const rest = len & 7;
  if (rest >= 7) hHi ^= b[i + 6] << 16;
  if (rest >= 6) hHi ^= b[i + 5] << 8;
  if (rest >= 5) hHi ^= b[i + 4];
  if (rest >= 4) hLo ^= b[i + 3] << 24;
  if (rest >= 3) hLo ^= b[i + 2] << 16;
  if (rest >= 2) hLo ^= b[i + 1] << 8;
  if (rest >= 1) hLo ^= b[i];
  finish(hHi, hLo, rest !== 0);
}

/** The last hash as a 16-digit hex string (tests). */
export function lastHashHex(): string {
  return (W[3] >>> 0).toString(16).padStart(8, '0') + (W[2] >>> 0).toString(16).padStart(8, '0');
}

/** The register index of the last hash (set by patLen). */
export let patIndex = 0;

/**
 * hllPatLen() of the last hash: the register is its low 14 bits, the count
 * the position of the first 1 in the 50 bits above them (1 based, at most 51).
 */
function patLenOfHash(): number {
  const lo = W[2];
  const hi = W[3];
  patIndex = lo & HLL_P_MASK;
  const low = (lo >>> HLL_P) | (hi << (32 - HLL_P));
  if (low !== 0) return 32 - Math.clz32(low & -low);
  const high = (hi >>> HLL_P) | (1 << (HLL_Q - 32));
  return 64 - Math.clz32(high & -high);
}

/** hllPatLen() of an element: its run length; patIndex gets its register. */
export function patLen(ele: string): number {
  murmurString(ele);
  return patLenOfHash();
}

/** hllPatLen() of bytes. */
export function patLenBytes(b: Uint8Array, start: number, len: number): number {
  murmurBytes(b, start, len);
  return patLenOfHash();
}

// ---------------------------------------------------------------------------
// Header

/** True when the bytes are a valid HLL header (isHLLObjectOrReply, after the type checks). */
export function validHeader(b: Uint8Array, len: number): boolean {
  if (len < HLL_HDR_SIZE) return false;
  if (b[0] !== 72 || b[1] !== 89 || b[2] !== 76 || b[3] !== 76) return false; // "HYLL"
  const enc = b[4];
  if (enc > HLL_SPARSE) return false;
  return enc !== HLL_DENSE || len === HLL_DENSE_SIZE;
}

/** The same check for an HLL held as a latin1 string. */
export function validHeaderString(s: string): boolean {
  const len = s.length;
  if (len < HLL_HDR_SIZE || !s.startsWith('HYLL')) return false;
  const enc = s.charCodeAt(4);
  if (enc > HLL_SPARSE) return false;
  return enc !== HLL_DENSE || len === HLL_DENSE_SIZE;
}

export function isDense(b: Uint8Array): boolean {
  return b[4] === HLL_DENSE;
}

/** Marks the cached cardinality stale. */
export function invalidateCache(b: Uint8Array): void {
  b[15] |= 0x80;
}

/** The cached cardinality, or -1 when it is stale. */
export function cachedCount(b: Uint8Array): number | bigint {
  if ((b[15] & 0x80) !== 0) return -1;
  const lo = (b[8] | (b[9] << 8) | (b[10] << 16) | (b[11] << 24)) >>> 0;
  const hi = (b[12] | (b[13] << 8) | (b[14] << 16) | (b[15] << 24)) >>> 0;
  if (hi < 1 << 21) return hi * 4294967296 + lo;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** Stores a freshly computed cardinality (a valid cache). */
export function setCachedCount(b: Uint8Array, n: number): void {
  const lo = n % 4294967296;
  const hi = Math.floor(n / 4294967296);
  b[8] = lo & 0xff;
  b[9] = (lo >>> 8) & 0xff;
  b[10] = (lo >>> 16) & 0xff;
  b[11] = lo >>> 24;
  b[12] = hi & 0xff;
  b[13] = (hi >>> 8) & 0xff;
  b[14] = (hi >>> 16) & 0xff;
  b[15] = hi >>> 24;
}

/** createHLLObject(): an empty sparse HLL (one XZERO of 16384 registers), cache valid at 0. */
export function createHll(): ByteString {
  const b = ByteString.zeroed(HLL_HDR_SIZE + 2);
  b.buf.latin1Write('HYLL', 0, 4);
  b.buf[4] = HLL_SPARSE;
  b.buf[16] = 0x40 | ((SPARSE_XZERO_MAX_LEN - 1) >> 8);
  b.buf[17] = (SPARSE_XZERO_MAX_LEN - 1) & 0xff;
  return b;
}

// ---------------------------------------------------------------------------
// Dense registers (at byte 16 of the value)

/** Register `i` of a dense HLL whose value is `len` bytes long. */
export function denseGet(b: Uint8Array, i: number): number {
  const bit = i * 6;
  const byte = HLL_HDR_SIZE + (bit >>> 3);
  const fb = bit & 7;
  // The last register never uses the byte after the registers.
  const b1 = i === HLL_REGISTERS - 1 ? 0 : b[byte + 1];
  return ((b[byte] >> fb) | (b1 << (8 - fb))) & HLL_REGISTER_MAX;
}

function denseWrite(b: Uint8Array, i: number, v: number): void {
  const bit = i * 6;
  const byte = HLL_HDR_SIZE + (bit >>> 3);
  const fb = bit & 7;
  b[byte] = (b[byte] & ~(HLL_REGISTER_MAX << fb)) | (v << fb);
  if (fb > 2) b[byte + 1] = (b[byte + 1] & ~(HLL_REGISTER_MAX >> (8 - fb))) | (v >> (8 - fb));
}

/** hllDenseSet(): raises register i to `count`; 1 if it changed. */
export function denseSet(b: Uint8Array, i: number, count: number): number {
  if (count > denseGet(b, i)) {
    denseWrite(b, i, count);
    return 1;
  }
  return 0;
}

/** Adds every register value of a dense HLL to `hist`. */
function denseHisto(b: Uint8Array, hist: Int32Array): void {
  let r = HLL_HDR_SIZE;
  for (let j = 0; j < 1024; j++, r += 12) {
    // 16 registers in 12 bytes.
    const b0 = b[r], b1 = b[r + 1], b2 = b[r + 2], b3 = b[r + 3], b4 = b[r + 4], b5 = b[r + 5];
    const b6 = b[r + 6], b7 = b[r + 7], b8 = b[r + 8], b9 = b[r + 9], b10 = b[r + 10], b11 = b[r + 11];
    hist[b0 & 63]++;
    hist[((b0 >> 6) | (b1 << 2)) & 63]++;
    hist[((b1 >> 4) | (b2 << 4)) & 63]++;
    hist[b2 >> 2]++;
    hist[b3 & 63]++;
    hist[((b3 >> 6) | (b4 << 2)) & 63]++;
    hist[((b4 >> 4) | (b5 << 4)) & 63]++;
    hist[b5 >> 2]++;
    hist[b6 & 63]++;
    hist[((b6 >> 6) | (b7 << 2)) & 63]++;
    hist[((b7 >> 4) | (b8 << 4)) & 63]++;
    hist[b8 >> 2]++;
    hist[b9 & 63]++;
    hist[((b9 >> 6) | (b10 << 2)) & 63]++;
    hist[((b10 >> 4) | (b11 << 4)) & 63]++;
    hist[b11 >> 2]++;
  }
}

// ---------------------------------------------------------------------------
// Sparse representation

/** The run length of the opcode at p (an XZERO's second byte reads as 0 past `end`, like sds's terminator). */
function opSpan(b: Uint8Array, p: number, end: number): number {
  const op = b[p];
  if ((op & 0xc0) === 0) return (op & 0x3f) + 1;
  if ((op & 0x80) !== 0) return (op & 3) + 1;
  return (((op & 0x3f) << 8) | (p + 1 < end ? b[p + 1] : 0)) + 1;
}

function isXzero(op: number): boolean {
  return (op & 0xc0) === 0x40;
}

function valOp(value: number, len: number): number {
  return 0x80 | ((value - 1) << 2) | (len - 1);
}

/**
 * hllSparseToDense(): converts in place (a new buffer); false if the
 * sparse representation is corrupt (the value is then unchanged).
 */
export function sparseToDense(h: ByteString): boolean {
  const src = h.buf;
  if (src[4] === HLL_DENSE) return true;
  // One byte more than the value, as sds's terminator.
  const dense = Buffer.alloc(HLL_DENSE_SIZE + 1);
  src.copy(dense, 0, 0, HLL_HDR_SIZE);
  dense[4] = HLL_DENSE;
  const end = h.len;
  let idx = 0;
  let p = HLL_HDR_SIZE;
  while (p < end) {
    const op = src[p];
    if ((op & 0xc0) === 0) {
      idx += (op & 0x3f) + 1;
      p++;
    } else if (isXzero(op)) {
      idx += opSpan(src, p, end);
      p += 2;
    } else {
      let runlen = (op & 3) + 1;
      const value = ((op >> 2) & 0x1f) + 1;
      if (runlen + idx > HLL_REGISTERS) break;
      while (runlen-- > 0) denseWrite(dense, idx++, value);
      p++;
    }
  }
  if (idx !== HLL_REGISTERS) return false;
  h.buf = dense;
  h.len = HLL_DENSE_SIZE;
  return true;
}

/** A sparse HLL whose value would pass this many bytes becomes dense (hll-sparse-max-bytes). */
export let sparseMaxBytes = 3000;
export function setSparseMaxBytes(n: number): void {
  sparseMaxBytes = n;
}

const seq = new Uint8Array(5);

/**
 * hllSparseSet(): raises register `index` to `count` in a sparse HLL,
 * splitting the opcode that covers it and merging equal neighbours after,
 * exactly as Redis does (so the bytes are Redis's). Returns 1 if the
 * register changed, 0 if not, -1 if the representation is corrupt. May
 * promote the HLL to dense.
 */
export function sparseSet(h: ByteString, index: number, count: number): number {
  if (count > SPARSE_VAL_MAX_VALUE) return promote(h, index, count);
  // Room for the worst case (XZERO -> XZERO VAL XZERO) before taking positions.
  h.reserve(h.len + 3);
  const b = h.buf;
  let end = h.len;

  // Step 1: find the opcode covering the register.
  let p = HLL_HDR_SIZE;
  let first = 0;
  let prev = -1;
  let span = 0;
  while (p < end) {
    const op = b[p];
    let oplen = 1;
    if ((op & 0xc0) === 0) span = (op & 0x3f) + 1;
    else if ((op & 0x80) !== 0) span = (op & 3) + 1;
    else {
      span = opSpan(b, p, end);
      oplen = 2;
    }
    if (index <= first + span - 1) break;
    prev = p;
    p += oplen;
    first += span;
  }
  if (span === 0 || p >= end) return -1;

  let next = isXzero(b[p]) ? p + 2 : p + 1;
  if (next >= end) next = -1;
  const op = b[p];
  const isZero = (op & 0xc0) === 0;
  const isX = isXzero(op);
  const runlen = opSpan(b, p, end);

  updated: {
    // A) a VAL already >= count: nothing to do. B) a VAL of one register.
    if (!isZero && !isX) {
      const old = ((op >> 2) & 0x1f) + 1;
      if (old >= count) return 0;
      if (runlen === 1) {
        b[p] = valOp(count, 1);
        break updated;
      }
    }
    // C) a ZERO of one register becomes a VAL.
    if (isZero && runlen === 1) {
      b[p] = valOp(count, 1);
      break updated;
    }
    // D) split the opcode into up to three.
    let n = 0;
    const last = first + span - 1;
    if (isZero || isX) {
      if (index !== first) n = putZeros(n, index - first);
      seq[n++] = valOp(count, 1);
      if (index !== last) n = putZeros(n, last - index);
    } else {
      const cur = ((op >> 2) & 0x1f) + 1;
      if (index !== first) seq[n++] = valOp(cur, index - first);
      seq[n++] = valOp(count, 1);
      if (index !== last) seq[n++] = valOp(cur, last - index);
    }
    // Step 3: put the new sequence in place of the old opcode.
    const delta = n - (isX ? 2 : 1);
    if (delta > 0 && h.len + delta > sparseMaxBytes) return promote(h, index, count);
    if (delta !== 0 && next >= 0) b.copyWithin(next + delta, next, end);
    h.len += delta;
    for (let k = 0; k < n; k++) b[p + k] = seq[k];
    end += delta;
  }

  // Step 4: merge adjacent VALs of the same value, scanning up to 5 opcodes from prev.
  p = prev >= 0 ? prev : HLL_HDR_SIZE;
  let scan = 5;
  while (p < end && scan-- > 0) {
    const x = b[p];
    if (isXzero(x)) {
      p += 2;
      continue;
    }
    if ((x & 0xc0) === 0) {
      p++;
      continue;
    }
    if (p + 1 < end && (b[p + 1] & 0x80) !== 0) {
      const y = b[p + 1];
      const v1 = ((x >> 2) & 0x1f) + 1;
      if (v1 === ((y >> 2) & 0x1f) + 1) {
        const len = (x & 3) + (y & 3) + 2;
        if (len <= SPARSE_VAL_MAX_LEN) {
          b[p + 1] = valOp(v1, len);
          b.copyWithin(p, p + 1, end);
          h.len--;
          end--;
          continue;
        }
      }
    }
    p++;
  }
  invalidateCache(b);
  return 1;
}

/** Writes a ZERO or XZERO run of `len` registers into seq at n; returns the new n. */
function putZeros(n: number, len: number): number {
  if (len > SPARSE_ZERO_MAX_LEN) {
    seq[n++] = 0x40 | ((len - 1) >> 8);
    seq[n++] = (len - 1) & 0xff;
  } else {
    seq[n++] = len - 1;
  }
  return n;
}

/** The sparse -> dense promotion, then the register update in dense form. */
function promote(h: ByteString, index: number, count: number): number {
  if (!sparseToDense(h)) return -1;
  return denseSet(h.buf, index, count);
}

/** Adds every register value of a sparse HLL to `hist`; false if the registers do not add up to 16384. */
function sparseHisto(b: Uint8Array, len: number, hist: Int32Array): boolean {
  let idx = 0;
  let p = HLL_HDR_SIZE;
  while (p < len) {
    const op = b[p];
    if ((op & 0xc0) === 0) {
      const run = (op & 0x3f) + 1;
      idx += run;
      hist[0] += run;
      p++;
    } else if (isXzero(op)) {
      const run = opSpan(b, p, len);
      idx += run;
      hist[0] += run;
      p += 2;
    } else {
      const run = (op & 3) + 1;
      idx += run;
      hist[((op >> 2) & 0x1f) + 1] += run;
      p++;
    }
  }
  return idx === HLL_REGISTERS;
}

// ---------------------------------------------------------------------------
// Adding, merging, counting

/** hllAdd(): adds an element; 1 if a register changed, 0 if not, -1 if corrupt. */
export function hllAdd(h: ByteString, ele: string): number {
  const count = patLen(ele);
  const b = h.buf;
  if (b[4] === HLL_DENSE) return denseSet(b, patIndex, count);
  if (b[4] === HLL_SPARSE) return sparseSet(h, patIndex, count);
  return -1;
}

/**
 * hllMerge(): max[i] = max(max[i], register i) over an HLL's bytes; false if
 * a sparse representation is corrupt.
 */
export function hllMerge(max: Uint8Array, b: Uint8Array, len: number): boolean {
  if (b[4] === HLL_DENSE) {
    // 4 registers in every 3 bytes.
    for (let r = HLL_HDR_SIZE, i = 0; i < HLL_REGISTERS; r += 3, i += 4) {
      const b0 = b[r];
      const b1 = b[r + 1];
      const b2 = b[r + 2];
      const v0 = b0 & 63;
      const v1 = ((b0 >> 6) | (b1 << 2)) & 63;
      const v2 = ((b1 >> 4) | (b2 << 4)) & 63;
      const v3 = b2 >> 2;
      if (v0 > max[i]) max[i] = v0;
      if (v1 > max[i + 1]) max[i + 1] = v1;
      if (v2 > max[i + 2]) max[i + 2] = v2;
      if (v3 > max[i + 3]) max[i + 3] = v3;
    }
    return true;
  }
  let i = 0;
  let p = HLL_HDR_SIZE;
  while (p < len) {
    const op = b[p];
    if ((op & 0xc0) === 0) {
      i += (op & 0x3f) + 1;
      p++;
    } else if (isXzero(op)) {
      i += opSpan(b, p, len);
      p += 2;
    } else {
      let run = (op & 3) + 1;
      const v = ((op >> 2) & 0x1f) + 1;
      if (run + i > HLL_REGISTERS) break;
      while (run-- > 0) {
        if (v > max[i]) max[i] = v;
        i++;
      }
      p++;
    }
  }
  return i === HLL_REGISTERS;
}

const histogram = new Int32Array(64);

/**
 * hllCount(): the estimated cardinality of an HLL's bytes (dense or
 * sparse), or of 16384 one-byte registers (`raw`). -1 if a sparse
 * representation is corrupt.
 */
export function hllCount(b: Uint8Array, len: number, raw = false): number {
  const hist = histogram;
  hist.fill(0);
  if (raw) {
    for (let i = 0; i < HLL_REGISTERS; i++) hist[b[i]]++;
  } else if (b[4] === HLL_DENSE) {
    denseHisto(b, hist);
  } else if (!sparseHisto(b, len, hist)) {
    return -1;
  }
  return estimate(hist);
}

/** Ertl's estimator over the register histogram ("New cardinality estimation algorithms for HyperLogLog sketches"). */
function estimate(hist: Int32Array): number {
  const m = HLL_REGISTERS;
  let z = m * tau((m - hist[HLL_Q + 1]) / m);
  for (let j = HLL_Q; j >= 1; --j) {
    z += hist[j];
    z *= 0.5;
  }
  z += m * sigma(hist[0] / m);
  return Math.round((HLL_ALPHA_INF * m * m) / z);
}

function sigma(x: number): number {
  if (x === 1) return Infinity;
  let y = 1;
  let z = x;
  let zPrime: number;
  do {
    x *= x;
    zPrime = z;
    z += x * y;
    y += y;
  } while (zPrime !== z);
  return z;
}

function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let y = 1.0;
  let z = 1 - x;
  let zPrime: number;
  do {
    x = Math.sqrt(x);
    zPrime = z;
    y *= 0.5;
    const d = 1 - x;
    z -= d * d * y;
  } while (zPrime !== z);
  return z / 3;
}

/** PFDEBUG DECODE: the opcodes of a sparse HLL as "z:N Z:N v:V,N ...". */
export function decodeSparse(b: Uint8Array, len: number): string {
  const out: string[] = [];
  let p = HLL_HDR_SIZE;
  while (p < len) {
    const op = b[p];
    if ((op & 0xc0) === 0) {
      out.push(`z:${(op & 0x3f) + 1}`);
      p++;
    } else if (isXzero(op)) {
      out.push(`Z:${opSpan(b, p, len)}`);
      p += 2;
    } else {
      out.push(`v:${((op >> 2) & 0x1f) + 1},${(op & 3) + 1}`);
      p++;
    }
  }
  return out.join(' ');
}

// ---------------------------------------------------------------------------
// PFSELFTEST

/**
 * Redis's PFSELFTEST: dense registers keep random values without disturbing
 * their neighbours, and a dense and a sparse HLL fed the same 10 M elements
 * agree and stay within 6 standard errors. Returns null or the failure text.
 */
export function selfTest(): string | null {
  const dense = Buffer.alloc(HLL_DENSE_SIZE + 1);
  const bytes = new Uint8Array(HLL_REGISTERS);
  for (let cycle = 0; cycle < 1000; cycle++) {
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const r = (Math.random() * 64) | 0;
      bytes[i] = r;
      denseWrite(dense, i, r);
    }
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const v = denseGet(dense, i);
      if (v !== bytes[i]) return `TESTFAILED Register ${i} should be ${bytes[i]} but is ${v}`;
    }
  }

  dense.fill(0, HLL_HDR_SIZE);
  dense[4] = HLL_DENSE;
  const sparse = createHll();
  const relerr = 1.04 / Math.sqrt(HLL_REGISTERS);
  let checkpoint = 1;
  const seedLo = (Math.random() * 4294967296) >>> 0;
  const seedHi = (Math.random() * 4294967296) >>> 0;
  const ele = new Uint8Array(8);
  ele[4] = seedHi & 0xff;
  ele[5] = (seedHi >>> 8) & 0xff;
  ele[6] = (seedHi >>> 16) & 0xff;
  ele[7] = seedHi >>> 24;
  for (let j = 1; j <= 10000000; j++) {
    const lo = (j ^ seedLo) >>> 0;
    ele[0] = lo & 0xff;
    ele[1] = (lo >>> 8) & 0xff;
    ele[2] = (lo >>> 16) & 0xff;
    ele[3] = lo >>> 24;
    const count = patLenBytes(ele, 0, 8);
    denseSet(dense, patIndex, count);
    if (sparse.buf[4] === HLL_DENSE) denseSet(sparse.buf, patIndex, count);
    else sparseSet(sparse, patIndex, count);
    if (j !== checkpoint) continue;
    if (j < sparseMaxBytes / 2 && sparse.buf[4] !== HLL_SPARSE) return 'TESTFAILED sparse encoding not used';
    const expected = hllCount(dense, HLL_DENSE_SIZE);
    if (expected !== hllCount(sparse.buf, sparse.len)) return 'TESTFAILED dense/sparse disagree';
    let maxerr = Math.ceil(relerr * 6 * checkpoint);
    if (j === 10) maxerr = 1;
    const abserr = Math.abs(checkpoint - expected);
    if (abserr > maxerr) return `TESTFAILED Too big error. card:${checkpoint} abserr:${abserr}`;
    checkpoint *= 10;
  }
  return null;
}
