// String commands against the reference redis-server, byte for byte: every
// command and option, errors, int64 edges, INCRBYFLOAT formatting, binary and
// big values, RESP2 and RESP3. TTLs and OBJECT ENCODING are compared through
// Spinel's keyspace directly when Spinel does not serve TTL/OBJECT itself.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { usePair, type DiffPair, type Args } from '../helpers/differential.js';
import { RObj, ObjType, Enc, ENC_NAMES } from '../../src/db/robj.js';

let pair: DiffPair;
const skip = usePair((p) => (pair = p));

/** Empties both servers (FLUSHALL, or Spinel's keyspace directly while it has none) and goes back to RESP2. */
async function reset(): Promise<void> {
  const [s] = await pair.both('FLUSHALL');
  if (s.startsWith('-')) for (const db of pair.spinelServer.server.keyspace.dbs) db.flush();
  await pair.resp(2);
}

const check = (...args: Args) => pair.check(...args);
const checkAll = (cmds: Args[]) => pair.checkAll(cmds);

/** Makes `key` a list on both servers (RPUSH, or a List RObj stored directly if Spinel has no lists yet). */
async function makeList(key: string): Promise<void> {
  const [s] = await pair.both('RPUSH', key, 'a', 'b');
  if (s.startsWith('-')) {
    const db = pair.spinelServer.server.keyspace.dbs[0];
    db.setKey(key, new RObj(ObjType.List, Enc.Listpack, ['a', 'b'], 0));
  }
}

/** OBJECT ENCODING on the reference vs the RObj encoding in Spinel. */
async function checkEncoding(key: string): Promise<void> {
  const r = await pair.redis.call('OBJECT', 'ENCODING', key);
  const o = pair.spinelServer.server.keyspace.dbs[0].peek(key);
  const s = o === undefined ? '$-1\r\n' : `$${ENC_NAMES[o.enc].length}\r\n${ENC_NAMES[o.enc]}\r\n`;
  assert.equal(s, r, `OBJECT ENCODING ${key}`);
}

/** PTTL on the reference vs Spinel's expire entry (within 1.5 s). */
async function checkTtl(key: string): Promise<void> {
  const r = Number((await pair.redis.call('PTTL', key)).slice(1, -2));
  const ks = pair.spinelServer.server.keyspace;
  const db = ks.dbs[0];
  const o = db.peek(key);
  const when = db.getExpire(key);
  const s = o === undefined ? -2 : when === undefined ? -1 : Math.max(0, when - Date.now());
  if (r < 0 || s < 0) assert.equal(s, r, `PTTL ${key}`);
  else assert.ok(Math.abs(s - r) < 1500, `PTTL ${key}: spinel ${s} redis ${r}`);
}

const I64_MAX = '9223372036854775807';
const I64_MIN = '-9223372036854775808';

test('SET and GET basics, encodings, binary and empty values', { skip }, async () => {
  await reset();
  await checkAll([
    ['SET', 'k', 'v'],
    ['GET', 'k'],
    ['GET', 'nokey'],
    ['SET', 'k', ''],
    ['GET', 'k'],
    ['SET', 'bin\x00\xff', 'a\x00b\xff\r\n'],
    ['GET', 'bin\x00\xff'],
    ['SET', '', 'empty key'],
    ['GET', ''],
    ['SET', 'k'],
    ['GET'],
    ['GET', 'a', 'b'],
    ['set', 'lower', 'case'],
    ['sEt', 'mixed', 'case'],
  ]);
  const encCases: [string, string][] = [
    ['i1', '123'], ['i2', '-1'], ['i3', '0'], ['i4', I64_MAX], ['i5', I64_MIN], ['i6', '9223372036854775808'],
    ['i7', '-0'], ['i8', '01'], ['i9', '+1'], ['i10', ' 1'], ['i11', '1 '], ['i12', '12345678901234567890'],
    ['i13', '9007199254740993'], ['s1', 'x'.repeat(44)], ['s2', 'x'.repeat(45)], ['s3', ''], ['s4', '1.5'],
    ['s5', '1e5'], ['s6', '-'], ['s7', '00'],
  ];
  for (const [k, v] of encCases) {
    await check('SET', k, v);
    await check('GET', k);
    await checkEncoding(k);
  }
});

