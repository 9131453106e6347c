// x87 80-bit "long double" arithmetic, exact, for INCRBYFLOAT and HINCRBYFLOAT.
//
// Redis computes those increments in long double (64-bit significand) and
// stores the result as text: strtold() on both operands, one addition, then
// ld2string(LD_STR_HUMAN) = printf("%.17Lf") with the trailing zeros trimmed.
// The stored text is parsed again by the next increment, so emulating the
// three steps exactly (correct rounding to nearest-even at each one) gives
// byte-identical results: 0.1 + 0.2 prints 0.3, 1e300 prints all its digits,
// 1e400 is valid. JavaScript has no long double, so values are kept as
// sign * mant * 2^exp with a BigInt significand of at most 64 bits. This is
// the slow path by design; integer-only increments take a number fast path
// in incrByFloatText().

/** A finite long double: (-1)^neg * mant * 2^exp, mant < 2^64 (0n for zero). */
export interface LongDouble {
  neg: boolean;
  mant: bigint;
  exp: number;
}

/** Exponent of the least significant bit of the smallest subnormal (2^-16445). */
const MIN_EXP = -16445;
/** Values with bitlen(mant) + exp > MAX_BITS overflow (largest finite < 2^16384). */
const MAX_BITS = 16384;
/** MAX_LONG_DOUBLE_CHARS: string2ld rejects inputs of this length or more. */
export const MAX_LONG_DOUBLE_CHARS = 5 * 1024;

/** Result of parsing or of an operation that left the finite range. */
export const LD_INF = 1;
export const LD_NAN = 2;
export type LdResult = LongDouble | typeof LD_INF | typeof LD_NAN;

function bitLength(n: bigint): number {
  if (n === 0n) return 0;
  // toString(16) is fast for BigInt; the top digit gives the remaining bits.
  const h = n.toString(16);
  const top = parseInt(h[0], 16);
  return (h.length - 1) * 4 + (32 - Math.clz32(top));
}

const pow10Cache: bigint[] = [];
function pow10(n: number): bigint {
  if (n < 64) {
    let v = pow10Cache[n];
    if (v === undefined) v = pow10Cache[n] = 10n ** BigInt(n);
    return v;
  }
  return 10n ** BigInt(n);
}

/**
 * Rounds (q + f) * 2^exp to a long double, where 0 <= f < 1 and `sticky` says
 * f > 0 beyond the bits of q. Round to nearest, ties to even; subnormals and
 * overflow to infinity as the x87 does. Returns LD_INF on overflow.
 */
function roundToLd(neg: boolean, q: bigint, exp: number, sticky: boolean): LongDouble | typeof LD_INF {
  if (q === 0n) return { neg, mant: 0n, exp: 0 };
  const bl = bitLength(q);
  let shift = bl - 64;
  if (exp + shift < MIN_EXP) shift = MIN_EXP - exp;
  if (shift > 0) {
    const sh = BigInt(shift);
    const drop = q & ((1n << sh) - 1n);
    q >>= sh;
    exp += shift;
    const half = 1n << (sh - 1n);
    if (drop > half || (drop === half && (sticky || (q & 1n) === 1n))) {
      q += 1n;
      if (q === 1n << 64n) {
        q = 1n << 63n;
        exp += 1;
      }
    }
  }
  // shift <= 0 with sticky bits cannot happen: callers pass >= 66 bits or exact values.
  if (q === 0n) return { neg, mant: 0n, exp: 0 };
  if (bitLength(q) + exp > MAX_BITS) return LD_INF;
  return { neg, mant: q, exp };
}

/** Rounds the positive rational num/den to a long double. */
function roundRational(neg: boolean, num: bigint, den: bigint): LongDouble | typeof LD_INF {
  if (num === 0n) return { neg, mant: 0n, exp: 0 };
  // Scale so the quotient has at least 66 bits.
  const s = 66 - (bitLength(num) - bitLength(den));
  let q: bigint;
  let r: bigint;
  if (s >= 0) {
    const n2 = num << BigInt(s);
    q = n2 / den;
    r = n2 - q * den;
  } else {
    const d2 = den << BigInt(-s);
    q = num / d2;
    r = num - q * d2;
  }
  return roundToLd(neg, q, -s, r !== 0n);
}

const DEC_RE = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const HEX_RE = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/;

