// Hash commands against the reference redis-server.
//
// Small hashes are listpacks in both versions (insertion order, compared byte
// for byte); hashtable order is unspecified, so replies from big hashes are
// compared with their field/value pairs sorted (`checkPairs`).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { usePair, type DiffPair, type Args } from '../helpers/differential.js';
import { aggregateFrames } from '../helpers/resp.js';

let pair: DiffPair;
const skip = usePair((p) => (pair = p));

/** Sorts an aggregate's elements (group = 2 sorts field/value pairs as units). */
function sortReply(raw: string, group = 1): string {
  const f = aggregateFrames(raw);
  if (f === null) return raw;
  const units: string[] = [];
  for (let i = 0; i < f.items.length; i += group) units.push(f.items.slice(i, i + group).join(''));
  return f.hdr + units.sort().join('');
}

async function checkWith(norm: (s: string) => string, args: Args): Promise<string> {
  const [a, b] = await pair.both(...args);
  assert.equal(norm(a), norm(b), `reply to ${args.join(' ').slice(0, 200)}`);
  return a;
}

/** Compares HGETALL-like replies as sets of pairs (maps in RESP3, flat arrays in RESP2). */
const checkPairs = (...args: Args) => checkWith((s) => sortReply(s, 2), args);
/** Compares HKEYS/HVALS-like replies as multisets. */
const checkSorted = (...args: Args) => checkWith((s) => sortReply(s, 1), args);
/** HSCAN: cursor exact, pairs sorted. */
const checkScan = (...args: Args) =>
  checkWith((s) => {
    const f = aggregateFrames(s);
    return f === null ? s : f.hdr + f.items[0] + sortReply(f.items[1], 2);
  }, args);

async function reset(): Promise<void> {
  await pair.both('FLUSHALL');
  await pair.resp(2);
}

const pairs = (n: number, p = 'f'): string[] => Array.from({ length: n }, (_, i) => [`${p}${i}`, `v${i}`]).flat();

test('HSET, HGET, HMGET, HSETNX, HMSET, HDEL, HLEN, HEXISTS, HSTRLEN', { skip }, async () => {
  for (const resp of [2, 3] as const) {
    await reset();
    await pair.resp(resp);
    await pair.check('HSET', 'h', 'a', '1', 'b', '2', 'a', '3');
    await pair.check('HSET', 'h', 'c', '');
    await pair.check('HSET', 'h', 'a', '4');
    await pair.check('HGET', 'h', 'a');
    await pair.check('HGET', 'h', 'zz');
    await pair.check('HGET', 'nokey', 'a');
    await pair.check('HMGET', 'h', 'a', 'zz', 'b', 'c');
    await pair.check('HMGET', 'nokey', 'a', 'b');
    await pair.check('HSETNX', 'h', 'a', 'no');
    await pair.check('HSETNX', 'h', 'd', 'yes');
    await pair.check('HSETNX', 'n', 'x', 'y');
    await pair.check('HMSET', 'h', 'e', '5', 'f', '6');
    await pair.check('HMSET', 'h', 'e');
    await pair.check('HSET', 'h', 'e');
    await pair.check('HSET', 'h', 'e', '1', 'f');
    await pair.check('HLEN', 'h');
    await pair.check('HLEN', 'nokey');
    await pair.check('HEXISTS', 'h', 'a');
    await pair.check('HEXISTS', 'h', 'zz');
    await pair.check('HEXISTS', 'nokey', 'a');
    await pair.check('HSTRLEN', 'h', 'a');
    await pair.check('HSTRLEN', 'h', 'c');
    await pair.check('HSTRLEN', 'h', 'zz');
    await pair.check('HSTRLEN', 'nokey', 'a');
    await pair.check('HGETALL', 'h');
    await pair.check('HKEYS', 'h');
    await pair.check('HVALS', 'h');
    await pair.check('HGETALL', 'nokey');
    await pair.check('HKEYS', 'nokey');
    await pair.check('HVALS', 'nokey');
    await pair.check('HDEL', 'h', 'a', 'zz', 'a');
    await pair.check('HDEL', 'nokey', 'a');
    await pair.check('HGETALL', 'h');
    await pair.check('HDEL', 'h', 'b', 'c', 'd', 'e', 'f');
    await pair.check('EXISTS', 'h');
    await pair.check('HDEL', 'n', 'x');
    await pair.check('EXISTS', 'n');
  }
});