test('SET options: NX XX GET KEEPTTL EX PX EXAT PXAT and their errors', { skip }, async () => {
  await reset();
  const future = Math.floor(Date.now() / 1000) + 1000;
  await checkAll([
    ['SET', 'k', 'v1', 'NX'],
    ['SET', 'k', 'v2', 'NX'],
    ['GET', 'k'],
    ['SET', 'k', 'v3', 'XX'],
    ['SET', 'nx', 'v', 'XX'],
    ['GET', 'nx'],
    ['SET', 'k', 'v4', 'nx', 'xx'],
    ['SET', 'k', 'v4', 'XX', 'NX'],
    ['SET', 'k', 'v4', 'NX', 'NX'],
    ['SET', 'k', 'v5', 'GET'],
    ['SET', 'k', 'v6', 'GET', 'GET'],
    ['SET', 'new', 'v', 'GET'],
    ['SET', 'k', 'v7', 'NX', 'GET'],
    ['GET', 'k'],
    ['SET', 'new2', 'v', 'NX', 'GET'],
    ['SET', 'k', 'v8', 'XX', 'GET'],
    ['SET', 'nx2', 'v8', 'XX', 'GET'],
    ['GET', 'nx2'],
    ['SET', 'k', 'v', 'EX'],
    ['SET', 'k', 'v', 'EX', '0'],
    ['SET', 'k', 'v', 'EX', '-1'],
    ['SET', 'k', 'v', 'EX', 'abc'],
    ['SET', 'k', 'v', 'EX', '1.5'],
    ['SET', 'k', 'v', 'PX', '0'],
    ['SET', 'k', 'v', 'EXAT', '0'],
    ['SET', 'k', 'v', 'PXAT', '-5'],
    ['SET', 'k', 'v', 'EX', I64_MAX],
    ['SET', 'k', 'v', 'EX', '9223372036854775'],
    ['SET', 'k', 'v', 'EX', '9223372036854776'],
    ['SET', 'k', 'v', 'PX', I64_MAX],
    ['SET', 'k', 'v', 'PX', '9223372036854775000'],
    ['SET', 'k', 'v', 'EXAT', '9223372036854775'],
    ['SET', 'k', 'v', 'EXAT', '9223372036854776'],
    ['SET', 'k', 'v', 'PX', '99999999999999999999'],
    ['SET', 'k', 'v', 'EX', '10', 'PX', '100'],
    ['SET', 'k', 'v', 'EX', '10', 'EX', '20'],
    ['SET', 'k', 'v', 'PX', '10000', 'PX', '20000'],
    ['SET', 'k', 'v', 'EX', '10', 'KEEPTTL'],
    ['SET', 'k', 'v', 'KEEPTTL', 'EX', '10'],
    ['SET', 'k', 'v', 'KEEPTTL', 'KEEPTTL'],
    ['SET', 'k', 'v', 'EXAT', '10', 'PXAT', '10'],
    ['SET', 'k', 'v', 'PERSIST'],
    ['SET', 'k', 'v', 'FOO'],
    ['SET', 'k', 'v', 'EXX', '1'],
    ['SET', 'k', 'v', 'N'],
    ['SET', 'k', 'v', 'GETT'],
    ['SET', 'k', 'v', 'EX', 'GET'],
    ['GET', 'k'],
    // Options are compared as C strings: up to the first NUL.
    ['SET', 'k', 'v', 'NX\x00junk'],
    ['SET', 'k', 'v9', 'GET\x00'],
    ['SET', 'k', 'v', 'EX', '10\x00'],
    ['GETEX', 'k', 'PERSIST\x00x'],
    ['LCS', 'k', 'k', 'LEN\x00x'],
  ]);
  await check('SET', 'e1', 'v', 'EX', '100');
  await checkTtl('e1');
  await check('SET', 'e2', 'v', 'PX', '100000');
  await checkTtl('e2');
  await check('SET', 'e3', 'v', 'EXAT', String(future));
  await checkTtl('e3');
  await check('SET', 'e4', 'v', 'PXAT', String(future * 1000));
  await checkTtl('e4');
  await check('SET', 'e4', 'v2', 'KEEPTTL');
  await checkTtl('e4');
  await check('SET', 'e4', 'v3', 'KEEPTTL', 'GET', 'XX');
  await checkTtl('e4');
  await check('SET', 'e4', 'v4');
  await checkTtl('e4');
  await check('SET', 'e5', 'v', 'ex', '100', 'nx', 'get');
  await checkTtl('e5');
  await check('SET', 'e5', 'v', 'px', '100000', 'xx', 'get');
  await checkTtl('e5');
  await check('SET', 'e6', 'v', 'EX', '100');
  await check('SET', 'e6', 'w', 'NX', 'EX', '5');
  await checkTtl('e6');
  await check('SET', 'e6', 'w', 'XX', 'EX', '5');
  await checkTtl('e6');
  // A past absolute time: the key is set, then found expired.
  await check('SET', 'past', 'v', 'EXAT', '1');
  await check('GET', 'past');
  await check('SET', 'past2', 'v', 'PXAT', String(Date.now() - 10000), 'GET');
  await check('GET', 'past2');
  await check('SET', 'e7', 'v', 'PX', '9223370000000000000');
  await check('SET', 'e8', 'v', 'EXAT', '9223372036854775');
  await check('GET', 'e8');
  // Short TTL really expires.
  await check('SET', 'short', 'v', 'PX', '30');
  await new Promise((r) => setTimeout(r, 80));
  await check('GET', 'short');
  await check('SET', 'short', 'again', 'NX');
  await check('GET', 'short');
});

