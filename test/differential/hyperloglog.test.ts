// HyperLogLog commands against the reference redis-server, byte for byte:
// PFADD, PFCOUNT, PFMERGE, PFDEBUG, PFSELFTEST, RESP2 and RESP3. GET of an
// HLL returns Redis's exact bytes (header, sparse opcodes, dense registers,
// cached cardinality) through the sparse -> dense promotion; values made by
// Redis and copied with SET work here; corrupt values get Redis's errors.
// Also seeded random PFADD/PFMERGE/PFCOUNT sequences with GET compared.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { usePair, type DiffPair, type Args } from '../helpers/differential.js';
import { decode } from '../helpers/resp.js';
import { ENC_NAMES } from '../../src/db/robj.js';

let pair: DiffPair;
const skip = usePair((p) => (pair = p));

const check = (...args: Args) => pair.check(...args);
const checkAll = (cmds: Args[]) => pair.checkAll(cmds);

async function reset(): Promise<void> {
  await pair.both('FLUSHALL');
  await pair.both('CONFIG', 'SET', 'hll-sparse-max-bytes', '3000');
  await pair.resp(2);
  await pair.both('RPUSH', 'list', 'a');
}

async function checkEncoding(key: string): Promise<void> {
  const r = await pair.redis.call('OBJECT', 'ENCODING', key);
  const o = pair.spinelServer.server.keyspace.dbs[0].peek(key);
  const s = o === undefined ? '$-1\r\n' : `$${ENC_NAMES[o.enc].length}\r\n${ENC_NAMES[o.enc]}\r\n`;
  assert.equal(s, r, `OBJECT ENCODING ${key}`);
}

/** The value of a key on the reference, as bytes. */
async function redisBytes(key: string): Promise<Buffer> {
  return Buffer.from(decode(Buffer.from(await pair.redis.call('GET', key), 'latin1'))[0] as string, 'latin1');
}

const elements = (from: number, n: number, prefix = 'e') => Array.from({ length: n }, (_, i) => `${prefix}:${from + i}`);

test('PFADD and PFCOUNT: creation, duplicates, the cached cardinality, GET of the bytes', { skip }, async () => {
  await reset();
  await checkAll([
    ['PFADD', 'h'],
    ['PFADD', 'h'],
    ['GET', 'h'],
    ['PFCOUNT', 'h'],
    ['PFADD', 'h', 'a', 'b', 'c'],
    ['GET', 'h'],
    ['PFADD', 'h', 'a', 'b', 'c'],
    ['PFADD', 'h', ''],
    ['PFADD', 'h', '\x00\xff\r\n', 'x'.repeat(1000), '12345678', '1234567', '123456789'],
    ['GET', 'h'],
    ['PFCOUNT', 'h'],
    ['GET', 'h'],
    ['PFCOUNT', 'h'],
    ['PFCOUNT', 'nokey'],
    ['STRLEN', 'h'],
    ['TYPE', 'h'],
  ]);
  await checkEncoding('h');
  // The same element hashed with every tail length.
  for (let n = 0; n <= 17; n++) await check('PFADD', 'tails', 'abcdefghijklmnopq'.slice(0, n));
  await check('GET', 'tails');
  await check('PFCOUNT', 'tails');
});

test('sparse to dense: byte-exact through the promotion, at several hll-sparse-max-bytes', { skip }, async () => {
  for (const max of ['3000', '100', '30', '0', '20000']) {
    await reset();
    await check('CONFIG', 'SET', 'hll-sparse-max-bytes', max);
    for (let i = 0; i < 4000; i += i < 400 ? 20 : 200) {
      await check('PFADD', 'h', ...elements(i, i < 400 ? 20 : 200));
      await check('GET', 'h');
      await check('PFDEBUG', 'ENCODING', 'h');
      await check('PFCOUNT', 'h');
    }
  }
  // One element at a time around the default threshold.
  await reset();
  await check('PFADD', 'h', ...elements(0, 1200));
  for (let i = 1200; i < 2200; i++) {
    const [a, b] = await pair.both('PFADD', 'h', `e:${i}`);
    assert.equal(a, b, `PFADD e:${i}`);
    const [ga, gb] = await pair.both('GET', 'h');
    assert.equal(ga, gb, `GET after e:${i}`);
  }
  await check('PFDEBUG', 'ENCODING', 'h');
  await check('PFCOUNT', 'h');
});

