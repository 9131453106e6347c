// Correctly rounded sin, cos and asin, for geo distances that match Redis's.
//
// Redis computes distances with glibc's libm, V8 with its port of fdlibm.
// Both are accurate to about one unit in the last place, yet they disagree
// in the last bit on a few percent of arguments, and a distance stored with
// STOREDIST shows every bit. glibc's results are the correctly rounded ones
// for all but about 0.15% of arguments, so these functions return the
// correctly rounded double: the value is evaluated in double-double
// arithmetic (a pair hi + lo, about 2^-80 relative here), then rounded once.
// A result is wrong only when the true value lies within that error of a
// midpoint between two doubles (a chance of about 2^-28 per call).
//
// Arguments of sin/cos beyond 2^20 * pi/2 (only absurd search radii reach
// them) fall back to Math.sin/Math.cos.

const SPLIT = 134217729; // 2^27 + 1: Dekker's split of a double into two 26-bit halves

// The results of the double-double helpers: hi in DD[0], lo in DD[1] (a typed
// array keeps them unboxed, where module variables would allocate a number per write).
const DD = new Float64Array(2);

/** a * b exactly, as hi + lo (Dekker's product, no fused multiply-add in JS). */
function twoProd(a: number, b: number): void {
  const p = a * b;
  let c = SPLIT * a;
  const ah = c - (c - a);
  const al = a - ah;
  c = SPLIT * b;
  const bh = c - (c - b);
  const bl = b - bh;
  DD[0] = p;
  DD[1] = ah * bh - p + ah * bl + al * bh + al * bl;
}

/** (ph + pl) * (zh + zl) + (ch + cl), as a normalized DD[0] + DD[1]. */
function mulAdd(ph: number, pl: number, zh: number, zl: number, ch: number, cl: number): void {
  twoProd(ph, zh);
  const m = DD[0];
  const e = DD[1] + (ph * zl + pl * zh);
  const s = m + ch;
  const bb = s - m;
  const err = m - (s - bb) + (ch - bb) + (e + cl);
  DD[0] = s + err;
  DD[1] = err - (DD[0] - s);
}

/** A constant as a double-double pair [hi, lo], from an exact fraction num / den (|value| > 2^-140). */
function ddFraction(num: bigint, den: bigint): [number, number] {
  const neg = num < 0n !== den < 0n;
  const n = (num < 0n ? -num : num) << 200n;
  const q = n / (den < 0n ? -den : den); // value * 2^200, truncated far below lo's last bit
  const qh = Number(q); // rounded to 53 bits: an integer-valued double
  const hi = qh / 2 ** 200;
  const lo = Number(q - BigInt(qh)) / 2 ** 200;
  return neg ? [-hi, -lo] : [hi, lo];
}

function factorial(n: number): bigint {
  let f = 1n;
  for (let i = 2n; i <= BigInt(n); i++) f *= i;
  return f;
}

/** (-1)^k / n! as a double-double. */
function taylor(n: number): [number, number] {
  return ddFraction((n >> 1) % 2 === 0 ? 1n : -1n, factorial(n));
}

/** (-1)^k / n! as a double (the small tail terms). */
function taylorD(n: number): number {
  return taylor(n)[0];
}

// Digits of pi (the mathematical constant), for pi/2 to 200 bits.
const PI_DIGITS = '31415926535897932384626433832795028841971693993751058209749445923078164062862089986280348253421170679821480865132823066470938446095505822317253594081284811174502841027019385211055596446229489549303819644288109756659334461284756482337867831652712019091';
const PIO2_FIXED = (BigInt(PI_DIGITS) << 199n) / 10n ** BigInt(PI_DIGITS.length - 1); // pi/2 * 2^200, 201 bits
/** pi/2 in three parts: 33 bits, 33 bits, 53 bits (k * part is exact for |k| < 2^20). */
const PIO2_1 = Number(PIO2_FIXED >> 168n) / 2 ** 32;
const PIO2_2 = Number((PIO2_FIXED >> 135n) & ((1n << 33n) - 1n)) / 2 ** 65;
const PIO2_3 = Number((PIO2_FIXED >> 82n) & ((1n << 53n) - 1n)) / 2 ** 118;
const [PIO2_HI, PIO2_LO] = ddFraction(PIO2_FIXED, 1n << 200n);
const TWO_OVER_PI = 2 / Math.PI;

// sin r = r + r z (S3 + z (S5 + z (S7 + z (S9 + z T)))), z = r^2, T in doubles.
const [S3H, S3L] = taylor(3);
const [S5H, S5L] = taylor(5);
const [S7H, S7L] = taylor(7);
const [S9H, S9L] = taylor(9);
const S11 = taylorD(11);
const S13 = taylorD(13);
const S15 = taylorD(15);
const S17 = taylorD(17);
const S19 = taylorD(19);
const S21 = taylorD(21);
const S23 = taylorD(23);
const S25 = taylorD(25);
// cos r = 1 + z (C2 + z (C4 + z (C6 + z (C8 + z (C10 + z T))))).
const [C2H, C2L] = taylor(2);
const [C4H, C4L] = taylor(4);
const [C6H, C6L] = taylor(6);
const [C8H, C8L] = taylor(8);
const [C10H, C10L] = taylor(10);
const C12 = taylorD(12);
const C14 = taylorD(14);
const C16 = taylorD(16);
const C18 = taylorD(18);
const C20 = taylorD(20);
const C22 = taylorD(22);
const C24 = taylorD(24);
const C26 = taylorD(26);

