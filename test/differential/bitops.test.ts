// Bitmap commands against the reference redis-server, byte for byte: SETBIT,
// GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD, BITFIELD_RO with every option
// and error, RESP2 and RESP3, wrong types, bad and huge offsets, empty and big
// values, and bitmaps mixed with the other string commands (GET returns the
// bytes, SETRANGE/APPEND/INCR/COPY/LCS work on them). Also seeded random
// command sequences, with GET of every key compared at the end.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { usePair, type DiffPair, type Args } from '../helpers/differential.js';
import { ENC_NAMES } from '../../src/db/robj.js';

let pair: DiffPair;
const skip = usePair((p) => (pair = p));

const check = (...args: Args) => pair.check(...args);
const checkAll = (cmds: Args[]) => pair.checkAll(cmds);

async function reset(): Promise<void> {
  await pair.both('FLUSHALL');
  await pair.resp(2);
  await pair.both('RPUSH', 'list', 'a', 'b');
}

/** OBJECT ENCODING on the reference vs the RObj encoding in Spinel. */
async function checkEncoding(key: string): Promise<void> {
  const r = await pair.redis.call('OBJECT', 'ENCODING', key);
  const o = pair.spinelServer.server.keyspace.dbs[0].peek(key);
  const s = o === undefined ? '$-1\r\n' : `$${ENC_NAMES[o.enc].length}\r\n${ENC_NAMES[o.enc]}\r\n`;
  assert.equal(s, r, `OBJECT ENCODING ${key}`);
}

const I64_MAX = '9223372036854775807';
const I64_MIN = '-9223372036854775808';

test('SETBIT and GETBIT: values, growth, encodings, errors', { skip }, async () => {
  await reset();
  await checkAll([
    ['SETBIT', 'b', '0', '1'],
    ['SETBIT', 'b', '0', '1'],
    ['SETBIT', 'b', '0', '0'],
    ['SETBIT', 'b', '7', '1'],
    ['SETBIT', 'b', '100', '1'],
    ['GET', 'b'],
    ['STRLEN', 'b'],
    ['GETBIT', 'b', '7'],
    ['GETBIT', 'b', '6'],
    ['GETBIT', 'b', '100'],
    ['GETBIT', 'b', '101'],
    ['GETBIT', 'b', '1000000'],
    ['GETBIT', 'nokey', '0'],
    ['SETBIT', 'b', '-1', '1'],
    ['SETBIT', 'b', 'x', '1'],
    ['SETBIT', 'b', '1.5', '1'],
    ['SETBIT', 'b', '01', '1'],
    ['SETBIT', 'b', '#1', '1'],
    ['SETBIT', 'b', '4294967296', '1'],
    ['SETBIT', 'b', I64_MAX, '1'],
    ['SETBIT', 'b', '99999999999999999999', '1'],
    ['SETBIT', 'b', '0', '2'],
    ['SETBIT', 'b', '0', '-1'],
    ['SETBIT', 'b', '0', 'x'],
    ['SETBIT', 'b', '0', ''],
    ['SETBIT', 'b', '0', I64_MIN],
    ['SETBIT', 'b', 'x', 'x'],
    ['GETBIT', 'b', '-1'],
    ['GETBIT', 'b', 'x'],
    ['GETBIT', 'b', '4294967296'],
    ['GETBIT', 'b', '#0'],
    ['SETBIT', 'list', '0', '1'],
    ['SETBIT', 'list', 'x', '1'],
    ['GETBIT', 'list', '0'],
    ['GETBIT', 'list', 'x'],
    ['SETBIT', 'b'],
    ['GETBIT', 'b'],
    // Strings of every encoding read and written bit by bit.
    ['SET', 'i', '12345'],
    ['GETBIT', 'i', '2'],
    ['GETBIT', 'i', '3'],
    ['GETBIT', 'i', '39'],
    ['GETBIT', 'i', '40'],
    ['SET', 'e', 'embstr'],
    ['GETBIT', 'e', '9'],
    ['SET', 'r', 'x'.repeat(100)],
    ['GETBIT', 'r', '799'],
  ]);
  await checkEncoding('b');
  await checkEncoding('i');
  for (const k of ['i', 'e', 'r']) {
    await check('SETBIT', k, '1', '1');
    await check('GET', k);
    await checkEncoding(k);
  }
  // Unchanged bits still turn an int or embstr string raw (Redis unshares first).
  await check('SET', 'i2', '7');
  await check('SETBIT', 'i2', '0', '0');
  await checkEncoding('i2');
  await check('SETBIT', 'new', '0', '0');
  await check('GET', 'new');
  await checkEncoding('new');
});

