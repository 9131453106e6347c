// Numbers as Lua 5.1 on x86-64 Linux (glibc) shows and reads them:
// tostring is printf's "%.14g", string.format follows glibc's printf
// (correct rounding, ties to even on the exact binary value), conversions
// from strings follow strtod (decimal, hex, inf, nan) and strtoul, and
// double -> integer casts behave as the x86 instructions gcc emits.

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** tostring(n) for a number: "%.14g". */
export function numberToString(n: number): string {
  if (Number.isInteger(n) && n < 1e14 && n > -1e14 && (n !== 0 || 1 / n > 0)) return String(n);
  if (!Number.isFinite(n) || n === 0) return formatFloat(n, 'g', 14, '', 0);
  // JS's toPrecision rounds as glibc does except on exact ties, and picks
  // exponential notation by a slightly different rule
  const a = Math.abs(n);
  const s = a.toPrecision(14);
  let mant: string;
  let x: number;
  const ei = s.indexOf('e');
  if (ei >= 0) {
    mant = s.slice(0, ei);
    x = parseInt(s.slice(ei + 1), 10);
  } else {
    mant = s;
    const dot = s.indexOf('.');
    if (s.charCodeAt(0) !== 48) x = (dot < 0 ? s.length : dot) - 1;
    else {
      let i = 2;
      while (s.charCodeAt(i) === 48) i++;
      x = 1 - i;
    }
  }
  if (isExactTie(a, 13 - x)) return formatFloat(n, 'g', 14, '', 0);
  const sign = n < 0 ? '-' : '';
  if (x < -4 || x >= 14) {
    if (ei < 0) {
      // fixed from JS, exponential in C: rebuild the mantissa from the digits
      const digits = mant.replace('.', '').replace(/^0+/, '');
      mant = digits[0] + '.' + digits.slice(1);
    }
    return sign + stripZeros(mant) + expSuffix(x, false);
  }
  return sign + stripZeros(mant);
}

/** Whether the sign bit of a NaN is set (glibc prints "-nan" then). */
function nanIsNegative(n: number): boolean {
  f64[0] = n;
  return u32[1] >>> 31 === 1;
}

/**
 * Exponent and odd mantissa of a positive finite double: n = m * 2^e with m odd.
 */
function oddMantissa(n: number): { m: number; e: number } {
  f64[0] = n;
  const hi = u32[1];
  const lo = u32[0];
  const bexp = (hi >>> 20) & 0x7ff;
  let mhi = hi & 0xfffff;
  let e: number;
  if (bexp === 0) e = -1074;
  else {
    mhi += 0x100000;
    e = bexp - 1075;
  }
  // strip trailing zero bits
  let tz: number;
  if (lo !== 0) tz = 31 - Math.clz32(lo & -lo);
  else if (mhi !== 0) tz = 32 + 31 - Math.clz32(mhi & -mhi);
  else return { m: 0, e };
  const m = (mhi * 4294967296 + lo) / 2 ** tz;
  return { m, e: e + tz };
}

/**
 * True if rounding positive `n` to a multiple of 10^-f (f may be negative) is
 * an exact tie, where JS (ties away from zero) and glibc (ties to even) differ.
 */
function isExactTie(n: number, f: number): boolean {
  const { m, e } = oddMantissa(n);
  if (f >= 0) return e === -(f + 1);
  if (e !== -f - 1) return false;
  return BigInt(m) % 5n ** BigInt(-f) === 0n;
}

/** Decimal exponent of a positive finite double (exact). */
function decimalExponent(n: number): number {
  const s = n.toExponential();
  return parseInt(s.slice(s.indexOf('e') + 1), 10);
}

/** |n| in %e style with `prec` fraction digits, glibc rounding: [digits without point, exponent]. */
function expDigits(n: number, prec: number): [string, number] {
  let s = n.toExponential(prec);
  if (isExactTie(n, prec - decimalExponent(n))) {
    // JS rounded the magnitude up; glibc rounds to even
    const t = n.toExponential(prec + 1);
    const mant = t.slice(0, t.indexOf('e')).replace('.', '');
    const lastKept = mant.charCodeAt(mant.length - 2) - 48;
    if (lastKept % 2 === 0) {
      const kept = mant.slice(0, mant.length - 1);
      s = kept[0] + (kept.length > 1 ? '.' + kept.slice(1) : '') + t.slice(t.indexOf('e'));
    }
  }
  const ei = s.indexOf('e');
  return [s.slice(0, ei).replace('.', ''), parseInt(s.slice(ei + 1), 10)];
}