test('wrong types and arity', { skip }, async () => {
  await reset();
  await pair.check('SET', 'str', 'x');
  for (const cmd of [
    ['HSET', 'str', 'a', '1'],
    ['HSETNX', 'str', 'a', '1'],
    ['HMSET', 'str', 'a', '1'],
    ['HGET', 'str', 'a'],
    ['HMGET', 'str', 'a'],
    ['HDEL', 'str', 'a'],
    ['HLEN', 'str'],
    ['HEXISTS', 'str', 'a'],
    ['HSTRLEN', 'str', 'a'],
    ['HGETALL', 'str'],
    ['HKEYS', 'str'],
    ['HVALS', 'str'],
    ['HINCRBY', 'str', 'a', '1'],
    ['HINCRBY', 'str', 'a', 'x'],
    ['HINCRBYFLOAT', 'str', 'a', '1'],
    ['HRANDFIELD', 'str'],
    ['HRANDFIELD', 'str', '2'],
    ['HRANDFIELD', 'str', '2', 'WITHVALUES'],
    ['HSCAN', 'str', '0'],
    ['HSET', 'h'],
    ['HSET', 'h', 'a'],
    ['HSETNX', 'h', 'a'],
    ['HGET', 'h'],
    ['HMGET', 'h'],
    ['HDEL', 'h'],
    ['HLEN'],
    ['HGETALL'],
    ['HINCRBY', 'h', 'a'],
    ['HINCRBYFLOAT', 'h', 'a'],
    ['HRANDFIELD'],
    ['HSCAN', 'h'],
  ]) {
    await pair.check(...cmd);
  }
  await pair.check('GET', 'str');
  await pair.check('EXISTS', 'h');
});

test('HINCRBY and HINCRBYFLOAT', { skip }, async () => {
  for (const resp of [2, 3] as const) {
    await reset();
    await pair.resp(resp);
    await pair.check('HINCRBY', 'h', 'n', '5');
    await pair.check('HINCRBY', 'h', 'n', '-15');
    await pair.check('HINCRBY', 'h', 'n', '0');
    await pair.check('HINCRBY', 'h', 'n', 'x');
    await pair.check('HINCRBY', 'h', 'n', '1.5');
    await pair.check('HINCRBY', 'h', 'n', '9223372036854775808');
    await pair.check('HINCRBY', 'h', 'big', '9223372036854775807');
    await pair.check('HINCRBY', 'h', 'big', '1');
    await pair.check('HINCRBY', 'h', 'big', '-1');
    await pair.check('HINCRBY', 'h', 'small', '-9223372036854775808');
    await pair.check('HINCRBY', 'h', 'small', '-1');
    await pair.check('HINCRBY', 'h', 'small', '9223372036854775807');
    await pair.check('HSET', 'h', 's', 'abc', 'sp', ' 1', 'z', '01', 'f', '1.5', 'e', '');
    for (const f of ['s', 'sp', 'z', 'f', 'e']) await pair.check('HINCRBY', 'h', f, '1');
    await pair.check('HINCRBY', 'nokey', 'a', 'x');
    await pair.check('EXISTS', 'nokey');
    await pair.check('HINCRBYFLOAT', 'h', 'fl', '1.5');
    await pair.check('HINCRBYFLOAT', 'h', 'fl', '0.25');
    await pair.check('HINCRBYFLOAT', 'h', 'fl', '-1.75');
    await pair.check('HINCRBYFLOAT', 'h', 'fl', '10');
    await pair.check('HINCRBYFLOAT', 'h', 'fl', '5e3');
    await pair.check('HINCRBYFLOAT', 'h', 'n', '2.5');
    await pair.check('HINCRBYFLOAT', 'h', 'f', '1');
    await pair.check('HINCRBYFLOAT', 'h', 'z', '1');
    await pair.check('HINCRBYFLOAT', 'h', 's', '1');
    await pair.check('HINCRBYFLOAT', 'h', 'sp', '1');
    await pair.check('HINCRBYFLOAT', 'h', 'e', '1');
    for (const bad of ['x', ' 1', '1 ', '', 'inf', '-inf', 'nan', '1e', '--1']) {
      await pair.check('HINCRBYFLOAT', 'h', 'fl', bad);
    }
    // Long double arithmetic and formatting.
    for (const v of ['0.1', '0.2', '1e10', '3.0e-5', '-7', '1e20', '123456789.123456789', '0.000001', '2.5e-10', '-1e20']) {
      await pair.check('HINCRBYFLOAT', 'h', 'ld', v);
    }
    await pair.check('HSET', 'h', 'huge', '1e400', 'tiny', '1e-400');
    await pair.check('HINCRBYFLOAT', 'h', 'huge', '1');
    await pair.check('HINCRBYFLOAT', 'h', 'tiny', '0');
    await pair.check('HINCRBYFLOAT', 'h', 'fl', '1e-5000');
    await pair.check('HINCRBYFLOAT', 'nokey', 'a', 'x');
    await pair.check('HINCRBYFLOAT', 'nokey', 'a', 'inf');
    await pair.check('EXISTS', 'nokey');
    // The 1e400 result is longer than 64 bytes: a hashtable now.
    await checkPairs('HGETALL', 'h');
  }
});

