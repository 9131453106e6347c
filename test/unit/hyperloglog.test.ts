// The HyperLogLog structure (src/types/hyperloglog.ts): MurmurHash64A on
// 32-bit halves against a BigInt reference, the sparse representation
// against a plain register array through random updates, promotions, merges,
// corruption checks and the estimator.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  murmurString,
  murmurBytes,
  lastHashHex,
  patLen,
  patIndex,
  createHll,
  sparseSet,
  sparseToDense,
  denseGet,
  denseSet,
  hllAdd,
  hllMerge,
  hllCount,
  decodeSparse,
  validHeader,
  setSparseMaxBytes,
  selfTest,
  HLL_REGISTERS,
  HLL_DENSE,
  HLL_SPARSE,
  HLL_DENSE_SIZE,
} from '../../src/types/hyperloglog.js';
import { ByteString } from '../../src/types/bytes.js';

const MASK = (1n << 64n) - 1n;

/** MurmurHash64A as written in C, with BigInt. */
function murmurReference(data: Uint8Array): bigint {
  const m = 0xc6a4a7935bd1e995n;
  let h = (0xadc83b19n ^ (BigInt(data.length) * m)) & MASK;
  const blocks = data.length - (data.length & 7);
  for (let i = 0; i < blocks; i += 8) {
    let k = 0n;
    for (let j = 7; j >= 0; j--) k = (k << 8n) | BigInt(data[i + j]);
    k = (k * m) & MASK;
    k ^= k >> 47n;
    k = (k * m) & MASK;
    h ^= k;
    h = (h * m) & MASK;
  }
  const rest = data.length & 7;
  if (rest !== 0) {
    for (let j = rest - 1; j >= 0; j--) h ^= BigInt(data[blocks + j]) << BigInt(8 * j);
    h = (h * m) & MASK;
  }
  h ^= h >> 47n;
  h = (h * m) & MASK;
  h ^= h >> 47n;
  return h;
}

test('MurmurHash64A on 32-bit halves equals the 64-bit reference, from strings and bytes', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat(7), (data, shift) => {
      const want = murmurReference(data).toString(16).padStart(16, '0');
      murmurString(Buffer.from(data).toString('latin1'));
      assert.equal(lastHashHex(), want);
      const backing = new Uint8Array(data.length + 8);
      backing.set(data, shift);
      murmurBytes(backing, shift, data.length);
      assert.equal(lastHashHex(), want);
    }),
    { numRuns: 500 },
  );
});

test('patLen: register from the low 14 bits, run from the 50 bits above (at most 51)', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 20 }), (s) => {
      const h = murmurReference(Buffer.from(s, 'latin1'));
      const count = patLen(s);
      assert.equal(patIndex, Number(h & 0x3fffn));
      let rest = (h >> 14n) | (1n << 50n);
      let want = 1;
      while ((rest & 1n) === 0n) {
        want++;
        rest >>= 1n;
      }
      assert.equal(count, want);
    }),
  );
});

/** The registers of a sparse HLL, decoded through PFDEBUG DECODE's text. */
function sparseRegisters(h: ByteString): number[] {
  const regs: number[] = [];
  for (const op of decodeSparse(h.buf, h.len).split(' ')) {
    const [kind, rest] = op.split(':');
    if (kind === 'v') {
      const [v, n] = rest.split(',').map(Number);
      for (let i = 0; i < n; i++) regs.push(v);
    } else {
      for (let i = 0; i < Number(rest); i++) regs.push(0);
    }
  }
  return regs;
}

test('sparse updates keep every register right, then convert to the same dense registers', () => {
  setSparseMaxBytes(1 << 20);
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: HLL_REGISTERS - 1 }), fc.integer({ min: 1, max: 32 })), { maxLength: 300 }), (ups) => {
      const h = createHll();
      const model = new Array<number>(HLL_REGISTERS).fill(0);
      for (const [i, v] of ups) {
        const changed = sparseSet(h, i, v);
        assert.equal(changed, v > model[i] ? 1 : 0);
        if (v > model[i]) model[i] = v;
      }
      assert.equal(h.buf[4], HLL_SPARSE);
      assert.deepEqual(sparseRegisters(h), model);
      const sparseCount = hllCount(h.buf, h.len);
      assert.ok(sparseToDense(h));
      assert.equal(h.len, HLL_DENSE_SIZE);
      for (let i = 0; i < HLL_REGISTERS; i++) assert.equal(denseGet(h.buf, i), model[i]);
      assert.equal(hllCount(h.buf, h.len), sparseCount);
      // Merging the dense form into a byte array gives the model back.
      const max = new Uint8Array(HLL_REGISTERS);
      assert.ok(hllMerge(max, h.buf, h.len));
      assert.deepEqual(Array.from(max), model);
    }),
    { numRuns: 60 },
  );
  setSparseMaxBytes(3000);
});