test('SETBIT at the 512 MB limit and with proto-max-bulk-len lowered', { skip }, async () => {
  await reset();
  await checkAll([
    ['SETBIT', 'huge', '4294967295', '1'],
    ['STRLEN', 'huge'],
    ['GETBIT', 'huge', '4294967295'],
    ['GETBIT', 'huge', '4294967294'],
    ['GETRANGE', 'huge', '-3', '-1'],
    ['BITCOUNT', 'huge', '-4', '-1'],
    ['BITPOS', 'huge', '1', '-8', '-1'],
    ['SETBIT', 'huge', '4294967296', '1'],
    ['DEL', 'huge'],
    ['CONFIG', 'SET', 'proto-max-bulk-len', '1048576'],
    ['SETBIT', 'k', '8388608', '1'],
    ['SETBIT', 'k', '8388607', '1'],
    ['GETBIT', 'k', '8388608'],
    ['BITFIELD', 'k', 'SET', 'u8', '#1048576', '1'],
    ['BITFIELD', 'k', 'SET', 'u8', '#1048575', '1'],
    ['BITFIELD', 'k', 'GET', 'u8', '8388600'],
    ['STRLEN', 'k'],
    ['CONFIG', 'SET', 'proto-max-bulk-len', '536870912'],
  ]);
});

test('BITCOUNT: ranges in bytes and bits, negative indexes, errors', { skip }, async () => {
  await reset();
  await check('SET', 's', 'foobar');
  await check('SET', 'ones', '\xff\xff\xff');
  await check('SET', 'empty', '');
  await check('SET', 'i', '-123');
  const ranges = [
    ['0', '0'], ['1', '1'], ['0', '-1'], ['-1', '-1'], ['-2', '-1'], ['-100', '-1'], ['-100', '100'], ['5', '1'],
    ['-1', '-2'], ['-2', '-3'], ['3', '-4'], ['100', '200'], ['0', I64_MAX], [I64_MIN, I64_MAX], [I64_MIN, '-1'],
    ['-9223372036854775807', '-9223372036854775808'], ['9007199254740993', '9007199254740992'],
  ];
  for (const k of ['s', 'ones', 'empty', 'i', 'nokey']) {
    await check('BITCOUNT', k);
    for (const [a, b] of ranges) {
      await check('BITCOUNT', k, a, b);
      await check('BITCOUNT', k, a, b, 'BYTE');
      await check('BITCOUNT', k, a, b, 'BIT');
    }
    for (const [a, b] of [['1', '6'], ['3', '12'], ['7', '8'], ['-3', '-1'], ['-13', '-5'], ['47', '47'], ['0', '47'], ['2', '2']]) {
      await check('BITCOUNT', k, a, b, 'bit');
    }
  }
  await checkAll([
    ['BITCOUNT', 's', '0'],
    ['BITCOUNT', 's', '0', '1', 'BIT', 'x'],
    ['BITCOUNT', 's', '0', '1', 'FOO'],
    ['BITCOUNT', 's', '-1', '-2', 'FOO'],
    ['BITCOUNT', 's', 'x', '1'],
    ['BITCOUNT', 's', '1', 'x'],
    ['BITCOUNT', 's', '1', 'x', 'FOO'],
    ['BITCOUNT', 's', '0', '1', 'bit\x00x'],
    ['BITCOUNT', 'nokey', 'x', 'y'],
    ['BITCOUNT', 'nokey', '0'],
    ['BITCOUNT', 'list'],
    ['BITCOUNT', 'list', 'x'],
    ['BITCOUNT'],
  ]);
});

