// The correctly rounded sin, cos and asin (src/util/crmath.ts) against a
// slow reference in 300-bit fixed point: every result must be the double
// nearest the true value.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { crSin, crCos, crAsin } from '../../src/util/crmath.js';

const BITS = 300n;
const ONE = 1n << BITS;
// pi to 250 digits.
const PI_DIGITS = '31415926535897932384626433832795028841971693993751058209749445923078164062862089986280348253421170679821480865132823066470938446095505822317253594081284811174502841027019385211055596446229489549303819644288109756659334461284756482337867831652712019091';
const PI = (BigInt(PI_DIGITS) << BITS) / 10n ** BigInt(PI_DIGITS.length - 1);

/** A double as a fixed-point BigInt (exact for the doubles used here, |x| >= 2^-250). */
function toFixed(x: number): bigint {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const bexp = (hi >>> 20) & 0x7ff;
  const mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo) | (bexp === 0 ? 0n : 1n << 52n);
  const e = BigInt((bexp === 0 ? 1 : bexp) - 1075);
  const shift = BITS + e;
  const v = shift >= 0n ? mant << shift : mant >> -shift;
  return hi >>> 31 === 1 ? -v : v;
}

/** The double nearest a fixed-point value. */
function toDouble(v: bigint): number {
  // Number() of a BigInt rounds to nearest (ties to even); dividing by 2^300 is then exact.
  return Number(v) / 2 ** 300;
}

function mul(a: bigint, b: bigint): bigint {
  return (a * b) >> BITS;
}

/** sin and cos of a fixed-point value by Taylor series after reduction to [-pi/4, pi/4]. */
function sinCos(x: bigint): [bigint, bigint] {
  const half = PI / 2n;
  let k = (x + half / 2n) / half;
  if (x + half / 2n < 0n && (x + half / 2n) % half !== 0n) k -= 1n;
  const r = x - k * half;
  const r2 = mul(r, r);
  let s = 0n;
  let c = 0n;
  let term = r;
  for (let n = 1n; term !== 0n; n += 2n) {
    s += term;
    term = -mul(term, r2) / ((n + 1n) * (n + 2n));
  }
  term = ONE;
  for (let n = 0n; term !== 0n; n += 2n) {
    c += term;
    term = -mul(term, r2) / ((n + 1n) * (n + 2n));
  }
  switch (Number(((k % 4n) + 4n) % 4n)) {
    case 0:
      return [s, c];
    case 1:
      return [c, -s];
    case 2:
      return [-s, -c];
    default:
      return [-c, s];
  }
}

function refSin(x: number): number {
  return toDouble(sinCos(toFixed(x))[0]);
}

function refCos(x: number): number {
  return toDouble(sinCos(toFixed(x))[1]);
}

/** asin by Newton's method on the fixed-point sine, from Math.asin. */
function refAsin(x: number): number {
  const target = toFixed(x);
  let y = toFixed(Math.asin(x));
  for (let i = 0; i < 4; i++) {
    const [s, c] = sinCos(y);
    if (c === 0n) break;
    y -= ((s - target) << BITS) / c;
  }
  return toDouble(y);
}

test('sin and cos are correctly rounded', () => {
  for (const x of [0.5, 1, 1.5, 2, 3, Math.PI / 4, Math.PI / 2, Math.PI, -0.7853981633974483, 76.3 * (Math.PI / 180), 1e-9, -2.5, 1e5, 1.5e6]) {
    assert.equal(crSin(x), refSin(x), `sin ${x}`);
    assert.equal(crCos(x), refCos(x), `cos ${x}`);
  }
  assert.ok(Object.is(crSin(-0), -0));
  assert.equal(crCos(0), 1);
  fc.assert(
    fc.property(fc.double({ min: -4, max: 4, noNaN: true }), (x) => {
      if (Math.abs(x) < 1e-70) return;
      assert.equal(crSin(x), refSin(x), `sin ${x}`);
      assert.equal(crCos(x), refCos(x), `cos ${x}`);
    }),
    { numRuns: 1500 },
  );
});

test('asin is correctly rounded, up to 1', () => {
  for (const x of [0.5, 0.25, 1, 0.9999999999999999, 0.99999, 1e-8, 0.7071067811865476]) assert.equal(crAsin(x), refAsin(x), `asin ${x}`);
  assert.equal(crAsin(1), Math.PI / 2);
  assert.equal(crAsin(0), 0);
  assert.ok(Number.isNaN(crAsin(1.0000000000000002)));
  assert.equal(crAsin(-0.3), -crAsin(0.3));
  fc.assert(
    fc.property(fc.double({ min: 1e-60, max: 1, noNaN: true }), (x) => {
      assert.equal(crAsin(x), refAsin(x), `asin ${x}`);
    }),
    { numRuns: 1500 },
  );
  // Near 1 (distances near the antipodes).
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 2 ** 40 }), (k) => {
      const x = 1 - k * 2 ** -53;
      assert.equal(crAsin(x), refAsin(x), `asin ${x}`);
    }),
    { numRuns: 500 },
  );
});