test('HRANDFIELD deterministic cases and reply shapes', { skip }, async () => {
  for (const resp of [2, 3] as const) {
    await reset();
    await pair.resp(resp);
    await pair.check('HRANDFIELD', 'nokey');
    await pair.check('HRANDFIELD', 'nokey', '5');
    await pair.check('HRANDFIELD', 'nokey', '-5');
    await pair.check('HRANDFIELD', 'nokey', '0');
    await pair.check('HRANDFIELD', 'nokey', '-5', 'WITHVALUES');
    await pair.check('HRANDFIELD', 'nokey', 'x');
    await pair.check('HRANDFIELD', 'nokey', '1', 'WITHVALUES', 'x');
    await pair.check('HRANDFIELD', 'nokey', '1', 'foo');
    await pair.check('HRANDFIELD', 'nokey', '9223372036854775807', 'WITHVALUES');
    await pair.check('HRANDFIELD', 'nokey', '-4611686018427387904', 'WITHVALUES');
    await pair.check('HRANDFIELD', 'nokey', '-9223372036854775808');
    await pair.check('HSET', 'one', 'f', 'v');
    await pair.check('HRANDFIELD', 'one');
    await pair.check('HRANDFIELD', 'one', '1');
    await pair.check('HRANDFIELD', 'one', '-3');
    await pair.check('HRANDFIELD', 'one', '-3', 'withvalues');
    await pair.check('HRANDFIELD', 'one', '0', 'WITHVALUES');
    await pair.check('HSET', 'h', ...pairs(5));
    // count >= size returns the whole (listpack-ordered) hash.
    await pair.check('HRANDFIELD', 'h', '5');
    await pair.check('HRANDFIELD', 'h', '50', 'WITHVALUES');
    for (const [n, fieldsCount] of [
      [5, 5],
      [600, 600],
    ]) {
      await pair.both('DEL', 'r');
      await pair.both('HSET', 'r', ...pairs(fieldsCount));
      for (const count of [1, 2, n - 1, -1, -3, -(n * 2)]) {
        for (const wv of [false, true]) {
          const args = ['HRANDFIELD', 'r', String(count), ...(wv ? ['WITHVALUES'] : [])];
          const [a, b] = await pair.both(...args);
          const fa = aggregateFrames(a)!;
          const fb = aggregateFrames(b)!;
          assert.equal(fa.hdr, fb.hdr, `header of ${args.join(' ')}`);
          assert.equal(fa.items.length, fb.items.length);
          if (wv && resp === 3) for (const it of fa.items) assert.match(it, /^\*2\r\n\$\d+\r\nf(\d+)\r\n\$\d+\r\nv\1\r\n$/);
          if (count > 0) assert.equal(new Set(fa.items).size, fa.items.length, 'unique');
        }
      }
    }
  }
});