test('BITPOS: bits 0 and 1, ranges in bytes and bits, all-ones and all-zeros values, errors', { skip }, async () => {
  await reset();
  await check('SET', 's', '\x00\xff\xf0');
  await check('SET', 'ones', '\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff');
  await check('SET', 'zeros', '\x00'.repeat(10));
  await check('SET', 'empty', '');
  await check('SET', 'i', '1');
  await check('SETBIT', 'far', '1000', '1');
  const ranges = [[], ['0'], ['1'], ['-1'], ['2'], ['100'], ['0', '-1'], ['1', '1'], ['2', '-1'], ['-2', '-1'], ['3', '1'], ['-100', '-1'], ['0', '0'], ['-1', '-2']];
  for (const k of ['s', 'ones', 'zeros', 'empty', 'i', 'far', 'nokey']) {
    for (const bit of ['0', '1']) {
      for (const r of ranges) {
        await check('BITPOS', k, bit, ...r);
        if (r.length === 2) {
          await check('BITPOS', k, bit, ...r, 'BYTE');
          await check('BITPOS', k, bit, ...r, 'BIT');
        }
      }
      for (const [a, b] of [['7', '15'], ['5', '5'], ['8', '8'], ['1', '22'], ['12', '17'], ['-5', '-1'], ['0', '79'], ['9', '70'], ['3', '4'], ['16', '23'], ['23', '24']]) {
        await check('BITPOS', k, bit, a, b, 'BIT');
      }
    }
  }
  await checkAll([
    ['BITPOS', 's', '2'],
    ['BITPOS', 's', '-1'],
    ['BITPOS', 's', 'x'],
    ['BITPOS', 'nokey', 'x'],
    ['BITPOS', 'nokey', '1', 'x'],
    ['BITPOS', 'nokey', '0', 'x', 'y', 'z'],
    ['BITPOS', 's', '1', 'x'],
    ['BITPOS', 's', '1', '0', 'x'],
    ['BITPOS', 's', '1', '0', 'x', 'FOO'],
    ['BITPOS', 's', '1', 'x', '1', 'FOO'],
    ['BITPOS', 's', '1', '0', '1', 'FOO'],
    ['BITPOS', 's', '1', '0', '1', 'BIT', 'x'],
    ['BITPOS', 's', '1', I64_MIN, I64_MAX],
    ['BITPOS', 's', '0', I64_MIN, I64_MAX, 'BIT'],
    ['BITPOS', 'list', '1'],
    ['BITPOS', 'list', 'x'],
    ['BITPOS', 'list', '2'],
    ['BITPOS', 's'],
  ]);
  // A long run to skip before the first match (big values are scanned in pieces).
  const big = '\x00'.repeat(50000) + '\x01' + '\xff'.repeat(50000) + '\x7f';
  await check('SET', 'big', big);
  await check('SETRANGE', 'bigbuf', '0', big);
  for (const k of ['big', 'bigbuf']) {
    await check('BITPOS', k, '1');
    await check('BITPOS', k, '0', '50000');
    await check('BITPOS', k, '0', '50001');
    await check('BITPOS', k, '0', '50001', '-2');
    await check('BITPOS', k, '1', '16384', '-1');
    await check('BITCOUNT', k);
    await check('BITCOUNT', k, '3', '-3');
    await check('BITCOUNT', k, '5', '-5', 'BIT');
  }
});