test('PFCOUNT of several keys and PFMERGE: sparse and dense inputs, missing keys', { skip }, async () => {
  await reset();
  await checkAll([
    ['PFADD', 's1', ...elements(0, 100)],
    ['PFADD', 's2', ...elements(50, 100)],
    ['PFADD', 'd1', ...elements(1000, 5000)],
    ['PFADD', 'd2', ...elements(3000, 5000)],
    ['PFCOUNT', 's1', 's2'],
    ['PFCOUNT', 's1', 'nokey', 's2'],
    ['PFCOUNT', 's1', 'd1'],
    ['PFCOUNT', 'd1', 'd2', 's1', 's2'],
    ['PFCOUNT', 'nokey', 'nokey2'],
    ['GET', 's1'],
    ['PFMERGE', 'm1', 's1', 's2'],
    ['GET', 'm1'],
    ['PFCOUNT', 'm1'],
    ['PFMERGE', 'm2', 's1', 'd1'],
    ['GET', 'm2'],
    ['PFDEBUG', 'ENCODING', 'm2'],
    ['PFMERGE', 's1', 's2'],
    ['GET', 's1'],
    ['PFMERGE', 's2', 'd2'],
    ['GET', 's2'],
    ['PFMERGE', 'd1', 'd2', 'nokey'],
    ['GET', 'd1'],
    ['PFMERGE', 'empty'],
    ['GET', 'empty'],
    ['PFMERGE', 'empty2', 'nokey'],
    ['GET', 'empty2'],
    ['PFMERGE', 'm3', 'm1', 'm1', 'm1'],
    ['GET', 'm3'],
    ['PFCOUNT', 'm1', 'm2', 'm3', 'd1', 'd2', 's1', 's2', 'empty'],
  ]);
  for (const k of ['m1', 'm2', 'empty']) await checkEncoding(k);
  // A merge into a sparse destination that overflows hll-sparse-max-bytes.
  await check('CONFIG', 'SET', 'hll-sparse-max-bytes', '200');
  await check('PFADD', 'a', ...elements(0, 60));
  await check('PFADD', 'b', ...elements(100, 60));
  await check('PFMERGE', 'c', 'a', 'b');
  await check('GET', 'c');
});

test('values written by Redis are read and extended here', { skip }, async () => {
  await reset();
  for (const [key, n] of [['sp', 300], ['de', 3000]] as const) {
    await pair.redis.call('PFADD', key, ...elements(0, n, 'r'));
    const bytes = await redisBytes(key);
    await pair.spinel.call('SET', key, bytes);
    await checkAll([
      ['GET', key],
      ['PFCOUNT', key],
      ['GET', key],
      ['PFADD', key, ...elements(n, 50, 'r')],
      ['GET', key],
      ['PFCOUNT', key, 'nokey'],
      ['PFMERGE', `${key}2`, key],
      ['GET', `${key}2`],
      ['PFDEBUG', 'DECODE', key],
    ]);
    await checkEncoding(key);
  }
  // A copied value with a stale cache, and one whose cache holds an arbitrary number.
  await pair.both('PFADD', 'c', 'x', 'y');
  await check('GET', 'c');
  const stale = await redisBytes('c');
  await check('SET', 'c2', stale);
  await check('PFCOUNT', 'c2');
  const fake = Buffer.from(stale);
  fake.writeBigUInt64LE(0x7fffffffffffffffn, 8);
  await check('SET', 'c3', fake);
  await check('PFCOUNT', 'c3');
  fake.writeBigUInt64LE(123456789012345n, 8);
  await check('SET', 'c3', fake);
  await check('PFCOUNT', 'c3');
  await check('PFCOUNT', 'c3', 'c');
});

test('corrupt and foreign values: WRONGTYPE and INVALIDOBJ errors, never a crash', { skip }, async () => {
  await reset();
  await check('PFADD', 'good', 'a', 'b', 'c');
  const good = await redisBytes('good');
  await check('PFADD', 'dense', ...elements(0, 3000));
  const dense = await redisBytes('dense');
  const header = good.subarray(0, 16);
  const sparse = (...ops: number[]) => Buffer.concat([header, Buffer.from(ops)]);
  const cases: [string, Buffer | string][] = [
    ['short', 'HYLL'],
    ['nomagic', 'HYLX' + good.toString('latin1').slice(4)],
    ['badenc', Buffer.concat([good.subarray(0, 4), Buffer.from([2]), good.subarray(5)])],
    ['denselen', Buffer.concat([dense, Buffer.from([0])])],
    ['denseshort', dense.subarray(0, dense.length - 1)],
    ['int', '1234567890123456789'],
    ['text', 'not an hll at all, just text'],
    ['sparse-short', sparse(0x7f, 0xfe)], // 16383 registers
    ['sparse-long', sparse(0x7f, 0xff, 0x00)], // 16385 registers
    ['sparse-tail', sparse(0x7f, 0xfe, 0x80, 0x80)], // a VAL past the end
    ['sparse-cut', sparse(0x40)], // an XZERO cut short
    ['sparse-empty', sparse()],
    ['sparse-vals', sparse(0x7f, 0xfb, 0xfc, 0xfc, 0x80, 0x01)],
    ['sparse-ok', sparse(0x00, 0xfc, 0x7f, 0xf9)], // valid: z:1 v:32,1 Z:16382
  ];
  for (const [k, v] of cases) await check('SET', k, v);
  for (const [k] of cases) {
    await checkAll([
      ['PFCOUNT', k],
      ['PFCOUNT', k, 'good'],
      ['PFCOUNT', 'good', k],
      ['PFMERGE', 'dest', 'good', k],
      ['PFMERGE', 'dest2', k],
      ['EXISTS', 'dest2'],
      ['PFADD', k, 'x'],
      ['PFADD', k],
      ['PFDEBUG', 'ENCODING', k],
      ['PFDEBUG', 'DECODE', k],
      ['PFDEBUG', 'TODENSE', k],
      ['PFDEBUG', 'GETREG', k],
      ['PFADD', k, ...elements(0, 100)],
      ['GET', k],
    ]);
  }
  await checkAll([
    ['PFADD', 'list', 'a'],
    ['PFCOUNT', 'list'],
    ['PFCOUNT', 'good', 'list'],
    ['PFMERGE', 'list', 'good'],
    ['PFMERGE', 'good', 'list'],
    ['PFDEBUG', 'ENCODING', 'list'],
    ['PFADD'],
    ['PFCOUNT'],
    ['PFMERGE'],
  ]);
});