test('SET/GET/GETSET/GETDEL/GETEX/MGET/STRLEN/APPEND/SETRANGE/GETRANGE on wrong types', { skip }, async () => {
  await reset();
  await makeList('l');
  await checkAll([
    ['GET', 'l'],
    ['GETSET', 'l', 'x'],
    ['GETDEL', 'l'],
    ['GETEX', 'l'],
    ['GETEX', 'l', 'PERSIST'],
    ['GETEX', 'l', 'EX', '0'],
    ['MGET', 'l', 'nokey'],
    ['STRLEN', 'l'],
    ['APPEND', 'l', 'x'],
    ['APPEND', 'l', ''],
    ['SETRANGE', 'l', '0', 'x'],
    ['SETRANGE', 'l', '0', ''],
    ['SETRANGE', 'l', '-1', 'x'],
    ['SETRANGE', 'l', 'a', 'x'],
    ['GETRANGE', 'l', '0', '1'],
    ['GETRANGE', 'l', 'a', '1'],
    ['SUBSTR', 'l', '0', '1'],
    ['INCR', 'l'],
    ['DECR', 'l'],
    ['INCRBY', 'l', '2'],
    ['INCRBY', 'l', 'x'],
    ['DECRBY', 'l', '2'],
    ['INCRBYFLOAT', 'l', '1.5'],
    ['INCRBYFLOAT', 'l', 'x'],
    ['LCS', 'l', 'nokey'],
    ['LCS', 'nokey', 'l'],
    ['LCS', 'l', 'l', 'BADOPT'],
    ['SET', 'l', 'v', 'GET'],
    ['SET', 'l', 'v', 'NX'],
    ['SET', 'l', 'v', 'XX', 'GET'],
    ['SET', 'l', 'v', 'EX', '0', 'GET'],
    ['SETNX', 'l', 'v'],
    ['MSETNX', 'l', 'v', 'other', 'v'],
    ['GET', 'other'],
    ['SET', 'l', 'now a string'],
    ['GET', 'l'],
  ]);
  await makeList('l2');
  await check('MSET', 'l2', 'str', 'x', 'y');
  await check('GET', 'l2');
  await makeList('l3');
  await check('SETEX', 'l3', '100', 'str');
  await check('GET', 'l3');
  await checkTtl('l3');
});

test('wrong arity for every command', { skip }, async () => {
  await reset();
  await checkAll([
    ['GET'], ['SET'], ['SET', 'k'], ['SETNX', 'k'], ['SETNX', 'k', 'v', 'x'], ['SETEX', 'k', '10'],
    ['SETEX', 'k', '10', 'v', 'x'], ['PSETEX', 'k'], ['GETEX'], ['GETDEL'], ['GETDEL', 'a', 'b'], ['GETSET', 'k'],
    ['MGET'], ['MSET'], ['MSET', 'k'], ['MSET', 'k', 'v', 'k2'], ['MSETNX', 'k'], ['MSETNX', 'k', 'v', 'k2'],
    ['APPEND', 'k'], ['STRLEN'], ['STRLEN', 'a', 'b'], ['GETRANGE', 'k', '0'], ['SUBSTR', 'k'], ['SETRANGE', 'k', '0'],
    ['INCR'], ['INCR', 'a', 'b'], ['DECR'], ['INCRBY', 'k'], ['DECRBY', 'k', '1', '2'], ['INCRBYFLOAT', 'k'],
    ['LCS', 'a'], ['LCS'],
  ]);
});