test('BITOP AND, OR, XOR, NOT: lengths, missing keys, destination, errors', { skip }, async () => {
  await reset();
  await checkAll([
    ['SET', 'a', 'foobar'],
    ['SET', 'b', 'abcdefghijklmnopqrstuvwxyz0123456789'],
    ['SET', 'c', '\xff\x00\x0f'],
    ['SET', 'i', '42'],
    ['SETBIT', 'bits', '300', '1'],
  ]);
  const sets = [['a'], ['a', 'b'], ['b', 'a'], ['a', 'c', 'b'], ['a', 'nokey'], ['nokey', 'a'], ['i', 'a'], ['bits', 'b', 'c'], ['b', 'b', 'b', 'b']];
  for (const op of ['AND', 'OR', 'XOR', 'and', 'oR']) {
    for (const s of sets) {
      await check('BITOP', op, 'dest', ...s);
      await check('GET', 'dest');
    }
  }
  for (const s of ['a', 'b', 'c', 'i', 'bits', 'nokey']) {
    await check('BITOP', 'NOT', 'dest', s);
    await check('GET', 'dest');
  }
  await checkEncoding('dest');
  await checkAll([
    ['SET', 'dest', 'x', 'EX', '1000'],
    ['BITOP', 'OR', 'dest', 'a'],
    ['TTL', 'dest'],
    ['BITOP', 'AND', 'dest', 'nokey', 'nokey2'],
    ['EXISTS', 'dest'],
    ['BITOP', 'AND', 'dest', 'nokey'],
    ['BITOP', 'OR', 'a', 'a', 'b'],
    ['GET', 'a'],
    ['SET', 'e', ''],
    ['BITOP', 'OR', 'dest', 'e'],
    ['EXISTS', 'dest'],
    ['BITOP', 'NOT', 'dest', 'a', 'b'],
    ['BITOP', 'NOT', 'dest'],
    ['BITOP', 'FOO', 'dest', 'a'],
    ['BITOP', 'AND\x00x', 'dest', 'a'],
    ['BITOP', 'AND', 'dest', 'a', 'list'],
    ['BITOP', 'AND', 'list', 'a'],
    ['TYPE', 'list'],
    ['BITOP', 'AND', 'dest'],
  ]);
  // Long operands (the word-at-a-time path) of different lengths.
  const x = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 37) & 0xff));
  const y = Buffer.from(Array.from({ length: 777 }, (_, i) => (i * 91 + 5) & 0xff));
  await check('SET', 'x', x);
  await check('SETRANGE', 'y', '0', y);
  for (const op of ['AND', 'OR', 'XOR']) {
    await check('BITOP', op, 'dest', 'x', 'y');
    await check('GET', 'dest');
    await check('BITOP', op, 'dest', 'y', 'x', 'a');
    await check('GET', 'dest');
  }
});