/**
 * Redis's string2ld(): strtold() over the whole string. Returns null when Redis
 * rejects the text (empty, too long, leading space, trailing garbage, NaN,
 * overflow to ±inf, or underflow to zero); "inf"/"infinity" give LD_INF.
 */
export function parseLongDouble(s: string): LdResult | null {
  const n = s.length;
  if (n === 0 || n >= MAX_LONG_DOUBLE_CHARS) return null;
  const c0 = s.charCodeAt(0);
  if (c0 === 32 || (c0 >= 9 && c0 <= 13)) return null;
  let m = DEC_RE.exec(s);
  if (m !== null) {
    const intDigits = m[2];
    const fracDigits = m[3] ?? '';
    if (intDigits.length === 0 && fracDigits.length === 0) return null;
    return decimalToLd(m[1] === '-', intDigits + fracDigits, m[4] === undefined ? -fracDigits.length : parseExp(m[4]) - fracDigits.length);
  }
  m = HEX_RE.exec(s);
  if (m !== null) {
    const intDigits = m[2];
    const fracDigits = m[3] ?? '';
    if (intDigits.length === 0 && fracDigits.length === 0) return null;
    const digits = (intDigits + fracDigits).replace(/^0+/, '');
    const neg = m[1] === '-';
    if (digits.length === 0) return { neg, mant: 0n, exp: 0 };
    const e2 = (m[4] === undefined ? 0 : parseExp(m[4])) - 4 * fracDigits.length;
    if (e2 + digits.length * 4 > MAX_BITS + 8) return null; // overflow
    if (e2 + digits.length * 4 < MIN_EXP - 8) return null; // underflow to zero
    const r = roundToLd(neg, BigInt('0x' + digits), e2, false);
    if (r === LD_INF || r.mant === 0n) return null;
    return r;
  }
  let body = s;
  if (c0 === 43 || c0 === 45) body = s.slice(1);
  const low = body.toLowerCase();
  // The sign of an infinity is not kept: any infinite operand makes the
  // increment fail ("increment would produce NaN or Infinity").
  if (low === 'inf' || low === 'infinity') return LD_INF;
  return null; // nan, nan(...) and everything else
}

/** Clamps a decimal exponent string to a safe integer range. */
function parseExp(e: string): number {
  const v = parseInt(e, 10);
  if (v > 1e8) return 1e8;
  if (v < -1e8) return -1e8;
  return v;
}

/** digits * 10^e10 rounded to a long double; null on overflow or underflow to zero. */
function decimalToLd(neg: boolean, digits: string, e10: number): LongDouble | null {
  let i = 0;
  while (i < digits.length && digits.charCodeAt(i) === 48) i++;
  if (i === digits.length) return { neg, mant: 0n, exp: 0 };
  let j = digits.length;
  while (digits.charCodeAt(j - 1) === 48) {
    j--;
    e10++;
  }
  const sig = digits.slice(i, j);
  const mag = sig.length + e10; // value < 10^mag
  if (mag > 4934) return null; // >= 10^4933 > LDBL_MAX
  if (mag < -4952) return null; // < 10^-4952: rounds to zero
  const d = BigInt(sig);
  let r: LongDouble | typeof LD_INF;
  if (e10 >= 0) r = roundToLd(neg, d * pow10(e10), 0, false);
  else r = roundRational(neg, d, pow10(-e10));
  if (r === LD_INF || r.mant === 0n) return null;
  return r;
}

/** The long double equal to a JS number (exact: doubles are a subset). */
export function ldFromNumber(d: number): LdResult {
  if (Number.isNaN(d)) return LD_NAN;
  if (!Number.isFinite(d)) return LD_INF;
  const neg = d < 0 || Object.is(d, -0);
  const a = Math.abs(d);
  if (a === 0) return { neg, mant: 0n, exp: 0 };
  if (Number.isSafeInteger(a)) return { neg, mant: BigInt(a), exp: 0 };
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, a);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const bexp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (bexp === 0) exp = -1074;
  else {
    mant |= 1n << 52n;
    exp = bexp - 1075;
  }
  return { neg, mant, exp };
}

/** The long double equal to a 64-bit integer. */
export function ldFromInt(v: number | bigint): LongDouble {
  const b = BigInt(v);
  return b < 0n ? { neg: true, mant: -b, exp: 0 } : { neg: false, mant: b, exp: 0 };
}