test('promotion: a register above 32, or a value passing hll-sparse-max-bytes', () => {
  const h = createHll();
  assert.equal(sparseSet(h, 100, 5), 1);
  assert.equal(sparseSet(h, 7, 40), 1);
  assert.equal(h.buf[4], HLL_DENSE);
  assert.equal(denseGet(h.buf, 7), 40);
  assert.equal(denseGet(h.buf, 100), 5);
  assert.equal(denseSet(h.buf, 7, 30), 0);
  setSparseMaxBytes(40);
  const g = createHll();
  let i = 0;
  while (g.buf[4] === HLL_SPARSE) {
    assert.ok(g.len <= 40);
    sparseSet(g, i * 97, 3);
    i++;
  }
  assert.equal(g.len, HLL_DENSE_SIZE);
  for (let j = 0; j < i; j++) assert.equal(denseGet(g.buf, j * 97), 3);
  setSparseMaxBytes(3000);
  // The last register never touches the byte after the registers.
  const d = createHll();
  sparseToDense(d);
  denseSet(d.buf, HLL_REGISTERS - 1, 63);
  assert.equal(denseGet(d.buf, HLL_REGISTERS - 1), 63);
  assert.equal(d.buf[HLL_DENSE_SIZE], 0);
});

test('corrupt sparse values are detected by every reader', () => {
  const header = createHll().buf.subarray(0, 16);
  const make = (...ops: number[]) => {
    const b = Buffer.concat([header, Buffer.from(ops)]);
    return new ByteString(b, b.length);
  };
  for (const bad of [make(0x7f, 0xfe), make(0x7f, 0xff, 0x00), make(), make(0x40)]) {
    assert.equal(hllCount(bad.buf, bad.len), -1);
    assert.equal(hllMerge(new Uint8Array(HLL_REGISTERS), bad.buf, bad.len), false);
    const before = Buffer.from(bad.buf.subarray(0, bad.len));
    assert.equal(sparseToDense(bad), false);
    assert.deepEqual(Buffer.from(bad.buf.subarray(0, bad.len)), before, 'unchanged after a failed conversion');
  }
  // A VAL past register 16383: the count sees 16385 registers, but merges and
  // conversions stop before it (Redis's overflow check) and take the rest.
  const tail = make(0x7f, 0xff, 0x80);
  assert.equal(hllCount(tail.buf, tail.len), -1);
  assert.equal(hllMerge(new Uint8Array(HLL_REGISTERS), tail.buf, tail.len), true);
  assert.equal(sparseToDense(tail), true);
  // Past the last opcode: a register beyond the represented ones.
  assert.equal(sparseSet(make(0x7f, 0xfe), HLL_REGISTERS - 1, 3), -1);
  assert.ok(validHeader(createHll().buf, 18));
  assert.ok(!validHeader(Buffer.from('HYLL\x02' + '\0'.repeat(13), 'latin1'), 18));
  assert.ok(!validHeader(Buffer.from('HYLL\x00' + '\0'.repeat(13), 'latin1'), 18));
});

test('estimates stay within a few standard errors, equal for sparse and dense', () => {
  for (const n of [0, 1, 10, 100, 1000, 5000, 50000]) {
    const s = createHll();
    const d = createHll();
    sparseToDense(d);
    for (let i = 0; i < n; i++) {
      hllAdd(s, `element:${i}`);
      hllAdd(d, `element:${i}`);
    }
    const cs = hllCount(s.buf, s.len);
    const cd = hllCount(d.buf, d.len);
    assert.equal(cs, cd);
    assert.ok(Math.abs(cs - n) <= Math.max(1, Math.ceil(n * 0.0081 * 5)), `n=${n} estimate=${cs}`);
  }
});

test('PFSELFTEST passes', () => {
  assert.equal(selfTest(), null);
});