test('BITFIELD and BITFIELD_RO: types, # offsets, overflow policies, errors', { skip }, async () => {
  await reset();
  const types = ['i1', 'u1', 'i5', 'u5', 'i8', 'u8', 'i13', 'u13', 'i16', 'u16', 'i31', 'u31', 'i32', 'u32', 'i33', 'u33', 'i53', 'u53', 'i63', 'u63', 'i64'];
  const values = ['0', '1', '-1', '5', '-5', '127', '128', '-128', '-129', '255', '256', '65535', '2147483647', '2147483648', '-2147483649', '4294967296', '9007199254740993', I64_MAX, I64_MIN];
  for (const ow of ['WRAP', 'SAT', 'FAIL']) {
    await check('DEL', 'f');
    for (const t of types) {
      for (const v of values) {
        await check('BITFIELD', 'f', 'OVERFLOW', ow, 'SET', t, '3', v, 'GET', t, '3', 'INCRBY', t, '3', v, 'GET', t, '3');
      }
      await check('BITFIELD', 'f', 'OVERFLOW', ow, 'INCRBY', t, `#2`, '1', 'INCRBY', t, '#2', '-3', 'INCRBY', t, '#2', I64_MAX, 'INCRBY', t, '#2', I64_MIN);
    }
    await check('GET', 'f');
  }
  await checkAll([
    ['BITFIELD', 'g', 'GET', 'u8', '0'],
    ['EXISTS', 'g'],
    ['BITFIELD', 'g'],
    ['EXISTS', 'g'],
    ['BITFIELD', 'g', 'OVERFLOW', 'SAT'],
    ['BITFIELD', 'g', 'SET', 'u8', '#3', '200', 'GET', 'u4', '24', 'GET', 'i4', '28'],
    ['GET', 'g'],
    ['BITFIELD', 'g', 'set', 'U8', '0', '1'],
    ['BITFIELD', 'g', 'set', 'u8', '0', '1', 'overflow', 'fail', 'incrby', 'u2', '100', '1', 'get', 'u2', '100'],
    ['BITFIELD', 'g', 'SET', 'u64', '0', '1'],
    ['BITFIELD', 'g', 'SET', 'i65', '0', '1'],
    ['BITFIELD', 'g', 'SET', 'i0', '0', '1'],
    ['BITFIELD', 'g', 'SET', 'u', '0', '1'],
    ['BITFIELD', 'g', 'SET', 'x8', '0', '1'],
    ['BITFIELD', 'g', 'SET', 'u8\x00z', '0', '1'],
    ['BITFIELD', 'g', 'SET', 'u08', '0', '1'],
    ['BITFIELD', 'g', 'SET', 'u8', '-1', '1'],
    ['BITFIELD', 'g', 'SET', 'u8', '#-1', '1'],
    ['BITFIELD', 'g', 'SET', 'u8', '#', '1'],
    ['BITFIELD', 'g', 'SET', 'u8', 'x', '1'],
    ['BITFIELD', 'g', 'GET', 'u8', '#2305843009213693952'],
    ['BITFIELD', 'g', 'GET', 'i64', '#144115188075855872'],
    ['BITFIELD', 'g', 'GET', 'u8', '#536870911'],
    ['BITFIELD', 'g', 'GET', 'u8', '#536870912'],
    ['BITFIELD', 'g', 'GET', 'u8', '4294967288'],
    ['BITFIELD', 'g', 'GET', 'u8', '4294967296'],
    ['BITFIELD', 'g', 'SET', 'u8', '0', 'x'],
    ['BITFIELD', 'g', 'SET', 'u8', '0', '1.5'],
    ['BITFIELD', 'g', 'SET', 'u8', '0'],
    ['BITFIELD', 'g', 'INCRBY', 'u8', '0'],
    ['BITFIELD', 'g', 'GET', 'u8'],
    ['BITFIELD', 'g', 'OVERFLOW'],
    ['BITFIELD', 'g', 'OVERFLOW', 'FOO', 'GET', 'u8', '0'],
    ['BITFIELD', 'g', 'OVERFLOW', 'sat\x00', 'GET', 'u8', '0'],
    ['BITFIELD', 'g', 'FOO', 'u8', '0'],
    ['BITFIELD', 'g', 'GET', 'u8', '0', 'FOO'],
    ['BITFIELD', 'g', 'SET', 'u8', '0', '1', 'SET', 'u64', '0', '1'],
    ['GET', 'g'],
    ['BITFIELD', 'list', 'GET', 'u8', '0'],
    ['BITFIELD', 'list', 'SET', 'u8', '0', '1'],
    ['BITFIELD', 'list', 'SET', 'u8', 'x', '1'],
    ['BITFIELD_RO', 'g', 'GET', 'u8', '0', 'GET', 'i16', '#1'],
    ['BITFIELD_RO', 'g', 'GET', 'u8', '0', 'SET', 'u8', '0', '1'],
    ['BITFIELD_RO', 'g', 'INCRBY', 'u8', '0', '1'],
    ['BITFIELD_RO', 'g', 'OVERFLOW', 'FAIL'],
    ['BITFIELD_RO', 'g'],
    ['BITFIELD_RO', 'nokey', 'GET', 'u8', '0'],
    ['BITFIELD_RO', 'list', 'GET', 'u8', '0'],
    ['BITFIELD_RO', 'list', 'SET', 'u8', '0', '1'],
    ['SET', 'i', '123'],
    ['BITFIELD_RO', 'i', 'GET', 'u8', '0', 'GET', 'u24', '0', 'GET', 'i64', '0'],
    ['BITFIELD', 'i', 'INCRBY', 'u8', '16', '1'],
    ['GET', 'i'],
    ['INCR', 'i'],
    ['GET', 'i'],
  ]);
  await checkEncoding('i');
});

test('RESP3 replies of the bitmap commands', { skip }, async () => {
  await reset();
  await pair.resp(3);
  await checkAll([
    ['SETBIT', 'b', '3', '1'],
    ['GETBIT', 'b', '3'],
    ['BITCOUNT', 'b'],
    ['BITPOS', 'b', '1'],
    ['BITOP', 'NOT', 'd', 'b'],
    ['BITFIELD', 'b', 'OVERFLOW', 'FAIL', 'INCRBY', 'u2', '0', '5', 'GET', 'u8', '0', 'SET', 'i8', '0', '-1'],
    ['BITFIELD_RO', 'b', 'GET', 'i8', '0'],
    ['BITFIELD', 'b'],
    ['GET', 'b'],
    ['BITFIELD', 'b', 'SET', 'u64', '0', '1'],
  ]);
});

