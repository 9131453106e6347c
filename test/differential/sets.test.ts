// Set commands against the reference redis-server, byte for byte. Redis
// leaves the order of a hashtable-encoded set to its hash table: replies that
// read one are compared as sorted multisets (`checkSorted`); small sets
// (intset: ascending; listpack: insertion order) are compared exactly.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { usePair, type DiffPair, type Args } from '../helpers/differential.js';
import { aggregateFrames } from '../helpers/resp.js';

let pair: DiffPair;
const skip = usePair((p) => (pair = p));

/** A reply with its elements sorted (set replies), or its SCAN element list sorted. */
export function sortReply(raw: string, scan = false): string {
  const f = aggregateFrames(raw);
  if (f === null) return raw;
  if (scan) return f.hdr + f.items[0] + sortReply(f.items[1]);
  return f.hdr + [...f.items].sort().join('');
}

/** Whether any argument after the command names a hashtable-encoded set on the reference. */
async function readsHashtable(args: Args): Promise<boolean> {
  for (const a of args.slice(1)) {
    if ((await pair.redis.call('OBJECT', 'ENCODING', a)) === '$9\r\nhashtable\r\n') return true;
  }
  return false;
}

/** Sends to both servers and compares, with element order ignored where a hashtable set is read. */
async function checkSorted(...args: Args): Promise<string> {
  const unordered = await readsHashtable(args);
  const [a, b] = await pair.both(...args);
  if (unordered) assert.equal(sortReply(a), sortReply(b), `reply to ${args.join(' ')}`);
  else assert.equal(a, b, `reply to ${args.join(' ')}`);
  return a;
}

async function checkScanSorted(...args: Args): Promise<string> {
  const unordered = await readsHashtable(args.slice(0, 2));
  const [a, b] = await pair.both(...args);
  if (unordered) assert.equal(sortReply(a, true), sortReply(b, true), `reply to ${args.join(' ')}`);
  else assert.equal(a, b, `reply to ${args.join(' ')}`);
  return a;
}

async function reset(): Promise<void> {
  await pair.both('FLUSHALL');
  await pair.resp(2);
}

const ints = (n: number, from = 0): string[] => Array.from({ length: n }, (_, i) => String(from + i));
const strs = (n: number, p = 'm'): string[] => Array.from({ length: n }, (_, i) => `${p}${i}`);

test('SADD, SREM, SCARD, SISMEMBER, SMISMEMBER basics', { skip }, async () => {
  await reset();
  await pair.check('SADD', 's', 'a', 'b', 'c', 'a');
  await pair.check('SADD', 's', 'a');
  await pair.check('SCARD', 's');
  await pair.check('SCARD', 'nokey');
  await pair.check('SISMEMBER', 's', 'a');
  await pair.check('SISMEMBER', 's', 'z');
  await pair.check('SISMEMBER', 'nokey', 'a');
  await pair.check('SMISMEMBER', 's', 'a', 'z', 'c');
  await pair.check('SMISMEMBER', 'nokey', 'a', 'b');
  await pair.check('SREM', 's', 'a', 'z', 'a');
  await pair.check('SREM', 'nokey', 'a');
  await pair.check('SREM', 's', 'b', 'c');
  await pair.check('EXISTS', 's');
  await pair.check('SADD', 'i', '1', '2', '-3', '01', '-0', ' 5', '9223372036854775807', '-9223372036854775808', '9223372036854775808');
  await checkSorted('SMEMBERS', 'i');
  await pair.check('SISMEMBER', 'i', '01');
  await pair.check('SISMEMBER', 'i', '9223372036854775807');
  await pair.check('SREM', 'i', '01', '-0', ' 5', '9223372036854775808');
  // Only integers are left, but the encoding does not go back to intset.
  await checkSorted('SMEMBERS', 'i');
  await pair.check('SADD', 'j', '10', '-1', '3', '1000000000000', '-99999999999999999');
  await pair.check('SMEMBERS', 'j');
  await pair.check('SISMEMBER', 'j', '1000000000000');
  await pair.check('SISMEMBER', 'j', '4');
});