test('big hashes (hashtable) and conversions', { skip }, async () => {
  for (const resp of [2, 3] as const) {
    await reset();
    await pair.resp(resp);
    // hash-max-listpack-entries is 512 by default: still a listpack (ordered).
    await pair.check('HSET', 'h', ...pairs(512));
    await pair.check('HGETALL', 'h');
    await pair.check('HSET', 'h', 'one-more', 'x');
    await checkPairs('HGETALL', 'h');
    await checkSorted('HKEYS', 'h');
    await checkSorted('HVALS', 'h');
    await pair.check('HLEN', 'h');
    await pair.check('HDEL', 'h', 'f0', 'f1', 'f511', 'zz');
    await checkPairs('HGETALL', 'h');
    await pair.check('HMGET', 'h', 'f0', 'f2', 'one-more');
    await pair.check('HSET', 'long', 'a', '1', 'b', 'x'.repeat(65));
    await checkPairs('HGETALL', 'long');
    await pair.check('HSET', 'longf', 'y'.repeat(65), '1');
    await pair.check('HSTRLEN', 'longf', 'y'.repeat(65));
    await pair.check('HINCRBY', 'longf', 'z'.repeat(70), '3');
    await checkPairs('HGETALL', 'longf');
    const bin = Buffer.from([0, 255, 13, 10, 7]);
    await pair.check('HSET', bin, bin, bin, '', '');
    await pair.check('HGETALL', bin);
    await pair.check('HGET', bin, '');
    await pair.check('HSET', 'huge', 'f', 'v'.repeat(200000));
    await pair.check('HGET', 'huge', 'f');
    await pair.check('HSTRLEN', 'huge', 'f');
  }
});

test('HSCAN', { skip }, async () => {
  for (const resp of [2, 3] as const) {
    await reset();
    await pair.resp(resp);
    await pair.check('HSCAN', 'nokey', '0');
    await pair.check('HSCAN', 'nokey', 'x');
    await pair.check('HSCAN', 'nokey', '0', 'COUNT', '0');
    await pair.check('HSET', 'h', ...pairs(20));
    await pair.check('HSCAN', 'h', '0');
    await pair.check('HSCAN', 'h', '0', 'COUNT', '1');
    await pair.check('HSCAN', 'h', '123', 'COUNT', '1');
    await pair.check('HSCAN', 'h', '0', 'MATCH', 'f1*');
    await pair.check('HSCAN', 'h', '0', 'MATCH', 'v1*');
    await pair.check('HSCAN', 'h', '0', 'match', '*', 'count', '5');
    await pair.check('HSCAN', 'h', '0', 'COUNT', '0');
    await pair.check('HSCAN', 'h', '0', 'COUNT', '-1');
    await pair.check('HSCAN', 'h', '0', 'COUNT', 'x');
    await pair.check('HSCAN', 'h', '0', 'MATCH');
    await pair.check('HSCAN', 'h', '0', 'TYPE', 'hash');
    await pair.check('HSCAN', 'h', '0', 'NOVALUES');
    await pair.check('HSCAN', 'h', 'abc');
    await pair.check('HSET', 'ht', 'a', '1', 'b', '2', 'long', 'x'.repeat(80));
    await checkScan('HSCAN', 'ht', '0');
    await checkScan('HSCAN', 'ht', '0', 'MATCH', '?');
  }
});

test('HSCAN walks a hashtable hash completely', { skip }, async () => {
  await reset();
  await pair.both('HSET', 'h', ...pairs(1000));
  for (const count of [1, 10, 400]) {
    const seen = new Map<string, string>();
    let cursor = '0';
    let calls = 0;
    do {
      const [c, items] = (await pair.spinel.value('HSCAN', 'h', cursor, 'COUNT', count)) as [string, string[]];
      for (let i = 0; i < items.length; i += 2) seen.set(items[i], items[i + 1]);
      cursor = c;
      calls++;
    } while (cursor !== '0' && calls < 5000);
    assert.equal(seen.size, 1000);
    for (const [f, v] of seen) assert.equal(v, 'v' + f.slice(1));
  }
});

// ---- Property test: random op sequences, replies compared with the reference ----

