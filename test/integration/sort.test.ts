// SORT details: small SORT results are stored as listpacks, and an
// out-of-range score is an error for that SORT only (Redis's stale errno can
// fail later SORTs too: docs/compatibility.md).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSpinel, type SpinelHandle } from '../helpers/servers.js';
import { RawClient } from '../helpers/resp.js';

let s: SpinelHandle;
before(async () => {
  s = await startSpinel();
});
after(() => s.close());

test('SORT STORE result encoding (small lists are listpacks)', async () => {
  const c = await RawClient.connect(s.port);
  await c.call('RPUSH', 'l', '3', '1', '2');
  assert.equal(await c.call('SORT', 'l', 'STORE', 'd'), ':3\r\n');
  assert.equal(await c.call('OBJECT', 'ENCODING', 'd'), '$8\r\nlistpack\r\n');
  assert.equal(await c.call('LRANGE', 'd', '0', '-1'), '*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n');
  const big: string[] = [];
  for (let i = 0; i < 200; i++) big.push('element-' + String(i).padStart(5, '0') + 'x'.repeat(40));
  await c.call('RPUSH', 'bl', ...big);
  assert.equal(await c.call('SORT', 'bl', 'ALPHA', 'STORE', 'd'), ':200\r\n');
  assert.equal(await c.call('OBJECT', 'ENCODING', 'd'), '$9\r\nquicklist\r\n');
  c.close();
});

test('an out-of-range score fails only that SORT', async () => {
  const c = await RawClient.connect(s.port);
  await c.call('RPUSH', 'big', '1e400', '2');
  await c.call('RPUSH', 'ok', '2', '1');
  assert.equal(await c.call('SORT', 'big'), "-ERR One or more scores can't be converted into double\r\n");
  assert.equal(await c.call('SORT', 'ok'), '*2\r\n$1\r\n1\r\n$1\r\n2\r\n');
  // Underflow is out of range too (strtod's ERANGE), whether to zero or to a subnormal double, in the list or through BY.
  const err = "-ERR One or more scores can't be converted into double\r\n";
  await c.call('RPUSH', 'tiny', '1', '1e-310');
  assert.equal(await c.call('SORT', 'tiny'), err);
  await c.call('RPUSH', 'zero', '1', '1e-400');
  assert.equal(await c.call('SORT', 'zero'), err);
  await c.call('SET', 'w_1', '1e-320');
  assert.equal(await c.call('SORT', 'ok', 'BY', 'w_*'), err);
  await c.call('HSET', 'h_2', 'f', '-1e-310');
  assert.equal(await c.call('SORT', 'ok', 'BY', 'h_*->f'), err);
  // The smallest normal double and a zero written with digits are fine.
  await c.call('RPUSH', 'edge', '2.2250738585072014e-308', '0e-400', '-0.0');
  assert.equal(await c.call('SORT', 'edge'), '*3\r\n$4\r\n-0.0\r\n$6\r\n0e-400\r\n$23\r\n2.2250738585072014e-308\r\n');
  assert.equal(await c.call('SORT', 'ok'), '*2\r\n$1\r\n1\r\n$1\r\n2\r\n');
  c.close();
});

test('SORT converts a sorted set to the skiplist encoding, like Redis', async () => {
  const c = await RawClient.connect(s.port);
  await c.call('ZADD', 'z', '1', 'b', '2', 'a');
  assert.equal(await c.call('OBJECT', 'ENCODING', 'z'), '$8\r\nlistpack\r\n');
  assert.equal(await c.call('SORT', 'z', 'BY', 'nosort'), '*2\r\n$1\r\nb\r\n$1\r\na\r\n');
  assert.equal(await c.call('OBJECT', 'ENCODING', 'z'), '$8\r\nskiplist\r\n');
  c.close();
});
