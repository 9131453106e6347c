// Property-based differential test: random sequences of string commands on a
// small key set (one key holding a list, for WRONGTYPE paths), run against
// Spinel and the reference server; every reply must be byte-identical.
// Expire times are long or absolute so that no key expires between the two
// servers' executions.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { usePair, type DiffPair, type Args } from '../helpers/differential.js';
import { RObj, ObjType, Enc } from '../../src/db/robj.js';

let pair: DiffPair;
const skip = usePair((p) => (pair = p));

async function reset(): Promise<void> {
  const [s] = await pair.both('FLUSHALL');
  if (s.startsWith('-')) for (const db of pair.spinelServer.server.keyspace.dbs) db.flush();
  const [l] = await pair.both('RPUSH', 'l', 'x', 'y');
  if (l.startsWith('-')) pair.spinelServer.server.keyspace.dbs[0].setKey('l', new RObj(ObjType.List, Enc.Listpack, ['x', 'y'], 0));
}

const I64_MAX = '9223372036854775807';
const I64_MIN = '-9223372036854775808';
const FUTURE_S = String(Math.floor(Date.now() / 1000) + 100000);
const FUTURE_MS = String(Date.now() + 100000000);

const key = fc.constantFrom('a', 'b', 'c', 'l', 'n\x00\xff');
const intText = fc.oneof(
  fc.integer({ min: -20, max: 20 }).map(String),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String),
  fc.constantFrom(I64_MAX, I64_MIN, '9007199254740991', '9007199254740993', '-9007199254740993', '9223372036854775808', '01', '-0', '+1', '1.5', '', 'x'),
);
const floatText = fc.oneof(
  fc.double({ noNaN: true }).map(String),
  fc.integer({ min: -1000, max: 1000 }).map((n) => (n / 100).toString()),
  fc.constantFrom('0.1', '-0.2', '1e300', '-1e300', '1e400', '1e-20', '3', '-3.0', 'inf', '-inf', 'nan', 'abc', ' 1', '0x1p3', '.5', '5.', '1e'),
);
const bytes = fc.uint8Array({ maxLength: 12 }).map((a) => Buffer.from(a).toString('latin1'));
const abc = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '1'), maxLength: 12 });
const value = fc.oneof(intText, floatText, bytes, abc, abc, fc.constantFrom('', 'hello', 'x'.repeat(44), 'y'.repeat(45)));
const setOpt = fc.constantFrom(
  ['NX'], ['XX'], ['GET'], ['KEEPTTL'], ['EX', '1000'], ['PX', '1000000'], ['EXAT', FUTURE_S], ['PXAT', FUTURE_MS],
  ['EXAT', '1'], ['PXAT', '1000'], ['EX', '0'], ['PX', '-5'], ['EX', 'x'], ['EX'], ['PERSIST'], ['BAD'], ['nx'], ['get'],
);
const getexOpt = fc.constantFrom(
  ['PERSIST'], ['EX', '1000'], ['PX', '1000000'], ['EXAT', FUTURE_S], ['PXAT', FUTURE_MS], ['EXAT', '1'], ['PXAT', '1'],
  ['EX', '0'], ['EX'], ['NX'], ['KEEPTTL'], ['BAD'],
);
const lcsOpt = fc.constantFrom(['LEN'], ['IDX'], ['WITHMATCHLEN'], ['MINMATCHLEN', '2'], ['MINMATCHLEN', '-1'], ['MINMATCHLEN', 'x'], ['MINMATCHLEN'], ['BAD']);
const offset = fc.oneof(fc.integer({ min: -3, max: 30 }).map(String), fc.constantFrom(I64_MAX, I64_MIN, '536870912', 'x'));
const index = fc.oneof(fc.integer({ min: -30, max: 30 }).map(String), fc.constantFrom(I64_MAX, I64_MIN, 'x'));
const opts = (o: fc.Arbitrary<readonly string[]>) => fc.array(o, { maxLength: 3 }).map((a) => a.flat() as string[]);

const command: fc.Arbitrary<string[]> = fc.oneof(
  fc.tuple(key, value, opts(setOpt)).map(([k, v, o]) => ['SET', k, v, ...o]),
  fc.tuple(key, value).map(([k, v]) => ['SET', k, v]),
  key.map((k) => ['GET', k]),
  key.map((k) => ['GETDEL', k]),
  fc.tuple(key, value).map(([k, v]) => ['GETSET', k, v]),
  fc.tuple(key, opts(getexOpt)).map(([k, o]) => ['GETEX', k, ...o]),
  fc.array(key, { minLength: 1, maxLength: 4 }).map((ks) => ['MGET', ...ks]),
  fc.array(fc.tuple(key, value), { minLength: 1, maxLength: 3 }).map((kv) => ['MSET', ...kv.flat()]),
  fc.array(fc.tuple(key, value), { minLength: 1, maxLength: 3 }).map((kv) => ['MSETNX', ...kv.flat()]),
  fc.tuple(key, value).map(([k, v]) => ['SETNX', k, v]),
  fc.tuple(key, fc.constantFrom('1000', '0', '-1', 'x'), value).map(([k, t, v]) => ['SETEX', k, t, v]),
  fc.tuple(key, fc.constantFrom('1000000', '0', 'x'), value).map(([k, t, v]) => ['PSETEX', k, t, v]),
  fc.tuple(key, value).map(([k, v]) => ['APPEND', k, v]),
  key.map((k) => ['STRLEN', k]),
  fc.tuple(fc.constantFrom('GETRANGE', 'SUBSTR'), key, index, index).map(([c, k, s, e]) => [c, k, s, e]),
  fc.tuple(key, offset, value).map(([k, o, v]) => ['SETRANGE', k, o, v]),
  fc.tuple(fc.constantFrom('INCR', 'DECR'), key).map(([c, k]) => [c, k]),
  fc.tuple(fc.constantFrom('INCRBY', 'DECRBY'), key, intText).map(([c, k, n]) => [c, k, n]),
  fc.tuple(key, floatText).map(([k, f]) => ['INCRBYFLOAT', k, f]),
  fc.tuple(key, key, opts(lcsOpt)).map(([a, b, o]) => ['LCS', a, b, ...o]),
  // LCS ranges need strings with common parts: short strings over a small alphabet.
  fc.tuple(key, abc).map(([k, v]) => ['SET', k, v]),
  fc.tuple(fc.constantFrom('a', 'b'), fc.constantFrom('a', 'b', 'c'), fc.constantFrom([], ['WITHMATCHLEN'], ['MINMATCHLEN', '2'])).map(([a, b, o]) => ['LCS', a, b, 'IDX', ...o]),
);

test('random string command sequences match the reference', { skip }, async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(2, 3), fc.array(command, { minLength: 5, maxLength: 40, size: 'large' }), async (resp, cmds) => {
      await reset();
      await pair.resp(resp as 2 | 3);
      for (const cmd of cmds) {
        const args: Args = cmd;
        const [a, b] = await pair.both(...args);
        assert.equal(a, b, `reply to ${JSON.stringify(cmd)}`);
      }
      // The final state matches too.
      for (const k of ['a', 'b', 'c', 'n\x00\xff']) {
        const [a, b] = await pair.both('GET', k);
        assert.equal(a, b, `final GET ${k}`);
      }
    }),
    { numRuns: 300 },
  );
});
