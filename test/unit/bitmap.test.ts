// Bit algorithms (src/types/bitmap.ts) against bit-by-bit models: popcount
// and bitpos at every alignment, fields of 1..64 bits at any offset, and
// BITFIELD's overflow arithmetic against Redis's documented results.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  popcount,
  bitpos,
  getField,
  setField,
  checkSignedOverflow,
  checkUnsignedOverflow,
  overflowLimit,
  Overflow,
} from '../../src/types/bitmap.js';

const bitOf = (b: Uint8Array, i: number) => (b[i >> 3] >> (7 - (i & 7))) & 1;

test('popcount of long all-ones and patterned runs (every byte lane at its maximum, several word groups)', () => {
  for (const len of [123, 124, 125, 4096, 100003]) {
    assert.equal(popcount(new Uint8Array(len).fill(0xff), 0, len), len * 8);
    const b = new Uint8Array(len).map((_, i) => (i * 7919) & 255);
    let n = 0;
    for (const x of b) for (let v = x; v; v >>= 1) n += v & 1;
    assert.equal(popcount(b, 0, len), n);
  }
});

test('popcount of any range of any alignment equals counting bit by bit', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(8), fc.nat(), fc.nat(), (data, shift, x, y) => {
      // Copy at an offset inside a bigger buffer, so word alignment varies.
      const backing = new Uint8Array(data.length + 8);
      backing.set(data, shift);
      const b = backing.subarray(shift, shift + data.length);
      const start = data.length === 0 ? 0 : x % (data.length + 1);
      const end = start + (data.length === 0 ? 0 : y % (data.length - start + 1));
      let n = 0;
      for (let i = start * 8; i < end * 8; i++) n += bitOf(b, i);
      assert.equal(popcount(b, start, end), n);
    }),
  );
});

test('bitpos finds the first bit, or -1 / count * 8 when there is none', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(0, 255, 0, 255, 1, 128, 0x7f, 0xfe)), fc.constantFrom(0, 1), (arr, bit) => {
      const b = Uint8Array.from(arr);
      let want = -1;
      for (let i = 0; i < b.length * 8; i++) {
        if (bitOf(b, i) === bit) {
          want = i;
          break;
        }
      }
      if (want < 0 && bit === 0) want = b.length * 8;
      assert.equal(bitpos(b, 0, b.length, bit), want);
    }),
  );
});

test('fields of 1..64 bits read and write exactly the bits they cover', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 10, maxLength: 20 }), fc.integer({ min: 1, max: 64 }), fc.nat(), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (data, bits, o, v) => {
      const off = o % (data.length * 8 - bits + 1);
      const b = Uint8Array.from(data);
      let want = 0n;
      for (let i = 0; i < bits; i++) want = (want << 1n) | BigInt(bitOf(b, off + i));
      assert.equal(getField((i) => b[i], b.length, off, bits), want);
      setField(b, off, bits, v);
      const low = BigInt.asUintN(bits, v);
      assert.equal(getField((i) => b[i], b.length, off, bits), low);
      for (let i = 0; i < data.length * 8; i++) {
        if (i < off || i >= off + bits) assert.equal(bitOf(b, i), bitOf(data, i), `bit ${i} outside the field changed`);
      }
    }),
  );
  // Bytes past the value read as zeros.
  const b = Uint8Array.from([0xff]);
  assert.equal(getField((i) => b[i], 1, 4, 8), 0xf0n);
});

test('overflow checks: WRAP, SAT and FAIL as Redis computes them', () => {
  // u8: 250 + 10
  assert.equal(checkUnsignedOverflow(250n, 10n, 8, Overflow.Wrap), 1);
  assert.equal(overflowLimit, 4n);
  assert.equal(checkUnsignedOverflow(250n, 10n, 8, Overflow.Sat), 1);
  assert.equal(overflowLimit, 255n);
  assert.equal(checkUnsignedOverflow(5n, -10n, 8, Overflow.Sat), -1);
  assert.equal(overflowLimit, 0n);
  assert.equal(checkUnsignedOverflow(5n, -10n, 8, Overflow.Wrap), -1);
  assert.equal(overflowLimit, 251n);
  assert.equal(checkUnsignedOverflow(5n, -5n, 8, Overflow.Fail), 0);
  // A negative SET value on an unsigned field is a huge uint64.
  assert.equal(checkUnsignedOverflow(BigInt.asUintN(64, -1n), 0n, 8, Overflow.Wrap), 1);
  assert.equal(overflowLimit, 255n);
  // i8: 120 + 10, -120 - 10
  assert.equal(checkSignedOverflow(120n, 10n, 8, Overflow.Wrap), 1);
  assert.equal(overflowLimit, -126n);
  assert.equal(checkSignedOverflow(120n, 10n, 8, Overflow.Sat), 1);
  assert.equal(overflowLimit, 127n);
  assert.equal(checkSignedOverflow(-120n, -10n, 8, Overflow.Sat), -1);
  assert.equal(overflowLimit, -128n);
  // i64 at its limits.
  const max = 2n ** 63n - 1n;
  assert.equal(checkSignedOverflow(max, 1n, 64, Overflow.Wrap), 1);
  assert.equal(overflowLimit, -(2n ** 63n));
  assert.equal(checkSignedOverflow(-(2n ** 63n), -1n, 64, Overflow.Sat), -1);
  assert.equal(overflowLimit, -(2n ** 63n));
  assert.equal(checkSignedOverflow(-5n, max, 64, Overflow.Fail), 0);
  assert.equal(checkSignedOverflow(1000n, 0n, 8, Overflow.Fail), 1);
});