test('wrong types and arity', { skip }, async () => {
  await reset();
  await pair.check('SET', 'str', 'x');
  await pair.check('HSET', 'h', 'f', 'v');
  await pair.check('SADD', 's', 'a');
  for (const cmd of [
    ['SADD', 'str', 'a'],
    ['SREM', 'str', 'a'],
    ['SCARD', 'str'],
    ['SISMEMBER', 'str', 'a'],
    ['SMISMEMBER', 'str', 'a'],
    ['SMEMBERS', 'str'],
    ['SPOP', 'str'],
    ['SPOP', 'str', '2'],
    ['SRANDMEMBER', 'str'],
    ['SRANDMEMBER', 'str', '2'],
    ['SMOVE', 'str', 's', 'a'],
    ['SMOVE', 's', 'str', 'a'],
    ['SMOVE', 's', 'h', 'zz'],
    ['SMOVE', 'nokey', 'str', 'a'],
    ['SINTER', 's', 'str'],
    ['SINTER', 'nokey', 'str'],
    ['SINTERCARD', '2', 's', 'str'],
    ['SINTERSTORE', 'd', 's', 'str'],
    ['SUNION', 's', 'str'],
    ['SUNIONSTORE', 'd', 'str'],
    ['SDIFF', 's', 'h'],
    ['SDIFF', 'nokey', 'h'],
    ['SDIFFSTORE', 'd', 's', 'h'],
    ['SSCAN', 'str', '0'],
    ['SADD', 's'],
    ['SREM', 's'],
    ['SCARD'],
    ['SISMEMBER', 's'],
    ['SMISMEMBER', 's'],
    ['SMEMBERS'],
    ['SPOP'],
    ['SPOP', 's', '1', '2'],
    ['SRANDMEMBER'],
    ['SRANDMEMBER', 's', '1', '2'],
    ['SMOVE', 's', 'd'],
    ['SINTER'],
    ['SINTERCARD', '1'],
    ['SINTERSTORE', 'd'],
    ['SUNION'],
    ['SDIFFSTORE', 'd'],
    ['SSCAN', 's'],
  ]) {
    await pair.check(...cmd);
  }
  await pair.check('GET', 'str');
  await pair.check('SMEMBERS', 's');
  await pair.check('EXISTS', 'd');
});

test('SMOVE', { skip }, async () => {
  await reset();
  await pair.check('SADD', 'a', '1', '2', 'x');
  await pair.check('SADD', 'b', '3');
  await pair.check('SMOVE', 'a', 'b', '1');
  await pair.check('SMOVE', 'a', 'b', '1');
  await pair.check('SMOVE', 'a', 'b', 'nope');
  await pair.check('SMOVE', 'nokey', 'b', '3');
  await pair.check('SMOVE', 'a', 'a', 'x');
  await pair.check('SMOVE', 'a', 'a', 'zz');
  await pair.check('SMOVE', 'a', 'c', 'x');
  await pair.check('SMOVE', 'a', 'c', '2');
  await pair.check('EXISTS', 'a');
  await pair.check('SMEMBERS', 'b');
  await checkSorted('SMEMBERS', 'c');
  await pair.check('SADD', 'd', '3');
  await pair.check('SMOVE', 'b', 'd', '3');
  await pair.check('EXISTS', 'b');
  await pair.check('SMEMBERS', 'd');
});