test('bitmaps are strings: GET, GETRANGE, SETRANGE, APPEND, INCR, COPY, LCS, SORT on them', { skip }, async () => {
  await reset();
  await checkAll([
    ['SETBIT', 'b', '6', '1'],
    ['SETBIT', 'b', '7', '1'],
    ['GET', 'b'],
    ['APPEND', 'b', 'hello'],
    ['GET', 'b'],
    ['SETBIT', 'b', '47', '1'],
    ['GET', 'b'],
    ['GETRANGE', 'b', '1', '3'],
    ['GETRANGE', 'b', '-2', '-1'],
    ['SETRANGE', 'b', '2', 'XY'],
    ['SETRANGE', 'b', '10', 'Z'],
    ['GET', 'b'],
    ['STRLEN', 'b'],
    ['SUBSTR', 'b', '0', '2'],
    ['MGET', 'b', 'nokey'],
    ['GETSET', 'b', 'new'],
    ['SETBIT', 'b', '0', '1'],
    ['SET', 'b', 'x', 'GET'],
    ['SETBIT', 'b', '15', '1'],
    ['GETEX', 'b', 'PX', '100000'],
    ['GETDEL', 'b'],
    ['SETRANGE', 'n', '0', '123'],
    ['INCR', 'n'],
    ['GET', 'n'],
    ['SETRANGE', 'n', '0', '9'],
    ['INCRBY', 'n', '10'],
    ['APPEND', 'n', '1'],
    ['INCRBYFLOAT', 'n', '0.5'],
    ['SETBIT', 'n2', '2', '1'],
    ['SETBIT', 'n2', '3', '1'],
    ['SETBIT', 'n2', '7', '1'],
    ['GET', 'n2'],
    ['INCR', 'n2'],
    ['DECRBY', 'n2', '5'],
    ['INCRBYFLOAT', 'n2', '1.5'],
    ['SETBIT', 'c', '20', '1'],
    ['COPY', 'c', 'c2'],
    ['SETBIT', 'c', '21', '1'],
    ['GET', 'c'],
    ['GET', 'c2'],
    ['SETRANGE', 'l1', '0', 'ohmytext'],
    ['SETRANGE', 'l2', '0', 'mynewtext'],
    ['LCS', 'l1', 'l2'],
    ['LCS', 'l1', 'l2', 'IDX', 'WITHMATCHLEN'],
    ['SETRANGE', 'w', '0', '3'],
    ['RPUSH', 'sl', '1', '2'],
    ['SET', 'w_1', '5'],
    ['SETRANGE', 'w_2', '0', '1'],
    ['SORT', 'sl', 'BY', 'w_*', 'GET', 'w_*'],
    ['SETBIT', 'big', '800000', '1'],
    ['GET', 'big'],
    ['APPEND', 'big', 'tail'],
    ['GETRANGE', 'big', '-6', '-1'],
    ['DEBUG', 'DIGEST-VALUE', 'big', 'c', 'n'],
  ]);
  for (const k of ['n', 'n2', 'c2', 'l1', 'big']) await checkEncoding(k);
  // Appends in a row to a big value stay O(1) each: 2000 appends of 1 KB.
  await check('SET', 'app', 'x'.repeat(100000));
  // (Whole requests: 2000 byte-by-byte deliveries of 1 KB would take most of a minute.)
  const wire = pair.spinel.wire;
  pair.spinel.wire = 'whole';
  for (let i = 0; i < 2000; i++) await pair.spinel.call('APPEND', 'app', 'y'.repeat(1024));
  pair.spinel.wire = wire;
  for (let i = 0; i < 2000; i++) await pair.redis.call('APPEND', 'app', 'y'.repeat(1024));
  await check('STRLEN', 'app');
  await check('GET', 'app');
});

// ---------------------------------------------------------------------------
// Random sequences

