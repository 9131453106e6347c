// Number parsing and formatting with Redis's exact rules.

import { ldFromNumber, ldToHuman, type LongDouble } from './longdouble.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Redis's string2ll: a canonical signed 64-bit decimal ("-0", "+1", "01", " 1" are
 * rejected). Returns a number when it is a safe integer, a bigint otherwise, or
 * null when the string is not such an integer.
 */
export function parseInt64(s: string): number | bigint | null {
  const n = s.length;
  if (n === 0 || n > 20) return null;
  let i = 0;
  const neg = s.charCodeAt(0) === 45;
  if (neg) {
    i = 1;
    if (n === 1) return null;
  }
  const first = s.charCodeAt(i);
  if (first === 48) return n === 1 ? 0 : null; // "0" only; no leading zeros, no "-0"
  if (first < 49 || first > 57) return null;
  for (let j = i + 1; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) return null;
  }
  if (n - i <= 15) {
    const v = +s;
    return v;
  }
  const b = BigInt(s);
  if (b < INT64_MIN || b > INT64_MAX) return null;
  if (b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(b);
  return b;
}

/** True if the bigint fits in a signed 64-bit integer. */
export function inInt64(b: bigint): boolean {
  return b >= INT64_MIN && b <= INT64_MAX;
}

export { INT64_MIN, INT64_MAX };

/**
 * Redis's strtod-based double parsing (getDoubleFromObject / string2d): the whole
 * string must be a number, no surrounding spaces, "inf"/"-inf"/"+inf" and
 * "infinity" accepted, NaN rejected. Returns null on failure.
 */
export function parseDouble(s: string): number | null {
  const n = s.length;
  if (n === 0 || n > 5000) return null;
  const c0 = s.charCodeAt(0);
  const cl = s.charCodeAt(n - 1);
  if (isSpaceCode(c0) || isSpaceCode(cl)) return null;
  const v = strtod(s);
  if (v === null || Number.isNaN(v)) return null;
  // strtod's ERANGE: an overflow to ±inf or an underflow to zero is rejected;
  // only the literal inf/infinity spellings give an infinite value.
  if ((v === Infinity || v === -Infinity) && !/^[+-]?inf(inity)?$/i.test(s)) return null;
  if (v === 0 && /[1-9]/.test(s.replace(/[eEpP].*$/, '').replace(/^[+-]?0[xX]/, ''))) return null;
  return v;
}

function isSpaceCode(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

const DEC_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const HEX_RE = /^[+-]?0[xX]([0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)([pP][+-]?\d+)?$/;

/** A C strtod over the whole string; null unless every character is consumed. */
export function strtod(s: string): number | null {
  if (DEC_RE.test(s)) return Number(s.replace(/^\+/, '').replace(/^(-?)\./, '$10.'));
  const lower = s.toLowerCase();
  const body = lower[0] === '+' || lower[0] === '-' ? lower.slice(1) : lower;
  const sign = lower[0] === '-' ? -1 : 1;
  if (body === 'inf' || body === 'infinity') return sign * Infinity;
  if (body === 'nan') return NaN;
  if (HEX_RE.test(s)) {
    const m = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)(?:[pP]([+-]?\d+))?$/.exec(s)!;
    const intPart = m[2] || '0';
    const frac = m[3] || '';
    let v = parseInt(intPart + frac || '0', 16) / Math.pow(16, frac.length);
    if (m[4]) v *= Math.pow(2, parseInt(m[4], 10));
    return m[1] === '-' ? -v : v;
  }
  return null;
}

/**
 * Redis 7.2's double formatting (d2string with fpconv_dtoa): integers in the
 * long long range print as integers; otherwise the shortest round-trip digits,
 * written plainly or in exponent form (`1e-7`, `1e+300`, `1.2345671234567e+6`)
 * by fpconv's rules.
 */
export function formatDouble(d: number): string {
  // Zero is left to fpconvDtoa, which keeps the sign of -0.
  if (d !== 0 && Number.isInteger(d) && d > -4611686018427387903 && d < 4611686018427387903) {
    // double2ll range is ±LLONG_MAX/2; BigInt prints the exact integer value.
    return Number.isSafeInteger(d) ? String(d) : BigInt(d).toString();
  }
  return fpconvDtoa(d);
}

/**
 * fpconv_dtoa(): the shortest digits that read back as the same double, in
 * plain or exponent notation by fpconv's rule (no integer fast path: DEBUG
 * DIGEST-VALUE and the listpack digests use it as is).
 */
export function fpconvDtoa(d: number): string {
  if (Number.isNaN(d)) return 'nan';
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  const neg = d < 0;
  const e = Math.abs(d).toExponential();
  const ePos = e.indexOf('e');
  const mant = e.slice(0, ePos);
  const exp10 = parseInt(e.slice(ePos + 1), 10);
  const digits = mant.length > 1 ? mant[0] + mant.slice(2) : mant;
  const nd = digits.length;
  const K = exp10 - (nd - 1);
  let out: string;
  const absExp = Math.abs(K + nd - 1);
  if (K >= 0 && absExp < nd + 7) {
    out = digits + '0'.repeat(K);
  } else if (K < 0 && (K > -7 || absExp < 4)) {
    const offset = nd + K;
    if (offset <= 0) out = '0.' + '0'.repeat(-offset) + digits;
    else out = digits.slice(0, offset) + '.' + digits.slice(offset);
  } else {
    out = digits[0] + (nd > 1 ? '.' + digits.slice(1) : '') + 'e' + (K + nd - 1 < 0 ? '-' : '+') + absExp;
  }
  return neg ? '-' + out : out;
}

/**
 * Formatting of long doubles as INCRBYFLOAT/HINCRBYFLOAT reply them: Redis's
 * ld2string(LD_STR_HUMAN), i.e. `%.17Lf` (17 digits after the point, never an
 * exponent, rounding ties to even) with the trailing zeros and point trimmed
 * and "-0" printed as "0". The argument is a double, converted exactly, so
 * 1e300 prints all the digits of the double nearest 1e300. To reproduce
 * Redis's long double *arithmetic* (0.1 + 0.2 -> 0.3), use incrByFloatText
 * (src/protocol/longdouble.ts), which parses, adds and prints in emulated
 * 80-bit precision.
 */
export function formatLongDouble(d: number): string {
  if (Number.isNaN(d)) return 'nan';
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (Number.isSafeInteger(d)) return d === 0 ? '0' : String(d);
  return ldToHuman(ldFromNumber(d) as LongDouble);
}

export { incrByFloatText, INCR_BAD_VALUE, INCR_BAD_INCR, INCR_NAN_INF } from './longdouble.js';
