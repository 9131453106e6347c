// LZF, the compression RDB files use for strings (rdbcompression) and
// quicklist nodes. The format: a sequence of
//   literal run:    000LLLLL, then L+1 bytes (1..32)
//   back reference: LLLooooo oooooooo (L in 1..6: L+2 bytes), or
//                   111ooooo LLLLLLLL oooooooo (L+9 bytes), copying from
//                   (offset + 1) bytes before the output position.
//
// The compressor makes the same choices as the liblzf 3.6 build Redis ships
// (16-bit hash of the next three bytes, the "very fast" variant that hashes
// two positions after each match, matches of at most 264 bytes within 8 KB,
// and a hash table that starts out empty), so Spinel's compressed values are
// byte for byte Redis's. Instead of clearing its 64K-entry table per call,
// it tags entries with a per-call base: a slot holds base + position + 1, and
// only values above the current base belong to this call.

const HSIZE = 1 << 16;
const MAX_LIT = 1 << 5;
const MAX_OFF = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3);

const htab = new Float64Array(HSIZE);
let tabBase = 0;

function slot(h: number): number {
  return (((h >>> 8) - Math.imul(h, 5)) >>> 0) & (HSIZE - 1);
}

/**
 * Compresses `input` into `out`, writing at most `outLen` bytes. Returns the
 * compressed length, or 0 when the result would not fit (lzf_compress).
 */
export function lzfCompress(input: Uint8Array, out: Uint8Array, outLen: number): number {
  const inLen = input.length;
  if (inLen === 0 || outLen === 0) return 0;
  const base = tabBase;
  tabBase += inLen + 1;
  let ip = 0;
  let op = 1; // room for the first literal run's header
  let lit = 0;
  let hval = ((input[0] << 8) | input[1]) >>> 0;
  while (ip < inLen - 2) {
    hval = ((hval << 8) | input[ip + 2]) >>> 0;
    const s = slot(hval);
    const v = htab[s];
    htab[s] = base + ip + 1;
    const ref = v > base ? v - base - 1 : 0;
    let off: number;
    if (
      (off = ip - ref - 1) < MAX_OFF &&
      ref > 0 &&
      input[ref + 2] === input[ip + 2] &&
      input[ref] === input[ip] &&
      input[ref + 1] === input[ip + 1]
    ) {
      let len = 2;
      let maxlen = inLen - ip - len;
      if (maxlen > MAX_REF) maxlen = MAX_REF;
      if (op + 3 + 1 >= outLen && op - (lit === 0 ? 1 : 0) + 3 + 1 >= outLen) return 0;
      out[op - lit - 1] = lit - 1; // close the literal run
      if (lit === 0) op--; // ... or drop its empty header
      // liblzf compares 16 bytes unrolled (without the maxlen bound) first.
      let stop = false;
      if (maxlen > 16) {
        for (let u = 0; u < 16; u++) {
          len++;
          if (input[ref + len] !== input[ip + len]) {
            stop = true;
            break;
          }
        }
      }
      if (!stop) {
        do len++;
        while (len < maxlen && input[ref + len] === input[ip + len]);
      }
      len -= 2; // the encoded length: bytes matched - 2
      ip++;
      if (len < 7) {
        out[op++] = (off >>> 8) + (len << 5);
      } else {
        out[op++] = (off >>> 8) + (7 << 5);
        out[op++] = len - 7;
      }
      out[op++] = off & 255;
      lit = 0;
      op++; // header of the next literal run
      ip += len + 1;
      if (ip >= inLen - 2) break;
      ip -= 2;
      hval = ((input[ip] << 8) | input[ip + 1]) >>> 0;
      hval = ((hval << 8) | input[ip + 2]) >>> 0;
      htab[slot(hval)] = base + ip + 1;
      ip++;
      hval = ((hval << 8) | input[ip + 2]) >>> 0;
      htab[slot(hval)] = base + ip + 1;
      ip++;
    } else {
      if (op >= outLen) return 0;
      lit++;
      out[op++] = input[ip++];
      if (lit === MAX_LIT) {
        out[op - lit - 1] = lit - 1;
        lit = 0;
        op++;
      }
    }
  }
  if (op + 3 > outLen) return 0;
  while (ip < inLen) {
    lit++;
    out[op++] = input[ip++];
    if (lit === MAX_LIT) {
      out[op - lit - 1] = lit - 1;
      lit = 0;
      op++;
    }
  }
  out[op - lit - 1] = lit - 1;
  if (lit === 0) op--;
  return op;
}

/**
 * Decompresses `input[start, end)` into a new buffer of `outLen` bytes.
 * Returns null when the input is corrupt or does not make exactly `outLen`
 * bytes (Redis's "Invalid LZF compressed string").
 */
export function lzfDecompress(input: Uint8Array, start: number, end: number, outLen: number): Buffer | null {
  const out = Buffer.allocUnsafe(outLen);
  let ip = start;
  let op = 0;
  if (ip >= end) return outLen === 0 ? out : null;
  do {
    let ctrl = input[ip++];
    if (ctrl < 32) {
      ctrl++;
      if (op + ctrl > outLen || ip + ctrl > end) return null;
      for (let k = 0; k < ctrl; k++) out[op++] = input[ip++];
    } else {
      let len = ctrl >>> 5;
      let ref = op - ((ctrl & 0x1f) << 8) - 1;
      if (ip >= end) return null;
      if (len === 7) {
        len += input[ip++];
        if (ip >= end) return null;
      }
      ref -= input[ip++];
      len += 2;
      if (op + len > outLen || ref < 0) return null;
      for (let k = 0; k < len; k++) out[op++] = out[ref++];
    }
  } while (ip < end);
  return op === outLen ? out : null;
}