/** |n| in %f style with `prec` fraction digits, glibc rounding. */
function fixedDigits(n: number, prec: number): string {
  if (n >= 1e21) {
    const int = BigInt(n).toString();
    return prec > 0 ? int + '.' + '0'.repeat(prec) : int;
  }
  let s = n.toFixed(prec);
  if (n !== 0 && isExactTie(n, prec)) {
    const t = n.toFixed(prec + 1);
    const lastKept = t.charCodeAt(t.length - 2 - (prec === 0 ? 1 : 0)) - 48;
    if (lastKept % 2 === 0) {
      s = t.slice(0, t.length - 1);
      if (prec === 0) s = s.slice(0, s.length - 1); // drop the '.'
    }
  }
  return s;
}

function stripZeros(s: string): string {
  if (s.indexOf('.') < 0) return s;
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--;
  if (s.charCodeAt(end - 1) === 46) end--;
  return s.slice(0, end);
}

function expSuffix(e: number, upper: boolean): string {
  const a = Math.abs(e);
  return (upper ? 'E' : 'e') + (e < 0 ? '-' : '+') + (a < 10 ? '0' + a : String(a));
}

/**
 * printf of a double: conv is one of e E f g G; flags a subset of "-+ #0";
 * prec -1 = default (6).
 */
export function formatFloat(n: number, conv: string, prec: number, flags: string, width: number): string {
  const upper = conv === 'E' || conv === 'G';
  let sign = '';
  let body: string;
  const neg = n < 0 || (n === 0 && 1 / n < 0) || (Number.isNaN(n) && nanIsNegative(n));
  if (neg) sign = '-';
  else if (flags.includes('+')) sign = '+';
  else if (flags.includes(' ')) sign = ' ';
  const a = Math.abs(n);
  const alt = flags.includes('#');
  if (!Number.isFinite(a)) {
    body = Number.isNaN(a) ? 'nan' : 'inf';
    if (upper) body = body.toUpperCase();
    return pad(sign + body, width, flags, false);
  }
  if (prec < 0) prec = 6;
  const lc = conv.toLowerCase();
  if (lc === 'f') {
    body = fixedDigits(a, prec);
    if (alt && prec === 0) body += '.';
  } else if (lc === 'e') {
    const [d, e] = a === 0 ? ['0'.repeat(prec + 1), 0] : expDigits(a, prec);
    body = d[0] + (prec > 0 || alt ? '.' : '') + d.slice(1) + expSuffix(e, upper);
  } else {
    const p = prec === 0 ? 1 : prec;
    const x = a === 0 ? 0 : expDigits(a, p - 1)[1];
    if (p > x && x >= -4) {
      body = fixedDigits(a, p - 1 - x);
      if (alt) {
        if (body.indexOf('.') < 0) body += '.';
      } else body = stripZeros(body);
    } else {
      const [d, e] = expDigits(a, p - 1);
      let mant = d[0] + (p - 1 > 0 || alt ? '.' : '') + d.slice(1);
      if (!alt) mant = stripZeros(mant);
      body = mant + expSuffix(e, upper);
    }
  }
  return pad(sign + body, width, flags, true);
}

/** Pads to `width`: left-justified with '-', zero-padded after the sign with '0' when allowed. */
function pad(s: string, width: number, flags: string, zeroOk: boolean): string {
  if (s.length >= width) return s;
  if (flags.includes('-')) return s + ' '.repeat(width - s.length);
  if (zeroOk && flags.includes('0')) {
    let signLen = s.length > 0 && (s[0] === '-' || s[0] === '+' || s[0] === ' ') ? 1 : 0;
    if (s.startsWith('0x', signLen) || s.startsWith('0X', signLen)) signLen += 2;
    return s.slice(0, signLen) + '0'.repeat(width - s.length) + s.slice(signLen);
  }
  return ' '.repeat(width - s.length) + s;
}

const TWO63 = 9223372036854775808;

/** (long)d as x86-64 cvttsd2si: truncation, 0x8000000000000000 when out of range or NaN. */
export function toInt64(d: number): bigint {
  if (!(d > -TWO63 - 1025 && d < TWO63)) return -(1n << 63n);
  const t = Math.trunc(d);
  if (t < -TWO63) return -(1n << 63n);
  return BigInt(t);
}

/** (unsigned long)d as gcc compiles it on x86-64. */
export function toUint64(d: number): bigint {
  if (Number.isNaN(d) || d < TWO63) return BigInt.asUintN(64, toInt64(d));
  const r = toInt64(d - TWO63);
  return BigInt.asUintN(64, r) ^ (1n << 63n);
}