test('SPOP and SRANDMEMBER deterministic cases', { skip }, async () => {
  for (const resp of [2, 3] as const) {
    await reset();
    await pair.resp(resp);
    await pair.check('SPOP', 'nokey');
    await pair.check('SPOP', 'nokey', '0');
    await pair.check('SPOP', 'nokey', '3');
    await pair.check('SPOP', 'nokey', '-1');
    await pair.check('SPOP', 'nokey', 'x');
    await pair.check('SRANDMEMBER', 'nokey');
    await pair.check('SRANDMEMBER', 'nokey', '0');
    await pair.check('SRANDMEMBER', 'nokey', '5');
    await pair.check('SRANDMEMBER', 'nokey', '-5');
    await pair.check('SRANDMEMBER', 'nokey', 'x');
    await pair.check('SRANDMEMBER', 'nokey', '-9223372036854775808');
    await pair.check('SADD', 'one', 'solo');
    await pair.check('SRANDMEMBER', 'one');
    await pair.check('SRANDMEMBER', 'one', '-3');
    await pair.check('SRANDMEMBER', 'one', '1');
    await pair.check('SRANDMEMBER', 'one', '9223372036854775807');
    await pair.check('SPOP', 'one', '0');
    await pair.check('SPOP', 'one');
    await pair.check('EXISTS', 'one');
    // Intsets are sorted: taking the whole set is deterministic.
    await pair.check('SADD', 'i', '5', '3', '9', '1');
    await pair.check('SRANDMEMBER', 'i', '4');
    await pair.check('SRANDMEMBER', 'i', '100');
    await pair.check('SPOP', 'i', '100');
    await pair.check('EXISTS', 'i');
    await pair.check('SADD', 's', 'a', 'b', 'c');
    await checkSorted('SRANDMEMBER', 's', '3');
    await checkSorted('SPOP', 's', '3');
    await pair.check('EXISTS', 's');
    await pair.check('SADD', 's', 'a');
    await pair.check('SPOP', 's', '-1');
    await pair.check('SPOP', 's', '9223372036854775808');
  }
});

test('SPOP and SRANDMEMBER random replies have the right shape', { skip }, async () => {
  for (const resp of [2, 3] as const) {
    await reset();
    await pair.resp(resp);
    for (const members of [ints(20), strs(20), strs(300), ints(600)]) {
      await pair.both('DEL', 's');
      await pair.both('SADD', 's', ...members);
      for (const n of [1, 5, 19, 150, 299, 599, -1, -7, -40]) {
        const [a, b] = await pair.both('SRANDMEMBER', 's', n);
        const fa = aggregateFrames(a)!;
        const fb = aggregateFrames(b)!;
        assert.equal(fa.hdr, fb.hdr, `header of SRANDMEMBER ${n} on ${members.length}`);
        const got = fa.items.map((x) => x.split('\r\n')[1]);
        for (const m of got) assert.ok(members.includes(m), `member ${m}`);
        if (n > 0) assert.equal(new Set(got).size, got.length, 'unique');
      }
    }
    // SPOP with counts for both strategies (few of many, most of the set).
    for (const [size, n] of [[50, 3], [50, 45], [300, 20], [300, 290], [600, 100], [600, 590]]) {
      const members = size === 600 ? ints(600) : strs(size);
      await pair.both('DEL', 's');
      await pair.both('SADD', 's', ...members);
      const [a, b] = await pair.both('SPOP', 's', n);
      const fa = aggregateFrames(a)!;
      assert.equal(fa.hdr, aggregateFrames(b)!.hdr);
      const got = fa.items.map((x) => x.split('\r\n')[1]);
      assert.equal(new Set(got).size, n);
      await pair.check('SCARD', 's');
      // The rest is what was not popped.
      const rest = (await pair.spinel.value('SMEMBERS', 's')) as string[];
      assert.deepEqual([...rest, ...got].sort(), [...members].sort());
    }
  }
});