test('SETNX, SETEX, PSETEX, GETSET, GETDEL, MSET, MSETNX, MGET', { skip }, async () => {
  await reset();
  await checkAll([
    ['SETNX', 'a', '1'],
    ['SETNX', 'a', '2'],
    ['GET', 'a'],
    ['SETEX', 'b', '100', 'v'],
    ['SETEX', 'b', '0', 'v'],
    ['SETEX', 'b', '-10', 'v'],
    ['SETEX', 'b', 'x', 'v'],
    ['SETEX', 'b', I64_MAX, 'v'],
    ['PSETEX', 'c', '100000', 'v'],
    ['PSETEX', 'c', '0', 'v'],
    ['PSETEX', 'c', I64_MAX, 'v'],
    ['PSETEX', 'c', '1.5', 'v'],
    ['GET', 'b'],
    ['GET', 'c'],
    ['GETSET', 'a', 'new'],
    ['GETSET', 'nokey', 'v'],
    ['GET', 'nokey'],
    ['GETSET', 'a', '12345'],
    ['GETDEL', 'a'],
    ['GETDEL', 'a'],
    ['GET', 'a'],
    ['MSET', 'm1', '1', 'm2', 'two', 'm1', 'one again'],
    ['MGET', 'm1', 'm2', 'm3', 'b'],
    ['MSETNX', 'm3', '3', 'm4', '4'],
    ['MSETNX', 'm4', 'x', 'm5', '5'],
    ['MGET', 'm3', 'm4', 'm5'],
    ['MSETNX', 'm6', 'a', 'm6', 'b'],
    ['GET', 'm6'],
    ['MSET', 'bin\x00', '\xff\x00', 'e', ''],
    ['MGET', 'bin\x00', 'e'],
  ]);
  await checkTtl('b');
  await checkTtl('c');
  await checkEncoding('m1');
  await checkEncoding('m3');
  await check('GETSET', 'b', 'drops ttl');
  await checkTtl('b');
  await check('SETEX', 'e', '100', '42');
  await checkEncoding('e');
  await check('MSET', 'c', 'x');
  await checkTtl('c');
  await check('SETNX', 'n', '777');
  await checkEncoding('n');
});

test('GETEX with every option and error', { skip }, async () => {
  await reset();
  const future = Math.floor(Date.now() / 1000) + 1000;
  await checkAll([
    ['SET', 'k', 'v'],
    ['GETEX', 'k'],
    ['GETEX', 'nokey'],
    ['GETEX', 'nokey', 'EX', '0'],
    ['GETEX', 'nokey', 'FOO'],
    ['GETEX', 'k', 'EX'],
    ['GETEX', 'k', 'EX', '0'],
    ['GETEX', 'k', 'EX', '-1'],
    ['GETEX', 'k', 'EX', 'x'],
    ['GETEX', 'k', 'PX', '0'],
    ['GETEX', 'k', 'EXAT', '0'],
    ['GETEX', 'k', 'PXAT', '0'],
    ['GETEX', 'k', 'EX', I64_MAX],
    ['GETEX', 'k', 'PX', I64_MAX],
    ['GETEX', 'k', 'EX', '10', 'PX', '10'],
    ['GETEX', 'k', 'EX', '10', 'PERSIST'],
    ['GETEX', 'k', 'PERSIST', 'EX', '10'],
    ['GETEX', 'k', 'PERSIST', 'PERSIST'],
    ['GETEX', 'k', 'NX'],
    ['GETEX', 'k', 'GET'],
    ['GETEX', 'k', 'KEEPTTL'],
    ['GETEX', 'k', 'EX', '10', 'EX', '20'],
  ]);
  await checkTtl('k');
  await check('GETEX', 'k', 'PERSIST');
  await checkTtl('k');
  await check('GETEX', 'k', 'PX', '50000');
  await checkTtl('k');
  await check('GETEX', 'k', 'EXAT', String(future));
  await checkTtl('k');
  await check('GETEX', 'k', 'PXAT', String(future * 1000 + 500));
  await checkTtl('k');
  await check('GETEX', 'k');
  await checkTtl('k');
  await check('GETEX', 'k', 'persist');
  await checkTtl('k');
  await check('GETEX', 'k', 'PERSIST');
  await checkTtl('k');
  await check('GETEX', 'k', 'ex', '100');
  await checkTtl('k');
  // An absolute time in the past deletes the key after replying its value.
  await check('GETEX', 'k', 'EXAT', '1');
  await check('GET', 'k');
  await check('SET', 'k2', '123');
  await check('GETEX', 'k2', 'PXAT', String(Date.now() - 1000));
  await check('GETEX', 'k2');
  await check('SET', 'k3', 'bin\x00\xff');
  await check('GETEX', 'k3', 'PX', '100000');
});

