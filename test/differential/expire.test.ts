// EXPIRE family, TTL family and PERSIST compared with the reference server.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { usePair, type DiffPair } from '../helpers/differential.js';

let pair: DiffPair | null = null;
const skip = usePair((p) => (pair = p));
beforeEach(async () => {
  if (!pair) return;
  await pair.resp(2);
  await pair.both('SELECT', '0');
  await pair.both('FLUSHALL');
});

test('EXPIRE/PEXPIRE/EXPIREAT/PEXPIREAT basics and TTL family', { skip }, async () => {
  const p = pair!;
  await p.checkAll([
    ['EXPIRE', 'nokey', '100'],
    ['TTL', 'nokey'],
    ['PTTL', 'nokey'],
    ['EXPIRETIME', 'nokey'],
    ['PEXPIRETIME', 'nokey'],
    ['PERSIST', 'nokey'],
    ['SET', 'a', '1'],
    ['TTL', 'a'],
    ['PTTL', 'a'],
    ['EXPIRETIME', 'a'],
    ['PEXPIRETIME', 'a'],
    ['EXPIRE', 'a', '100'],
    ['TTL', 'a'],
    ['PERSIST', 'a'],
    ['PERSIST', 'a'],
    ['TTL', 'a'],
    ['PEXPIRE', 'a', '100000'],
    ['TTL', 'a'],
    ['EXPIREAT', 'a', '4000000000'],
    ['EXPIRETIME', 'a'],
    ['PEXPIRETIME', 'a'],
    ['PEXPIREAT', 'a', '4000000000123'],
    ['PEXPIRETIME', 'a'],
    ['EXPIRETIME', 'a'],
    ['PEXPIREAT', 'a', '4000000000500'],
    ['EXPIRETIME', 'a'],
    ['PEXPIREAT', 'a', '4000000000499'],
    ['EXPIRETIME', 'a'],
    ['SET', 'a', '2'],
    ['TTL', 'a'],
  ]);
  await p.resp(3);
  await p.checkAll([['EXPIRE', 'a', '50'], ['TTL', 'a'], ['TTL', 'nokey'], ['PERSIST', 'a'], ['TTL', 'a']]);
});

test('PTTL is close to the reference', { skip }, async () => {
  const p = pair!;
  await p.both('SET', 'a', '1');
  await p.both('PEXPIRE', 'a', '5000');
  const [x, y] = await p.both('PTTL', 'a');
  const a = Number(x.slice(1, -2));
  const b = Number(y.slice(1, -2));
  assert.ok(a > 4800 && a <= 5000, x);
  assert.ok(Math.abs(a - b) < 200, `${x} vs ${y}`);
});

test('NX, XX, GT, LT options', { skip }, async () => {
  const p = pair!;
  await p.checkAll([
    ['SET', 'a', '1'],
    ['EXPIRE', 'a', '100', 'XX'],
    ['EXPIRE', 'a', '100', 'GT'],
    ['TTL', 'a'],
    ['EXPIRE', 'a', '100', 'LT'],
    ['TTL', 'a'],
    ['PERSIST', 'a'],
    ['EXPIRE', 'a', '100', 'NX'],
    ['EXPIRE', 'a', '200', 'NX'],
    ['TTL', 'a'],
    ['EXPIRE', 'a', '200', 'XX'],
    ['TTL', 'a'],
    ['EXPIRE', 'a', '100', 'GT'],
    ['EXPIRE', 'a', '300', 'gt'],
    ['TTL', 'a'],
    ['EXPIRE', 'a', '400', 'LT'],
    ['EXPIRE', 'a', '50', 'lt'],
    ['TTL', 'a'],
    ['EXPIRE', 'a', '60', 'XX', 'GT'],
    ['TTL', 'a'],
    ['EXPIRE', 'a', '10', 'XX', 'LT'],
    ['TTL', 'a'],
    ['EXPIRE', 'a', '100', 'NX', 'XX'],
    ['EXPIRE', 'a', '100', 'NX', 'GT'],
    ['EXPIRE', 'a', '100', 'NX', 'LT'],
    ['EXPIRE', 'a', '100', 'GT', 'LT'],
    ['EXPIRE', 'a', '100', 'XX', 'XX'],
    ['EXPIRE', 'a', '100', 'foo'],
    ['EXPIRE', 'a', 'abc', 'foo'],
    ['EXPIRE', 'a', 'abc', 'NX', 'XX'],
    ['EXPIRE', 'nokey', '100', 'GT', 'LT'],
    ['EXPIRE', 'nokey', '100', 'XX'],
    ['PEXPIRE', 'a', '100', 'NX', 'XX'],
    ['EXPIREAT', 'a', '100', 'GT', 'LT'],
    ['PEXPIREAT', 'a', '100', 'bar'],
    ['TTL', 'a'],
    // LT with a past time on a key without TTL deletes it.
    ['SET', 'b', '1'],
    ['EXPIRE', 'b', '-1', 'LT'],
    ['EXISTS', 'b'],
    ['SET', 'b', '1'],
    ['EXPIRE', 'b', '-1', 'GT'],
    ['EXISTS', 'b'],
  ]);
});

test('bad numbers and overflow', { skip }, async () => {
  const p = pair!;
  await p.both('SET', 'a', '1');
  const cmds = ['EXPIRE', 'PEXPIRE', 'EXPIREAT', 'PEXPIREAT', 'expire', 'pExpireAt'];
  const vals = [
    'abc', '', ' 1', '1 ', '1.5', '0x10', '+1', '-0', '01',
    '9223372036854775807', '-9223372036854775808', '9223372036854775808', '-9223372036854775809',
    '9223372036854775', '9223372036854776', '-9223372036854775', '-9223372036854776',
    '9223372036854774', '9223370000000000000', '99999999999999999999',
  ];
  for (const cmd of cmds) {
    for (const v of vals) {
      await p.both('SET', 'a', '1');
      await p.check(cmd, 'a', v);
      await p.check('EXISTS', 'a');
      await p.check('EXPIRETIME', 'a');
    }
  }
});