const FIELDS = ['a', 'b', 'c', '1', '', 'long'.repeat(20)];
const VALUES = ['1', '-2', '10', 'x', '', '1.5', 'v'.repeat(70)];
const KEYS = ['k1', 'k2'];
const fieldArb = fc.constantFrom(...FIELDS);
const valueArb = fc.constantFrom(...VALUES);
const keyArb = fc.constantFrom(...KEYS);
type Op = { args: string[]; norm: 'exact' | 'pairs' | 'sorted' };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(keyArb, fc.array(fc.tuple(fieldArb, valueArb), { minLength: 1, maxLength: 4 }))
      .map(([k, ps]) => ({ args: ['HSET', k, ...ps.flat()], norm: 'exact' as const })),
  },
  { weight: 2, arbitrary: fc.tuple(keyArb, fieldArb, valueArb).map(([k, f, v]) => ({ args: ['HSETNX', k, f, v], norm: 'exact' as const })) },
  {
    weight: 3,
    arbitrary: fc.tuple(keyArb, fc.array(fieldArb, { minLength: 1, maxLength: 3 })).map(([k, fs]) => ({ args: ['HDEL', k, ...fs], norm: 'exact' as const })),
  },
  { weight: 2, arbitrary: fc.tuple(keyArb, fieldArb).map(([k, f]) => ({ args: ['HGET', k, f], norm: 'exact' as const })) },
  {
    weight: 1,
    arbitrary: fc.tuple(keyArb, fc.array(fieldArb, { minLength: 1, maxLength: 3 })).map(([k, fs]) => ({ args: ['HMGET', k, ...fs], norm: 'exact' as const })),
  },
  { weight: 1, arbitrary: keyArb.map((k) => ({ args: ['HLEN', k], norm: 'exact' as const })) },
  { weight: 1, arbitrary: fc.tuple(keyArb, fieldArb).map(([k, f]) => ({ args: ['HEXISTS', k, f], norm: 'exact' as const })) },
  { weight: 1, arbitrary: fc.tuple(keyArb, fieldArb).map(([k, f]) => ({ args: ['HSTRLEN', k, f], norm: 'exact' as const })) },
  {
    weight: 2,
    arbitrary: fc.tuple(keyArb, fieldArb, fc.constantFrom('1', '-3', '100', 'x')).map(([k, f, n]) => ({ args: ['HINCRBY', k, f, n], norm: 'exact' as const })),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(keyArb, fieldArb, fc.constantFrom('1', '-0.5', '2.25')).map(([k, f, n]) => ({ args: ['HINCRBYFLOAT', k, f, n], norm: 'exact' as const })),
  },
  { weight: 2, arbitrary: keyArb.map((k) => ({ args: ['HGETALL', k], norm: 'pairs' as const })) },
  { weight: 1, arbitrary: keyArb.map((k) => ({ args: ['HKEYS', k], norm: 'sorted' as const })) },
  { weight: 1, arbitrary: keyArb.map((k) => ({ args: ['HVALS', k], norm: 'sorted' as const })) },
  { weight: 1, arbitrary: keyArb.map((k) => ({ args: ['HRANDFIELD', k, '100', 'WITHVALUES'], norm: 'pairs' as const })) },
  { weight: 1, arbitrary: keyArb.map((k) => ({ args: ['SET', k, 'str'], norm: 'exact' as const })) },
  { weight: 1, arbitrary: keyArb.map((k) => ({ args: ['DEL', k], norm: 'exact' as const })) },
);

test('random hash op sequences match the reference', { skip }, async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 40 }), fc.constantFrom(2, 3), async (ops, resp) => {
      await pair.both('FLUSHALL');
      await pair.resp(resp as 2 | 3);
      for (const op of ops) {
        if (op.norm === 'exact') await pair.check(...op.args);
        else if (op.norm === 'pairs') {
          // RESP3 HRANDFIELD WITHVALUES nests pairs: sort the pair frames; else sort flat pairs.
          const nested = op.args[0] === 'HRANDFIELD' && resp === 3;
          await checkWith((s) => sortReply(s, nested ? 1 : 2), op.args);
        } else await checkSorted(...op.args);
      }
    }),
    { numRuns: 60 },
  );
  await pair.resp(2);
});
