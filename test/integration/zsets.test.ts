// Sorted sets in-process: 7.2-only ZRANK/ZREVRANK WITHSCORE, 7.2 score
// formatting, propagation of pops (BZPOPMIN -> ZPOPMIN, ZMPOP/BZMPOP ->
// ZPOPMIN/ZPOPMAX with COUNT), dirty counting.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSpinel, type SpinelHandle } from '../helpers/servers.js';
import { RawClient } from '../helpers/resp.js';

let s: SpinelHandle;
const propagated: string[][] = [];
before(async () => {
  s = await startSpinel();
  s.server.propagateTargets.push((_db, argv) => propagated.push([...argv]));
});
after(() => s.close());

test('ZRANK / ZREVRANK WITHSCORE (Redis 7.2)', async () => {
  const c = await RawClient.connect(s.port);
  await c.call('ZADD', 'z', '1', 'a', '2.5', 'b', '0.1', 'c');
  assert.equal(await c.call('ZRANK', 'z', 'b', 'WITHSCORE'), '*2\r\n:2\r\n$3\r\n2.5\r\n');
  assert.equal(await c.call('ZREVRANK', 'z', 'c', 'withscore'), '*2\r\n:2\r\n$3\r\n0.1\r\n');
  assert.equal(await c.call('ZRANK', 'z', 'nope', 'WITHSCORE'), '*-1\r\n');
  assert.equal(await c.call('ZRANK', 'nokey', 'a', 'WITHSCORE'), '*-1\r\n');
  assert.equal(await c.call('ZRANK', 'nokey', 'a'), '$-1\r\n');
  assert.equal(await c.call('ZRANK', 'z', 'a', 'WITHSCORES'), '-ERR syntax error\r\n');
  assert.equal(await c.call('ZRANK', 'z', 'a', 'WITHSCORE', 'x'), "-ERR wrong number of arguments for 'zrank' command\r\n");
  await c.call('HELLO', '3');
  assert.equal(await c.call('ZRANK', 'z', 'a', 'WITHSCORE'), '*2\r\n:1\r\n,1\r\n');
  assert.equal(await c.call('ZREVRANK', 'z', 'nope', 'WITHSCORE'), '_\r\n');
  assert.equal(await c.call('ZSCORE', 'z', 'c'), ',0.1\r\n');
  c.close();
});

test('scores use the 7.2 shortest round-trip format', async () => {
  const c = await RawClient.connect(s.port);
  await c.call('ZADD', 'f', '4.659', 'a', '1e-7', 'b', '1234567.1234567', 'c', '123456789012345678', 'd');
  assert.equal(await c.call('ZSCORE', 'f', 'a'), '$5\r\n4.659\r\n');
  assert.equal(await c.call('ZSCORE', 'f', 'b'), '$4\r\n1e-7\r\n');
  assert.equal(await c.call('ZSCORE', 'f', 'c'), '$18\r\n1.2345671234567e+6\r\n');
  assert.equal(await c.call('ZSCORE', 'f', 'd'), '$18\r\n123456789012345680\r\n');
  assert.equal(await c.call('ZINCRBY', 'g', '0.1', 'x'), '$3\r\n0.1\r\n');
  assert.equal(await c.call('ZINCRBY', 'g', '0.2', 'x'), '$19\r\n0.30000000000000004\r\n');
  c.close();
});

test('pops are propagated as ZPOPMIN/ZPOPMAX', async () => {
  const c = await RawClient.connect(s.port);
  const w = await RawClient.connect(s.port);
  await c.call('ZADD', 'p', '1', 'a', '2', 'b', '3', 'c', '4', 'd');
  propagated.length = 0;
  assert.equal(await c.call('BZPOPMIN', 'none', 'p', '0'), '*3\r\n$1\r\np\r\n$1\r\na\r\n$1\r\n1\r\n');
  await c.call('ZMPOP', '1', 'p', 'MAX');
  await c.call('BZMPOP', '0', '1', 'p', 'MIN', 'COUNT', '5');
  assert.deepEqual(propagated, [['ZPOPMIN', 'p'], ['ZPOPMAX', 'p', '1'], ['ZPOPMIN', 'p', '5']]);
  propagated.length = 0;
  const blocked = w.call('BZPOPMAX', 'q', '0');
  await new Promise((r) => setTimeout(r, 30));
  await c.call('ZADD', 'q', '5', 'x', '6', 'y');
  assert.equal(await blocked, '*3\r\n$1\r\nq\r\n$1\r\ny\r\n$1\r\n6\r\n');
  assert.deepEqual(propagated, [['ZADD', 'q', '5', 'x', '6', 'y'], ['ZPOPMAX', 'q']]);
  // Nothing popped: nothing propagated.
  propagated.length = 0;
  await c.call('ZMPOP', '1', 'none', 'MIN');
  await c.call('ZPOPMIN', 'none');
  await c.call('BZPOPMIN', 'none', '0.01');
  assert.deepEqual(propagated, []);
  c.close();
  w.close();
});

test('dirty counts each change', async () => {
  const c = await RawClient.connect(s.port);
  const d0 = s.server.dirty;
  await c.call('ZADD', 'd', '1', 'a', '2', 'b', '3', 'c');
  assert.equal(s.server.dirty - d0, 3);
  await c.call('ZADD', 'd', '1', 'a', '5', 'b');
  assert.equal(s.server.dirty - d0, 4);
  await c.call('ZREM', 'd', 'a', 'b', 'x');
  assert.equal(s.server.dirty - d0, 6);
  await c.call('ZPOPMIN', 'd', '10');
  assert.equal(s.server.dirty - d0, 7);
  assert.equal(await c.call('EXISTS', 'd'), ':0\r\n');
  c.close();
});