test('huge expire times are exact', { skip }, async () => {
  const p = pair!;
  await p.checkAll([
    ['SET', 'a', '1'],
    ['PEXPIREAT', 'a', '9223372036854775807'],
    ['PEXPIRETIME', 'a'],
    ['EXPIRETIME', 'a'],
    ['TTL', 'a'],
    ['PEXPIREAT', 'a', '9223372036854775806', 'LT'],
    ['PEXPIRETIME', 'a'],
    ['PEXPIREAT', 'a', '9223372036854775807', 'LT'],
    ['PEXPIREAT', 'a', '9223372036854775807', 'GT'],
    ['PEXPIRETIME', 'a'],
    ['EXPIREAT', 'a', '9223372036854775'],
    ['PEXPIRETIME', 'a'],
    ['EXPIREAT', 'a', '9007199254740993'],
    ['PEXPIRETIME', 'a'],
    ['RENAME', 'a', 'b'],
    ['PEXPIRETIME', 'b'],
    ['COPY', 'b', 'c'],
    ['PEXPIRETIME', 'c'],
    ['MOVE', 'c', '1'],
    ['SELECT', '1'],
    ['PEXPIRETIME', 'c'],
  ]);
  const [x, y] = await p.both('PTTL', 'c');
  assert.equal(x.slice(0, 8), y.slice(0, 8));
});

test('expire in the past deletes the key', { skip }, async () => {
  const p = pair!;
  const s = p.spinelServer.server;
  const expired0 = s.keyspace.stats.expiredKeys;
  await p.checkAll([
    ['SET', 'a', '1'],
    ['EXPIRE', 'a', '0'],
    ['EXISTS', 'a'],
    ['SET', 'a', '1'],
    ['PEXPIRE', 'a', '-100'],
    ['EXISTS', 'a'],
    ['SET', 'a', '1'],
    ['EXPIREAT', 'a', '1'],
    ['EXISTS', 'a'],
    ['SET', 'a', '1'],
    ['PEXPIREAT', 'a', '0'],
    ['EXISTS', 'a'],
    ['SET', 'a', '1'],
    ['PEXPIREAT', 'a', '-9223372036854775808'],
    ['EXISTS', 'a'],
    ['EXPIRE', 'a', '-1'],
  ]);
  // Not counted as expired keys: it is a deletion by the command.
  assert.equal(s.keyspace.stats.expiredKeys, expired0);
});

test('binary keys', { skip }, async () => {
  const p = pair!;
  const k = Buffer.from('\x00\xff\r\nk', 'latin1');
  await p.checkAll([['SET', k, 'v'], ['EXPIRE', k, '100'], ['TTL', k], ['PERSIST', k], ['TTL', k]]);
});

test('expired keys are gone for every command (lazy expiry)', { skip }, async () => {
  const p = pair!;
  await p.both('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
  p.spinelServer.server.activeExpireEnabled = false;
  try {
    await p.both('SET', 'a', '1');
    await p.both('SET', 'b', '1');
    await p.both('SET', 'keep', '1');
    await p.both('PEXPIRE', 'a', '1');
    await p.both('PEXPIRE', 'b', '1');
    await new Promise((r) => setTimeout(r, 30));
    await p.checkAll([['DBSIZE'], ['KEYS', '*b*'], ['EXISTS', 'a'], ['TTL', 'a'], ['TYPE', 'b'], ['DBSIZE'], ['RENAME', 'a', 'x']]);
    await p.checkAll([['SCAN', '0', 'COUNT', '100'], ['DBSIZE']]);
  } finally {
    await p.both('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
    p.spinelServer.server.activeExpireEnabled = true;
  }
});

test('EXPIRE is propagated as PEXPIREAT, past expire as DEL', { skip }, async () => {
  const p = pair!;
  const s = p.spinelServer.server;
  const got: string[][] = [];
  const sink = (_db: number, argv: string[]): void => {
    got.push(argv);
  };
  s.propagateTargets.push(sink);
  try {
    const c = p.spinel;
    await c.call('SET', 'a', '1');
    await c.call('EXPIRE', 'a', '100', 'GT'); // no change: not propagated
    await c.call('EXPIRE', 'a', '100');
    const now = Date.now();
    await c.call('PEXPIREAT', 'a', '5000000000000');
    await c.call('EXPIREAT', 'a', '5000000001', 'XX');
    await c.call('EXPIRE', 'a', '-1');
    await c.call('PERSIST', 'a');
    await c.call('FLUSHDB');
    assert.equal(got[0].join(' '), 'SET a 1');
    assert.equal(got[1][0], 'PEXPIREAT');
    assert.ok(Math.abs(Number(got[1][2]) - (now + 100000)) < 1000);
    assert.deepEqual(got[2], ['PEXPIREAT', 'a', '5000000000000']);
    assert.deepEqual(got[3], ['PEXPIREAT', 'a', '5000000001000', 'XX']);
    assert.deepEqual(got[4], ['DEL', 'a']);
    assert.deepEqual(got[5], ['FLUSHDB']);
    assert.equal(got.length, 6);
  } finally {
    s.propagateTargets.splice(s.propagateTargets.indexOf(sink), 1);
  }
});