/** a + b rounded to long double; LD_INF on overflow, LD_NAN for inf - inf. */
export function ldAdd(a: LdResult, b: LdResult): LdResult {
  if (a === LD_NAN || b === LD_NAN) return LD_NAN;
  if (a === LD_INF || b === LD_INF) {
    // Only finite + inf is reachable with sign information lost; inf - inf is
    // NaN, both are errors for INCRBYFLOAT.
    return LD_INF;
  }
  if (a.mant === 0n) return b.mant === 0n ? { neg: a.neg && b.neg, mant: 0n, exp: 0 } : b;
  if (b.mant === 0n) return a;
  const e = Math.min(a.exp, b.exp);
  const am = a.mant << BigInt(a.exp - e);
  const bm = b.mant << BigInt(b.exp - e);
  let sum = (a.neg ? -am : am) + (b.neg ? -bm : bm);
  if (sum === 0n) return { neg: false, mant: 0n, exp: 0 };
  const neg = sum < 0n;
  if (neg) sum = -sum;
  return roundToLd(neg, sum, e, false);
}

/**
 * printf("%.17Lf") followed by Redis's LD_STR_HUMAN trimming: trailing zeros
 * after the point removed, then the point itself, and "-0" becomes "0".
 * Rounding is to nearest with ties to even, like glibc.
 */
export function ldToHuman(x: LongDouble): string {
  let n: bigint;
  const scaled = x.mant * pow10(17);
  if (x.exp >= 0) n = scaled << BigInt(x.exp);
  else {
    const sh = BigInt(-x.exp);
    n = scaled >> sh;
    const rem = scaled - (n << sh);
    const half = 1n << (sh - 1n);
    if (rem > half || (rem === half && (n & 1n) === 1n)) n += 1n;
  }
  let digits = n.toString();
  if (digits.length < 18) digits = '0'.repeat(18 - digits.length) + digits;
  const intPart = digits.slice(0, digits.length - 17);
  let frac = digits.slice(digits.length - 17);
  let end = frac.length;
  while (end > 0 && frac.charCodeAt(end - 1) === 48) end--;
  frac = frac.slice(0, end);
  let out = frac.length > 0 ? intPart + '.' + frac : intPart;
  if (x.neg) out = '-' + out;
  if (out === '-0') out = '0';
  return out;
}

/** The outcome of an INCRBYFLOAT-style increment. */
export const INCR_BAD_VALUE = 1; // the current value is not a valid float
export const INCR_BAD_INCR = 2; // the increment is not a valid float
export const INCR_NAN_INF = 3; // the result would be NaN or infinite

/**
 * current + incr the way INCRBYFLOAT/HINCRBYFLOAT compute it: both parsed
 * with string2ld (current may be an int64 held as a number), summed in long
 * double, printed with LD_STR_HUMAN. Returns the new text or an INCR_* code.
 */
export function incrByFloatText(current: string | number | null, incr: string): string | number {
  // Fast path: integers whose sum stays a safe integer are exact in both.
  const cn = current === null ? 0 : typeof current === 'number' ? current : simpleInt(current);
  if (cn !== null) {
    const inc = simpleInt(incr);
    if (inc !== null) {
      const sum = cn + inc;
      if (Number.isSafeInteger(sum)) return sum === 0 ? '0' : String(sum);
    }
  }
  let a: LdResult | null;
  if (current === null) a = { neg: false, mant: 0n, exp: 0 };
  else if (typeof current === 'number') a = ldFromInt(current);
  else a = parseLongDouble(current);
  if (a === null) return INCR_BAD_VALUE;
  const b = parseLongDouble(incr);
  if (b === null) return INCR_BAD_INCR;
  const r = ldAdd(a, b);
  if (r === LD_INF || r === LD_NAN) return INCR_NAN_INF;
  return ldToHuman(r);
}

/** A plain decimal integer of up to 15 digits (exact as a number), else null. */
function simpleInt(s: string): number | null {
  const n = s.length;
  if (n === 0 || n > 16) return null;
  let i = s.charCodeAt(0) === 45 || s.charCodeAt(0) === 43 ? 1 : 0;
  if (i === n || n - i > 15) return null;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  return +s;
}