test('APPEND, STRLEN, SETRANGE, GETRANGE, SUBSTR with encodings and limits', { skip }, async () => {
  await reset();
  await checkAll([
    ['APPEND', 'a', 'hello'],
    ['APPEND', 'a', ' world'],
    ['GET', 'a'],
    ['STRLEN', 'a'],
    ['STRLEN', 'nokey'],
    ['APPEND', 'a', ''],
    ['APPEND', 'n', '123'],
    ['STRLEN', 'n'],
    ['APPEND', 'n', '4'],
    ['INCR', 'n'],
    ['SET', 'i', '-9223372036854775808'],
    ['STRLEN', 'i'],
    ['APPEND', 'i', '0'],
    ['GET', 'i'],
    ['APPEND', 'bin', '\x00\xff'],
    ['APPEND', 'bin', '\x00'],
    ['GET', 'bin'],
    ['SETRANGE', 's', '0', 'abc'],
    ['SETRANGE', 's', '5', 'xy'],
    ['GET', 's'],
    ['SETRANGE', 's', '1', 'Z'],
    ['SETRANGE', 's', '0', ''],
    ['SETRANGE', 's', '100', ''],
    ['SETRANGE', 'nokey', '10', ''],
    ['SETRANGE', 'nokey', '-1', ''],
    ['SETRANGE', 'nokey', '-1', 'x'],
    ['SETRANGE', 'nokey', 'x', 'x'],
    ['SETRANGE', 'nokey', '1.5', 'x'],
    ['SETRANGE', 'nokey', '536870911', 'ab'],
    ['SETRANGE', 'nokey', '536870912', 'a'],
    ['SETRANGE', 'nokey', I64_MAX, 'a'],
    ['SETRANGE', 's', '536870911', 'ab'],
    ['SETRANGE', 's', '536870912', ''],
    ['GET', 'nokey'],
    ['SETRANGE', 's', '3', 'LONGER THAN BEFORE'],
    ['GET', 's'],
    ['SET', 'num', '1234'],
    ['SETRANGE', 'num', '1', '9'],
    ['GET', 'num'],
    ['INCR', 'num'],
    ['SETRANGE', 'num', '0', ''],
  ]);
  for (const k of ['a', 'n', 'i', 's', 'num', 'bin']) await checkEncoding(k);
  await check('SET', 'g', 'Hello, World');
  await check('SET', 'gi', '-12345');
  const idx = ['0', '1', '-1', '-2', '5', '-5', '11', '12', '100', '-100', '-12', '-13', I64_MAX, I64_MIN, '-9223372036854775807'];
  for (const key of ['g', 'gi', 'nokey']) {
    for (const s of idx) {
      for (const e of idx) await check('GETRANGE', key, s, e);
    }
  }
  await checkAll([
    ['SET', 'e', ''],
    ['GETRANGE', 'e', '0', '-1'],
    ['GETRANGE', 'e', '0', '0'],
    ['GETRANGE', 'g', 'x', '1'],
    ['GETRANGE', 'g', '1', 'x'],
    ['GETRANGE', 'g', '1', '99999999999999999999'],
    ['SUBSTR', 'g', '0', '4'],
    ['SUBSTR', 'g', '-5', '-1'],
  ]);
});