test('PFDEBUG subcommands and PFSELFTEST, RESP2 and RESP3', { skip }, async () => {
  await reset();
  await check('PFADD', 'h', ...elements(0, 200));
  for (const resp of [2, 3] as const) {
    await pair.resp(resp);
    await checkAll([
      ['PFDEBUG', 'ENCODING', 'h'],
      ['PFDEBUG', 'encoding', 'h'],
      ['PFDEBUG', 'DECODE', 'h'],
      ['PFDEBUG', 'FOO', 'h'],
      ['PFDEBUG', 'FOO\x00bar', 'h'],
      ['PFDEBUG', 'ENCODING', 'nokey'],
      ['PFDEBUG', 'ENCODING'],
      ['PFDEBUG', 'ENCODING', 'h', 'x'],
      ['PFDEBUG', 'GETREG', 'list'],
    ]);
  }
  await checkAll([
    ['PFADD', 'g', 'a', 'b'],
    ['PFDEBUG', 'GETREG', 'g'],
    ['PFDEBUG', 'ENCODING', 'g'],
    ['GET', 'g'],
    ['PFDEBUG', 'DECODE', 'g'],
    ['PFADD', 't', 'a'],
    ['PFDEBUG', 'TODENSE', 't'],
    ['PFDEBUG', 'TODENSE', 't'],
    ['GET', 't'],
    ['PFCOUNT', 't'],
    ['PFSELFTEST'],
    ['PFSELFTEST', 'x'],
  ]);
  await pair.resp(3);
  await check('PFDEBUG', 'GETREG', 'h');
  await check('PFCOUNT', 'h', 't');
});

// ---------------------------------------------------------------------------
// Random sequences

const key = fc.constantFrom('a', 'b', 'c', 'list');
const ele = fc.oneof(
  fc.integer({ min: 0, max: 3000 }).map((n) => `e:${n}`),
  fc.uint8Array({ maxLength: 12 }).map((a) => Buffer.from(a).toString('latin1')),
);
const batch = fc.tuple(fc.integer({ min: 0, max: 20000 }), fc.integer({ min: 1, max: 600 })).map(([from, n]) => elements(from, n));
const w = (arbitrary: fc.Arbitrary<Args>, weight: number) => ({ arbitrary, weight });
const command: fc.Arbitrary<Args> = fc.oneof(
  w(fc.tuple(key, fc.array(ele, { maxLength: 6 })).map(([k, e]) => ['PFADD', k, ...e]), 6),
  w(fc.tuple(key, batch).map(([k, e]) => ['PFADD', k, ...e]), 4),
  w(fc.array(key, { minLength: 1, maxLength: 3 }).map((ks) => ['PFCOUNT', ...ks]), 3),
  w(fc.array(key, { minLength: 1, maxLength: 3 }).map((ks) => ['PFMERGE', ...ks]), 3),
  w(key.map((k) => ['GET', k]), 3),
  w(key.map((k) => ['PFCOUNT', k]), 3),
  w(fc.tuple(fc.constantFrom('ENCODING', 'TODENSE', 'DECODE'), key).map(([s, k]) => ['PFDEBUG', s, k]), 2),
  w(fc.constantFrom('3000', '3000', '200', '50', '0', '10000').map((v) => ['CONFIG', 'SET', 'hll-sparse-max-bytes', v]), 1),
  // Rare damage: a byte overwritten inside the value, an append, a plain string.
  w(fc.tuple(key, fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 255 })).map(([k, o, b]) => ['SETRANGE', k, String(o), Buffer.from([b])]), 1),
  w(key.map((k) => ['APPEND', k, '\x80']), 1),
  w(key.map((k) => ['SET', k, 'text']), 1),
  w(key.map((k) => ['DEL', k]), 1),
);

test('random HyperLogLog command sequences match the reference', { skip }, async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(2, 3), fc.array(command, { minLength: 5, maxLength: 30 }), async (resp, cmds) => {
      await reset();
      await pair.resp(resp as 2 | 3);
      for (const cmd of cmds) {
        const [a, b] = await pair.both(...cmd);
        assert.equal(a, b, `reply to ${JSON.stringify(cmd).slice(0, 300)}`);
      }
      for (const k of ['a', 'b', 'c']) {
        const [a, b] = await pair.both('GET', k);
        assert.equal(a, b, `final GET ${k}`);
      }
    }),
    { numRuns: 150, seed: 2718 },
  );
});