test('SINTER, SINTERCARD, SINTERSTORE', { skip }, async () => {
  for (const resp of [2, 3] as const) {
    await reset();
    await pair.resp(resp);
    await pair.check('SADD', 'i1', ...ints(10));
    await pair.check('SADD', 'i2', ...ints(10, 5));
    await pair.check('SADD', 's1', 'a', 'b', 'c', '1', '2');
    await pair.check('SADD', 's2', 'b', 'c', 'd', '2', '3');
    await pair.check('SADD', 'big', ...strs(200), ...ints(20));
    await pair.check('SINTER', 'i1', 'i2');
    await pair.check('SINTER', 'i1');
    await pair.check('SINTER', 'i1', 'i1');
    await checkSorted('SINTER', 's1', 's2');
    await checkSorted('SINTER', 's1', 's2', 'i1');
    await checkSorted('SINTER', 'big', 's1');
    await checkSorted('SINTER', 'big', 'i1');
    await pair.check('SINTER', 's1', 'nokey');
    await pair.check('SINTER', 'nokey');
    await pair.check('SINTERCARD', '2', 'i1', 'i2');
    await pair.check('SINTERCARD', '2', 'i1', 'i2', 'LIMIT', '2');
    await pair.check('SINTERCARD', '2', 'i1', 'i2', 'limit', '0');
    await pair.check('SINTERCARD', '2', 'i1', 'i2', 'LIMIT', '100');
    await pair.check('SINTERCARD', '1', 'big');
    await pair.check('SINTERCARD', '2', 'big', 'nokey');
    await pair.check('SINTERCARD', '2', 'i1', 'i2', 'LIMIT', '1', 'LIMIT', '3');
    for (const bad of [
      ['0', 'a'],
      ['-1', 'a'],
      ['x', 'a'],
      ['3', 'a', 'b'],
      ['1', 'a', 'LIMIT'],
      ['1', 'a', 'LIMIT', '-1'],
      ['1', 'a', 'LIMIT', 'x'],
      ['1', 'a', 'FOO', '1'],
      ['1', 'a', 'b'],
      ['99999999999999999999', 'a'],
    ]) {
      await pair.check('SINTERCARD', ...bad);
    }
    await pair.check('SINTERSTORE', 'd', 'i1', 'i2');
    await pair.check('SMEMBERS', 'd');
    await pair.check('SINTERSTORE', 'd', 's1', 's2');
    await checkSorted('SMEMBERS', 'd');
    await pair.check('SINTERSTORE', 'd', 'big', 'i1');
    await pair.check('SMEMBERS', 'd');
    await pair.check('SET', 'str', 'x');
    await pair.check('SINTERSTORE', 'str', 'i1', 'i2');
    await pair.check('TYPE', 'str');
    await pair.check('SINTERSTORE', 'd', 'i1', 'nokey');
    await pair.check('EXISTS', 'd');
    await pair.check('SINTERSTORE', 'd', 'i1', 's1');
    await pair.check('SINTERSTORE', 'd', 's1', 'i1');
    await pair.check('SMEMBERS', 'd');
    await pair.check('SADD', 'x', 'q');
    await pair.check('SINTERSTORE', 'd', 'i1', 'x');
    await pair.check('EXISTS', 'd');
    await pair.check('SINTERSTORE', 'i1', 'i1', 'i2');
    await pair.check('SMEMBERS', 'i1');
    await pair.check('EXPIRE', 'i1', '100');
    await pair.check('SINTERSTORE', 'i1', 'i1', 'i2');
    await pair.check('TTL', 'i1');
  }
});

test('SUNION, SDIFF and their STORE forms', { skip }, async () => {
  for (const resp of [2, 3] as const) {
    await reset();
    await pair.resp(resp);
    await pair.check('SADD', 'i1', ...ints(10));
    await pair.check('SADD', 'i2', ...ints(10, 5));
    await pair.check('SADD', 'i3', ...ints(300, 1000));
    await pair.check('SADD', 's1', 'a', 'b', 'c', '1', '2');
    await pair.check('SADD', 's2', 'b', 'c', 'd', '2', '3');
    await pair.check('SADD', 'big', ...strs(200), ...ints(20));
    await pair.check('SUNION', 'i1', 'i2');
    await pair.check('SUNION', 'i1', 'nokey', 'i3');
    await pair.check('SUNION', 'nokey');
    await pair.check('SUNION', 'nokey', 'nokey2');
    await checkSorted('SUNION', 's1', 's2');
    await checkSorted('SUNION', 'big', 'i1', 's1');
    await pair.check('SDIFF', 'i1', 'i2');
    await pair.check('SDIFF', 'i2', 'i1', 'nokey');
    await pair.check('SDIFF', 'i1', 'i1');
    await pair.check('SDIFF', 'i1', 'i2', 'i1');
    await pair.check('SDIFF', 'nokey', 'i1');
    await pair.check('SDIFF', 'i3', 'i1');
    await pair.check('SDIFF', 'i1', 'i3', 'i2');
    await checkSorted('SDIFF', 's1', 's2');
    await checkSorted('SDIFF', 'big', 's1', 'i1');
    await checkSorted('SDIFF', 's1', 'big');
    await checkSorted('SDIFF', 'big', 'nokey');
    await pair.check('SUNIONSTORE', 'd', 'i1', 'i2');
    await pair.check('SMEMBERS', 'd');
    await pair.check('SUNIONSTORE', 'd', 's1', 'i2');
    await checkSorted('SMEMBERS', 'd');
    await pair.check('SUNIONSTORE', 'd', 'nokey');
    await pair.check('EXISTS', 'd');
    await pair.check('SDIFFSTORE', 'd', 'i3', 'i1');
    await pair.check('SCARD', 'd');
    await pair.check('SDIFFSTORE', 'd', 'i1', 'i1');
    await pair.check('EXISTS', 'd');
    await pair.check('SDIFFSTORE', 'd', 'big', 's1');
    await pair.check('SCARD', 'd');
    await pair.check('SDIFFSTORE', 'i1', 'i1', 'i2');
    await pair.check('SMEMBERS', 'i1');
    await pair.check('SET', 'str', 'v');
    await pair.check('SUNIONSTORE', 'str', 'i1');
    await pair.check('TYPE', 'str');
    await pair.check('SDIFFSTORE', 'str', 'nokey');
    await pair.check('EXISTS', 'str');
  }
});