test('1 MB values', { skip }, async () => {
  await reset();
  const big = Buffer.alloc(1 << 20);
  for (let i = 0; i < big.length; i++) big[i] = (i * 7919) & 0xff;
  await checkAll([
    ['SET', 'big', big],
    ['GET', 'big'],
    ['STRLEN', 'big'],
    ['APPEND', 'big', big],
    ['STRLEN', 'big'],
    ['GETRANGE', 'big', '1048000', '1049000'],
    ['SETRANGE', 'big', '3000000', 'end'],
    ['STRLEN', 'big'],
    ['GETRANGE', 'big', '-10', '-1'],
    ['SETRANGE', 'new', '1048576', 'x'],
    ['GETRANGE', 'new', '1048570', '-1'],
    ['MSET', 'b1', big, 'b2', big],
    ['MGET', 'b1', 'b2'],
    ['GETSET', 'b1', 'small'],
    ['GETDEL', 'b2'],
    ['LCS', 'big', 'b1'],
    ['LCS', 'big', 'new'],
    ['INCR', 'big'],
    ['INCRBYFLOAT', 'big', '1'],
  ]);
  await checkEncoding('big');
  await checkEncoding('b1');
});

test('INCR, DECR, INCRBY, DECRBY: int64 edges, overflow and bad numbers', { skip }, async () => {
  await reset();
  await checkAll([
    ['INCR', 'c'],
    ['INCR', 'c'],
    ['DECR', 'c'],
    ['DECR', 'd'],
    ['INCRBY', 'c', '100'],
    ['INCRBY', 'c', '-200'],
    ['DECRBY', 'c', '-5'],
    ['DECRBY', 'c', '0'],
    ['INCRBY', 'c', '0'],
    ['INCRBY', 'c', 'x'],
    ['INCRBY', 'c', '1.5'],
    ['INCRBY', 'c', ''],
    ['INCRBY', 'c', ' 1'],
    ['INCRBY', 'c', '+1'],
    ['INCRBY', 'c', '01'],
    ['INCRBY', 'c', '-0'],
    ['INCRBY', 'c', '9223372036854775808'],
    ['DECRBY', 'c', I64_MIN],
    ['DECRBY', 'nokey2', I64_MIN],
    ['GET', 'c'],
    ['SET', 'max', I64_MAX],
    ['INCR', 'max'],
    ['INCRBY', 'max', '0'],
    ['DECR', 'max'],
    ['INCRBY', 'max', '1'],
    ['INCRBY', 'max', '2'],
    ['SET', 'min', I64_MIN],
    ['DECR', 'min'],
    ['INCR', 'min'],
    ['DECRBY', 'min', '1'],
    ['DECRBY', 'min', '2'],
    ['INCRBY', 'min', I64_MAX],
    ['INCRBY', 'min', I64_MAX],
    ['INCRBY', 'min', '1'],
    ['INCRBY', 'min', I64_MIN],
    ['INCRBY', 'min', I64_MIN],
    ['SET', 'safe', '9007199254740991'],
    ['INCR', 'safe'],
    ['INCR', 'safe'],
    ['INCRBY', 'safe', '1000000000000'],
    ['DECRBY', 'safe', '1000000000003'],
    ['DECR', 'safe'],
    ['GET', 'safe'],
    ['SET', 'neg', '-9007199254740991'],
    ['DECR', 'neg'],
    ['DECRBY', 'neg', '9223372036845768816'],
    ['DECRBY', 'neg', '1'],
    ['DECRBY', 'neg', '2'],
    ['INCRBY', 'zz', I64_MIN],
    ['INCRBY', 'zz', '-1'],
    ['INCRBY', 'zz2', I64_MAX],
    ['SET', 's', 'abc'],
    ['INCR', 's'],
    ['SET', 's', '1.0'],
    ['INCR', 's'],
    ['SET', 's', '1e3'],
    ['INCR', 's'],
    ['SET', 's', ' 12'],
    ['INCR', 's'],
    ['SET', 's', '12 '],
    ['INCR', 's'],
    ['SET', 's', '012'],
    ['INCR', 's'],
    ['SET', 's', '-0'],
    ['INCR', 's'],
    ['SET', 's', '9223372036854775808'],
    ['INCR', 's'],
    ['SET', 's', ''],
    ['INCR', 's'],
    ['SET', 's', '5\x00'],
    ['INCR', 's'],
    ['APPEND', 'ap', '41'],
    ['INCR', 'ap'],
    ['SETRANGE', 'sr', '0', '99'],
    ['INCR', 'sr'],
  ]);
  for (const k of ['c', 'max', 'min', 'safe', 'neg', 'ap', 'sr', 'zz']) await checkEncoding(k);
  await check('SET', 't', '10', 'EX', '100');
  await check('INCR', 't');
  await checkTtl('t');
  await check('INCRBY', 't', '9223372036854775000');
  await checkTtl('t');
});