/** (int)d as x86-64 cvttsd2si with a 32-bit destination: INT_MIN when out of range. */
export function toInt32Cast(d: number): number {
  if (!(d > -2147483649 && d < 2147483648)) return -2147483648;
  return Math.trunc(d) | 0;
}

/** luaL_checkint: (int)(ptrdiff_t)d, i.e. the low 32 bits of the 64-bit truncation. */
export function toCInt(d: number): number {
  if (Number.isInteger(d) && d >= -2147483648 && d <= 2147483647) return d;
  return Number(BigInt.asIntN(32, toInt64(d)));
}

/** luaL_checkinteger (ptrdiff_t): the 64-bit truncation, as a JS number. */
export function toCInteger(d: number): number {
  if (Number.isInteger(d) && Math.abs(d) <= Number.MAX_SAFE_INTEGER) return d;
  return Number(toInt64(d));
}

/** printf of an integer conversion (d i o u x X c is handled by the caller) of a double. */
export function formatInt(n: number, conv: string, prec: number, flags: string, width: number): string {
  let digits: string;
  let sign = '';
  let prefix = '';
  if ((conv === 'd' || conv === 'i') && n > -9007199254740992 && n < 9007199254740992) {
    const t = Math.trunc(n);
    if (t < 0) {
      sign = '-';
      digits = String(-t);
    } else {
      digits = String(t);
      if (flags.includes('+')) sign = '+';
      else if (flags.includes(' ')) sign = ' ';
    }
  } else if (conv === 'd' || conv === 'i') {
    const v = toInt64(n);
    if (v < 0n) {
      sign = '-';
      digits = (-v).toString();
    } else {
      digits = v.toString();
      if (flags.includes('+')) sign = '+';
      else if (flags.includes(' ')) sign = ' ';
    }
  } else {
    const v = toUint64(n);
    const base = conv === 'o' ? 8 : conv === 'u' ? 10 : 16;
    digits = v.toString(base);
    if (conv === 'X') digits = digits.toUpperCase();
    if (flags.includes('#')) {
      if (conv === 'o' && digits[0] !== '0') digits = '0' + digits;
      else if ((conv === 'x' || conv === 'X') && v !== 0n) prefix = conv === 'x' ? '0x' : '0X';
    }
  }
  if (prec >= 0) {
    if (prec === 0 && digits === '0' && !(conv === 'o' && flags.includes('#'))) digits = '';
    if (digits.length < prec) digits = '0'.repeat(prec - digits.length) + digits;
  }
  const s = sign + prefix + digits;
  if (s.length >= width) return s;
  if (flags.includes('-')) return s + ' '.repeat(width - s.length);
  if (flags.includes('0') && prec < 0) return sign + prefix + '0'.repeat(width - s.length) + digits;
  return ' '.repeat(width - s.length) + s;
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** strtod: the value and the index where parsing stopped (== start when nothing was parsed). */
export function strtod(s: string, start: number): [number, number] {
  // fast path: an optional '-' and up to 15 digits, not followed by more number syntax
  {
    let j = start;
    const neg = s.charCodeAt(j) === 45;
    if (neg) j++;
    let v = 0;
    const first = j;
    while (j - first < 15) {
      const c = s.charCodeAt(j);
      if (!(c >= 48 && c <= 57)) break;
      v = v * 10 + (c - 48);
      j++;
    }
    const c = s.charCodeAt(j);
    if (j > first && !(c >= 48 && c <= 57) && c !== 46 && c !== 101 && c !== 69 && c !== 120 && c !== 88)
      return [neg ? -v : v, j];
  }
  let i = start;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  let neg = false;
  const signPos = i;
  if (s[i] === '+' || s[i] === '-') {
    neg = s[i] === '-';
    i++;
  }
  const lower3 = s.slice(i, i + 3).toLowerCase();
  if (lower3 === 'inf') {
    i += s.slice(i, i + 8).toLowerCase() === 'infinity' ? 8 : 3;
    return [neg ? -Infinity : Infinity, i];
  }
  if (lower3 === 'nan') {
    i += 3;
    if (s[i] === '(') {
      let j = i + 1;
      while (j < s.length && /[0-9A-Za-z_]/.test(s[j])) j++;
      if (s[j] === ')') i = j + 1;
    }
    return [neg ? -NaN : NaN, i];
  }
  if (s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X')) {
    const r = hexFloat(s, i + 2);
    if (r !== null) return [neg ? -r[0] : r[0], r[1]];
    // "0x" without digits: just the 0
    return [neg ? -0 : 0, i + 1];
  }
  const numStart = i;
  let digits = 0;
  while (isDigit(s.charCodeAt(i))) {
    i++;
    digits++;
  }
  if (s[i] === '.') {
    i++;
    while (isDigit(s.charCodeAt(i))) {
      i++;
      digits++;
    }
  }
  if (digits === 0) return [0, start];
  if (s[i] === 'e' || s[i] === 'E') {
    let j = i + 1;
    if (s[j] === '+' || s[j] === '-') j++;
    if (isDigit(s.charCodeAt(j))) {
      while (isDigit(s.charCodeAt(j))) j++;
      i = j;
    }
  }
  let text = s.slice(numStart, i);
  if (text[0] === '.') text = '0' + text;
  const v = Number(text.endsWith('.') ? text.slice(0, -1) : text.replace('.e', 'e').replace('.E', 'E'));
  void signPos;
  return [neg ? -v : v, i];
}

function hexFloat(s: string, i: number): [number, number] | null {
  let mant = 0n;
  let digits = 0;
  let exp = 0;
  let significant = 0;
  while (hexValue(s.charCodeAt(i)) >= 0) {
    mant = mant * 16n + BigInt(hexValue(s.charCodeAt(i)));
    i++;
    digits++;
    significant++;
  }
  if (s[i] === '.') {
    let j = i + 1;
    let frac = 0;
    while (hexValue(s.charCodeAt(j)) >= 0) {
      mant = mant * 16n + BigInt(hexValue(s.charCodeAt(j)));
      j++;
      frac++;
    }
    if (digits + frac > 0) {
      i = j;
      digits += frac;
      exp -= 4 * frac;
    }
  }
  if (digits === 0) return null;
  void significant;
  if (s[i] === 'p' || s[i] === 'P') {
    let j = i + 1;
    let eneg = false;
    if (s[j] === '+' || s[j] === '-') {
      eneg = s[j] === '-';
      j++;
    }
    if (isDigit(s.charCodeAt(j))) {
      let e = 0;
      while (isDigit(s.charCodeAt(j))) {
        e = Math.min(e * 10 + (s.charCodeAt(j) - 48), 100000);
        j++;
      }
      exp += eneg ? -e : e;
      i = j;
    }
  }
  return [scaleBigInt(mant, exp), i];
}

/** mant * 2^exp rounded to a double. */
function scaleBigInt(mant: bigint, exp: number): number {
  if (mant === 0n) return 0;
  // keep 64 significant bits plus a sticky bit so the final rounding is correct
  const bits = mant.toString(2).length;
  if (bits > 64) {
    const drop = BigInt(bits - 64);
    const sticky = mant & ((1n << drop) - 1n) ? 1n : 0n;
    mant = (mant >> drop) | sticky;
    exp += bits - 64;
  }
  let v = Number(mant);
  // scale in steps to stay within range
  while (exp > 0) {
    const k = Math.min(exp, 1000);
    v *= 2 ** k;
    exp -= k;
  }
  while (exp < 0) {
    const k = Math.min(-exp, 1000);
    v /= 2 ** k;
    exp += k;
  }
  return v;
}

/** luaO_str2d: a whole string as a number (strtod or hex), or undefined. */
export function str2number(s: string): number | undefined {
  const z = s.indexOf('\0');
  if (z >= 0) s = s.slice(0, z);
  const [v, end] = strtod(s, 0);
  if (end === 0) return undefined;
  let i = end;
  let r = v;
  if (s[i] === 'x' || s[i] === 'X') {
    const u = strtoul(s, 16);
    r = u.value;
    i = u.end;
  }
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  return i === s.length ? r : undefined;
}

/** strtoul: value (as unsigned long converted to double) and end index (0 = nothing parsed). */
export function strtoul(s: string, base: number): { value: number; end: number } {
  let i = 0;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') {
    neg = s[i] === '-';
    i++;
  }
  if (base === 16 && s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X') && digitIn(s.charCodeAt(i + 2), 16) >= 0) i += 2;
  const b = BigInt(base);
  let v = 0n;
  const first = i;
  let overflow = false;
  const max = (1n << 64n) - 1n;
  for (;;) {
    const d = digitIn(s.charCodeAt(i), base);
    if (d < 0) break;
    if (!overflow) {
      v = v * b + BigInt(d);
      if (v > max) overflow = true;
    }
    i++;
  }
  if (i === first) return { value: 0, end: 0 };
  if (overflow) v = max;
  else if (neg) v = BigInt.asUintN(64, -v);
  return { value: Number(v), end: i };
}

function digitIn(c: number, base: number): number {
  let d: number;
  if (c >= 48 && c <= 57) d = c - 48;
  else if (c >= 97 && c <= 122) d = c - 87;
  else if (c >= 65 && c <= 90) d = c - 55;
  else return -1;
  return d < base ? d : -1;
}