/** sin r for |r| <= pi/4 + a little, as hi + lo. */
function sinKernel(r: number): void {
  twoProd(r, r);
  const zh = DD[0];
  const zl = DD[1];
  const t = S11 + zh * (S13 + zh * (S15 + zh * (S17 + zh * (S19 + zh * (S21 + zh * (S23 + zh * S25))))));
  mulAdd(t, 0, zh, zl, S9H, S9L);
  mulAdd(DD[0], DD[1], zh, zl, S7H, S7L);
  mulAdd(DD[0], DD[1], zh, zl, S5H, S5L);
  mulAdd(DD[0], DD[1], zh, zl, S3H, S3L);
  // r z p, then + r.
  mulAdd(DD[0], DD[1], zh, zl, 0, 0);
  mulAdd(DD[0], DD[1], r, 0, r, 0);
}

/** cos r for |r| <= pi/4 + a little, as hi + lo. */
function cosKernel(r: number): void {
  twoProd(r, r);
  const zh = DD[0];
  const zl = DD[1];
  const t = C12 + zh * (C14 + zh * (C16 + zh * (C18 + zh * (C20 + zh * (C22 + zh * (C24 + zh * C26))))));
  mulAdd(t, 0, zh, zl, C10H, C10L);
  mulAdd(DD[0], DD[1], zh, zl, C8H, C8L);
  mulAdd(DD[0], DD[1], zh, zl, C6H, C6L);
  mulAdd(DD[0], DD[1], zh, zl, C4H, C4L);
  mulAdd(DD[0], DD[1], zh, zl, C2H, C2L);
  mulAdd(DD[0], DD[1], zh, zl, 1, 0);
}

/**
 * sin (cos when `cosine`) of x as hi + lo: x reduced by k * pi/2 to r in
 * double-double, then the kernel at r's high part with r's low part as a
 * first-order correction.
 */
function sinCosDD(x: number, cosine: boolean): void {
  let k = 0;
  let r = x;
  let rLow = 0;
  if (!(Math.abs(x) <= 0.7853981633974483)) {
    k = Math.round(x * TWO_OVER_PI);
    // Cody-Waite: x - k p1 and k p2 are exact; their sum and k p3 are added with their errors.
    const a = x - k * PIO2_1;
    const b = -k * PIO2_2;
    const s = a + b;
    const bb = s - a;
    const e = a - (s - bb) + (b - bb) - k * PIO2_3;
    r = s + e;
    rLow = e - (r - s);
  }
  let q = k & 3;
  if (cosine) q = (q + 1) & 3;
  // sin(r + rLow) = sin r + rLow cos r; cos(r + rLow) = cos r - rLow sin r.
  if ((q & 1) === 0) {
    sinKernel(r);
    const h = DD[0];
    const l = DD[1] + rLow * Math.cos(r);
    DD[0] = h + l;
    DD[1] = l - (DD[0] - h);
  } else {
    cosKernel(r);
    const h = DD[0];
    const l = DD[1] - rLow * Math.sin(r);
    DD[0] = h + l;
    DD[1] = l - (DD[0] - h);
  }
  if (q >= 2) {
    DD[0] = -DD[0];
    DD[1] = -DD[1];
  }
}

/** Beyond this, k * PIO2_1 is no longer exact (|k| >= 2^20). */
const REDUCE_LIMIT = 1.6e6;

/** Correctly rounded sin(x). */
export function crSin(x: number): number {
  if (!(Math.abs(x) < REDUCE_LIMIT)) return Math.sin(x);
  if (x === 0) return x;
  sinCosDD(x, false);
  return DD[0];
}

/** Correctly rounded cos(x). */
export function crCos(x: number): number {
  if (!(Math.abs(x) < REDUCE_LIMIT)) return Math.cos(x);
  sinCosDD(x, true);
  return DD[0];
}

/** asin(w) for 0 <= w <= 0.5 + (the low part wl of the argument), as hi + lo: one Newton step from Math.asin. */
function asinSmall(w: number, wl: number): void {
  const y0 = Math.asin(w);
  sinKernel(y0);
  // sin(y0) - (w + wl): the high parts are close, so their difference is exact.
  const d = DD[0] - w + (DD[1] - wl);
  const corr = -d / Math.cos(y0);
  DD[0] = y0 + corr;
  DD[1] = corr - (DD[0] - y0);
}

/** Correctly rounded asin(x). */
export function crAsin(x: number): number {
  if (Number.isNaN(x) || x > 1 || x < -1) return NaN;
  const a = Math.abs(x);
  if (a <= 0.5) {
    if (a === 0) return x;
    asinSmall(a, 0);
    return x < 0 ? -DD[0] : DD[0];
  }
  // asin a = pi/2 - 2 asin(sqrt((1 - a) / 2)), whose argument is at most 0.5.
  const t = (1 - a) * 0.5; // exact
  const wh = Math.sqrt(t);
  twoProd(wh, wh);
  const wl = (t - DD[0] - DD[1]) / (2 * wh || 1);
  asinSmall(wh, wl);
  const yh = 2 * DD[0];
  const yl = 2 * DD[1];
  const s = PIO2_HI - yh;
  const bb = s - PIO2_HI;
  const e = PIO2_HI - (s - bb) + (-yh - bb) + (PIO2_LO - yl);
  const v = s + e;
  return x < 0 ? -v : v;
}