test('binary and empty members', { skip }, async () => {
  await reset();
  const bin = Buffer.from([0, 1, 2, 255, 13, 10, 0x80]);
  await pair.check('SADD', bin, bin, '', Buffer.from('é', 'utf8'));
  await pair.check('SCARD', bin);
  await pair.check('SISMEMBER', bin, bin);
  await pair.check('SISMEMBER', bin, '');
  await checkSorted('SMEMBERS', bin);
  await pair.check('SREM', bin, '');
  await checkSorted('SMEMBERS', bin);
  await pair.check('SADD', 'big', 'x'.repeat(100000));
  await pair.check('SMEMBERS', 'big');
  await pair.check('SISMEMBER', 'big', 'x'.repeat(100000));
});

test('SSCAN', { skip }, async () => {
  for (const resp of [2, 3] as const) {
    await reset();
    await pair.resp(resp);
    await pair.check('SSCAN', 'nokey', '0');
    await pair.check('SSCAN', 'nokey', 'x');
    await pair.check('SSCAN', 'nokey', '0', 'BADOPT');
    await pair.check('SADD', 'i', ...ints(20));
    await pair.check('SSCAN', 'i', '0');
    await pair.check('SSCAN', 'i', '0', 'COUNT', '2');
    await pair.check('SSCAN', 'i', '0', 'MATCH', '1*');
    await pair.check('SSCAN', 'i', '0', 'match', '*', 'count', '100');
    await pair.check('SSCAN', 'i', '0', 'COUNT', '0');
    await pair.check('SSCAN', 'i', '0', 'COUNT', 'x');
    await pair.check('SSCAN', 'i', '0', 'COUNT');
    await pair.check('SSCAN', 'i', '0', 'TYPE', 'set');
    await pair.check('SSCAN', 'i', '-1');
    await pair.check('SSCAN', 'i', '18446744073709551616');
    await pair.check('SADD', 's', 'foo', 'bar', 'baz', 'qux');
    await checkScanSorted('SSCAN', 's', '0');
    await checkScanSorted('SSCAN', 's', '0', 'MATCH', 'ba?');
    await checkScanSorted('SSCAN', 's', '0', 'MATCH', 'nothing');
  }
});

test('SSCAN walks a hashtable set completely', { skip }, async () => {
  await reset();
  const members = strs(1000);
  await pair.both('SADD', 's', ...members);
  for (const count of [1, 10, 333]) {
    const seen = new Set<string>();
    let cursor = '0';
    let calls = 0;
    do {
      const [c, items] = (await pair.spinel.value('SSCAN', 's', cursor, 'COUNT', count)) as [string, string[]];
      for (const m of items) seen.add(m);
      cursor = c;
      calls++;
    } while (cursor !== '0' && calls < 5000);
    assert.equal(seen.size, members.length);
  }
  // MATCH filters the walk.
  const got: string[] = [];
  let cursor = '0';
  do {
    const [c, items] = (await pair.spinel.value('SSCAN', 's', cursor, 'MATCH', 'm1?', 'COUNT', 50)) as [string, string[]];
    got.push(...items);
    cursor = c;
  } while (cursor !== '0');
  assert.deepEqual(got.sort(), strs(10, 'm1').sort());
});