test('INCRBYFLOAT: long double arithmetic and formatting', { skip }, async () => {
  await reset();
  const cmds: Args[] = [
    ['INCRBYFLOAT', 'f', '0.1'],
    ['INCRBYFLOAT', 'f', '0.2'],
    ['INCRBYFLOAT', 'f', '-0.3'],
    ['INCRBYFLOAT', 'f', '1e300'],
    ['INCRBYFLOAT', 'f', '-1e300'],
    ['INCRBYFLOAT', 'f', '1e400'],
    ['INCRBYFLOAT', 'f', '1e4932'],
    ['INCRBYFLOAT', 'f', '1e5000'],
    ['INCRBYFLOAT', 'f', '1e-20'],
    ['INCRBYFLOAT', 'f', 'inf'],
    ['INCRBYFLOAT', 'f', '-inf'],
    ['INCRBYFLOAT', 'f', 'infinity'],
    ['INCRBYFLOAT', 'f', 'nan'],
    ['INCRBYFLOAT', 'f', 'abc'],
    ['INCRBYFLOAT', 'f', ''],
    ['INCRBYFLOAT', 'f', ' 1'],
    ['INCRBYFLOAT', 'f', '1 '],
    ['INCRBYFLOAT', 'f', '1e'],
    ['INCRBYFLOAT', 'f', '.5'],
    ['INCRBYFLOAT', 'f', '5.'],
    ['INCRBYFLOAT', 'f', '+.5e1'],
    ['INCRBYFLOAT', 'f', '0x10'],
    ['INCRBYFLOAT', 'f', '0x1.8p1'],
    ['INCRBYFLOAT', 'f', '1e-5000'],
    ['INCRBYFLOAT', 'f', '3.6e-4951'],
    ['INCRBYFLOAT', 'f', '1' + '0'.repeat(5200)],
    ['INCRBYFLOAT', 'g', '-0'],
    ['INCRBYFLOAT', 'g', '-0.000000000000000001'],
    ['INCRBYFLOAT', 'g', '0.000003814697265625'],
    ['INCRBYFLOAT', 'h', '3'],
    ['INCRBYFLOAT', 'h', '-3.0'],
    ['INCRBYFLOAT', 'h', '1.23456789012345678901234567890'],
    ['INCRBYFLOAT', 'h', '10.5'],
    ['INCRBYFLOAT', 'h', '-12345678901234567.5'],
    ['SET', 'i', I64_MAX],
    ['INCRBYFLOAT', 'i', '1'],
    ['INCRBYFLOAT', 'i', '0.5'],
    ['SET', 'j', '5.0e3'],
    ['INCRBYFLOAT', 'j', '1'],
    ['SET', 'j', '1.5abc'],
    ['INCRBYFLOAT', 'j', '1'],
    ['SET', 'j', 'inf'],
    ['INCRBYFLOAT', 'j', '1'],
    ['SET', 'j', ' 5'],
    ['INCRBYFLOAT', 'j', '1'],
    ['SET', 'j', ''],
    ['INCRBYFLOAT', 'j', '1'],
    ['SET', 'k', '10.50'],
    ['INCRBYFLOAT', 'k', '0'],
    ['SET', 'k', '1.7976931348623157e308'],
    ['INCRBYFLOAT', 'k', '1.7976931348623157e308'],
    ['INCRBYFLOAT', 'k', '1e-300'],
  ];
  await checkAll(cmds);
  for (const k of ['f', 'g', 'h', 'i', 'j', 'k']) await checkEncoding(k);
  await check('SET', 't', '1.5', 'PX', '100000');
  await check('INCRBYFLOAT', 't', '2.5');
  await checkTtl('t');
  await checkEncoding('t');
  // A chain of random-ish increments stays byte-identical.
  const incs = ['0.1', '-0.7', '1.1e-3', '123.456', '-99.99', '3.3333333333333333', '1e10', '-1e10', '7e-7', '0.05'];
  for (let i = 0; i < 60; i++) await check('INCRBYFLOAT', 'chain', incs[(i * 7) % incs.length]);
});