const key = fc.constantFrom('a', 'b', 'c', 'list', 'n');
const small = fc.integer({ min: 0, max: 300 }).map(String);
const offset = fc.oneof(small, small, fc.integer({ min: 0, max: 70000 }).map(String), fc.constantFrom('-1', 'x', '#3', '4294967296'));
const index = fc.oneof(fc.integer({ min: -50, max: 50 }).map(String), fc.constantFrom(I64_MAX, I64_MIN, 'x'));
const bytes = fc.uint8Array({ maxLength: 20 }).map((a) => Buffer.from(a).toString('latin1'));
const value = fc.oneof(bytes, fc.constantFrom('', '\xff\xff\xff', '\x00\x00', '123', '-5', 'foobar'));
const unit = fc.constantFrom([], [], ['BIT'], ['BYTE'], ['bit'], ['FOO']);
const ftype = fc.oneof(
  fc.tuple(fc.constantFrom('i', 'u'), fc.integer({ min: 1, max: 64 })).map(([s, n]) => `${s}${n}`),
  fc.constantFrom('u64', 'x8', 'i0'),
);
const foff = fc.oneof(fc.integer({ min: 0, max: 200 }).map(String), fc.integer({ min: 0, max: 20 }).map((n) => `#${n}`));
const fnum = fc.oneof(fc.integer({ min: -300, max: 300 }).map(String), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String));
const fop = fc.oneof(
  fc.tuple(ftype, foff).map(([t, o]) => ['GET', t, o]),
  fc.tuple(ftype, foff, fnum).map(([t, o, v]) => ['SET', t, o, v]),
  fc.tuple(ftype, foff, fnum).map(([t, o, v]) => ['INCRBY', t, o, v]),
  fc.constantFrom(['OVERFLOW', 'WRAP'], ['OVERFLOW', 'SAT'], ['OVERFLOW', 'FAIL']),
);

const command: fc.Arbitrary<string[]> = fc.oneof(
  fc.tuple(key, offset, fc.constantFrom('0', '1', '1', '2')).map(([k, o, v]) => ['SETBIT', k, o, v]),
  fc.tuple(key, offset).map(([k, o]) => ['GETBIT', k, o]),
  key.map((k) => ['BITCOUNT', k]),
  fc.tuple(key, index, index, unit).map(([k, a, b, u]) => ['BITCOUNT', k, a, b, ...u]),
  fc.tuple(key, fc.constantFrom('0', '1'), fc.array(index, { maxLength: 2 }), unit).map(([k, bit, r, u]) => ['BITPOS', k, bit, ...r, ...(r.length === 2 ? u : [])]),
  fc.tuple(fc.constantFrom('AND', 'OR', 'XOR', 'NOT'), key, fc.array(key, { minLength: 1, maxLength: 3 })).map(([op, d, s]) => ['BITOP', op, d, ...(op === 'NOT' ? s.slice(0, 1) : s)]),
  fc.tuple(fc.constantFrom('BITFIELD', 'BITFIELD_RO'), key, fc.array(fop, { maxLength: 4 })).map(([c, k, ops]) => [c, k, ...ops.flat()]),
  fc.tuple(key, value).map(([k, v]) => ['SET', k, v]),
  fc.tuple(key, value).map(([k, v]) => ['APPEND', k, v]),
  fc.tuple(key, fc.integer({ min: 0, max: 40 }).map(String), value).map(([k, o, v]) => ['SETRANGE', k, o, v]),
  fc.tuple(key, index, index).map(([k, a, b]) => ['GETRANGE', k, a, b]),
  key.map((k) => ['GET', k]),
  key.map((k) => ['STRLEN', k]),
  key.map((k) => ['INCR', k]),
  key.map((k) => ['DEL', k]),
);

test('random bitmap command sequences match the reference', { skip }, async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(2, 3), fc.array(command, { minLength: 5, maxLength: 40, size: 'large' }), async (resp, cmds) => {
      await reset();
      await pair.resp(resp as 2 | 3);
      for (const cmd of cmds) {
        const [a, b] = await pair.both(...cmd);
        assert.equal(a, b, `reply to ${JSON.stringify(cmd)}`);
      }
      for (const k of ['a', 'b', 'c', 'n']) {
        const [a, b] = await pair.both('GET', k);
        assert.equal(a, b, `final GET ${k}`);
      }
    }),
    { numRuns: 250, seed: 1507 },
  );
});