// ---- Property test: random op sequences, replies compared with the reference ----

const MEMBERS = ['1', '2', '3', '-7', '100', 'a', 'b', 'c', '', '01', 'x'.repeat(70)];
const KEYS = ['k1', 'k2', 'k3'];

const memberArb = fc.constantFrom(...MEMBERS);
const keyArb = fc.constantFrom(...KEYS);
const membersArb = fc.array(memberArb, { minLength: 1, maxLength: 6 });
const keysArb = fc.array(keyArb, { minLength: 1, maxLength: 3 });

type Op = { args: string[]; sorted: boolean };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(keyArb, membersArb).map(([k, m]) => ({ args: ['SADD', k, ...m], sorted: false })) },
  { weight: 3, arbitrary: fc.tuple(keyArb, membersArb).map(([k, m]) => ({ args: ['SREM', k, ...m], sorted: false })) },
  { weight: 2, arbitrary: fc.tuple(keyArb, keyArb, memberArb).map(([a, b, m]) => ({ args: ['SMOVE', a, b, m], sorted: false })) },
  { weight: 1, arbitrary: fc.tuple(keyArb, memberArb).map(([k, m]) => ({ args: ['SISMEMBER', k, m], sorted: false })) },
  { weight: 1, arbitrary: fc.tuple(keyArb, membersArb).map(([k, m]) => ({ args: ['SMISMEMBER', k, ...m], sorted: false })) },
  { weight: 1, arbitrary: keyArb.map((k) => ({ args: ['SCARD', k], sorted: false })) },
  { weight: 2, arbitrary: keyArb.map((k) => ({ args: ['SMEMBERS', k], sorted: true })) },
  { weight: 1, arbitrary: keysArb.map((ks) => ({ args: ['SINTER', ...ks], sorted: true })) },
  { weight: 1, arbitrary: keysArb.map((ks) => ({ args: ['SUNION', ...ks], sorted: true })) },
  { weight: 1, arbitrary: keysArb.map((ks) => ({ args: ['SDIFF', ...ks], sorted: true })) },
  { weight: 1, arbitrary: keysArb.map((ks) => ({ args: ['SINTERCARD', String(ks.length), ...ks], sorted: false })) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('SINTERSTORE', 'SUNIONSTORE', 'SDIFFSTORE'), keyArb, keysArb)
      .map(([c, d, ks]) => ({ args: [c, d, ...ks], sorted: false })),
  },
  { weight: 1, arbitrary: keyArb.map((k) => ({ args: ['SPOP', k, '100'], sorted: true })) },
  { weight: 1, arbitrary: keyArb.map((k) => ({ args: ['SRANDMEMBER', k, '100'], sorted: true })) },
  { weight: 1, arbitrary: keyArb.map((k) => ({ args: ['SSCAN', k, '0', 'COUNT', '100'], sorted: true })) },
  { weight: 1, arbitrary: keyArb.map((k) => ({ args: ['SET', k, 'str'], sorted: false })) },
  { weight: 1, arbitrary: keyArb.map((k) => ({ args: ['DEL', k], sorted: false })) },
);

test('random set op sequences match the reference', { skip }, async () => {
  await pair.resp(2);
  await fc.assert(
    fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 40 }), fc.constantFrom(2, 3), async (ops, resp) => {
      await pair.both('FLUSHALL');
      await pair.resp(resp as 2 | 3);
      for (const op of ops) {
        if (op.args[0] === 'SSCAN') await checkScanSorted(...op.args);
        else if (op.sorted) await checkSorted(...op.args);
        else await pair.check(...op.args);
      }
    }),
    { numRuns: 60 },
  );
  await pair.resp(2);
});