test('LCS: LEN, IDX, MINMATCHLEN, WITHMATCHLEN, errors, RESP3 map', { skip }, async () => {
  await reset();
  await checkAll([
    ['SET', 'a', 'ohmytext'],
    ['SET', 'b', 'mynewtext'],
    ['LCS', 'a', 'b'],
    ['LCS', 'a', 'b', 'LEN'],
    ['LCS', 'a', 'b', 'IDX'],
    ['LCS', 'a', 'b', 'IDX', 'WITHMATCHLEN'],
    ['LCS', 'a', 'b', 'IDX', 'MINMATCHLEN', '4'],
    ['LCS', 'a', 'b', 'IDX', 'MINMATCHLEN', '4', 'WITHMATCHLEN'],
    ['LCS', 'a', 'b', 'idx', 'minmatchlen', '-5', 'withmatchlen'],
    ['LCS', 'a', 'b', 'MINMATCHLEN', '2'],
    ['LCS', 'a', 'b', 'LEN', 'MINMATCHLEN', '2'],
    ['LCS', 'a', 'b', 'WITHMATCHLEN'],
    ['LCS', 'a', 'b', 'LEN', 'IDX'],
    ['LCS', 'a', 'b', 'IDX', 'LEN'],
    ['LCS', 'a', 'b', 'MINMATCHLEN'],
    ['LCS', 'a', 'b', 'MINMATCHLEN', 'x'],
    ['LCS', 'a', 'b', 'MINMATCHLEN', '1.5'],
    ['LCS', 'a', 'b', 'FOO'],
    ['LCS', 'a', 'nokey'],
    ['LCS', 'nokey', 'nokey2', 'IDX'],
    ['LCS', 'nokey', 'nokey2', 'LEN'],
    ['LCS', 'a', 'a', 'IDX', 'WITHMATCHLEN'],
    ['SET', 'n1', '1234567'],
    ['SET', 'n2', '-2468'],
    ['LCS', 'n1', 'n2', 'IDX', 'WITHMATCHLEN'],
    ['SET', 'x1', 'a\x00b\xffc\x00'],
    ['SET', 'x2', '\x00\xffc'],
    ['LCS', 'x1', 'x2'],
    ['LCS', 'x1', 'x2', 'IDX'],
  ]);
  const words = ['GATTACAGATTACA', 'TAGACCATAGGAC', 'AAAAABBBBBAAAAA', 'ABABABABAB', 'BABABABA', 'XYZ', 'Z', 'ABCDEFGHIJ', 'JIHGFEDCBA'];
  for (let i = 0; i < words.length; i++) await check('SET', `w${i}`, words[i]);
  for (let i = 0; i < words.length; i++) {
    for (let j = 0; j < words.length; j++) {
      await check('LCS', `w${i}`, `w${j}`);
      await check('LCS', `w${i}`, `w${j}`, 'IDX', 'WITHMATCHLEN');
      await check('LCS', `w${i}`, `w${j}`, 'IDX', 'MINMATCHLEN', '2');
    }
  }
  await pair.resp(3);
  await check('LCS', 'a', 'b', 'IDX', 'WITHMATCHLEN');
  await check('LCS', 'a', 'b', 'IDX');
  await check('LCS', 'nokey', 'b', 'IDX');
  await check('LCS', 'a', 'b', 'LEN');
  await check('LCS', 'a', 'b');
  const big = 'x'.repeat(12000);
  await check('SET', 'big', big);
  await check('LCS', 'big', 'big', 'LEN');
});

test('RESP3 replies', { skip }, async () => {
  await reset();
  await pair.resp(3);
  await makeList('l');
  await checkAll([
    ['GET', 'nokey'],
    ['SET', 'k', 'v', 'GET'],
    ['SET', 'k', 'w', 'GET'],
    ['SET', 'k', 'x', 'NX'],
    ['SET', 'k2', 'x', 'XX'],
    ['SET', 'k2', 'x', 'XX', 'GET'],
    ['SETNX', 'k', 'v'],
    ['GETEX', 'nokey'],
    ['GETEX', 'k', 'PERSIST'],
    ['GETDEL', 'nokey'],
    ['GETSET', 'nokey', '1'],
    ['MGET', 'k', 'nokey', 'l', 'nokey'],
    ['INCR', 'nokey'],
    ['INCRBYFLOAT', 'f', '1.5'],
    ['GETRANGE', 'nokey', '0', '-1'],
    ['STRLEN', 'nokey'],
    ['GET', 'l'],
    ['INCRBY', 'k', 'x'],
  ]);
});
