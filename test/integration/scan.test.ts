// SCAN's guarantee: a key present for the whole iteration is returned, even
// while keys are added and deleted between calls; no key is returned twice.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSpinel, type SpinelHandle } from '../helpers/servers.js';
import { RawClient } from '../helpers/resp.js';

let s: SpinelHandle;
before(async () => {
  s = await startSpinel();
});
after(() => s.close());

async function pipeline(c: RawClient, cmds: string[][]): Promise<void> {
  for (const cmd of cmds) await c.call(...cmd);
}

test('keys present for the whole iteration are all returned, under concurrent adds and deletes', async () => {
  const c = await RawClient.connect(s.port);
  await c.call('FLUSHALL');
  const stable: string[] = [];
  for (let i = 0; i < 500; i++) {
    stable.push('stable:' + i);
    await c.call('SET', 'stable:' + i, 'x');
  }
  for (let i = 0; i < 500; i++) await c.call('SET', 'churn:' + i, 'x');
  let cursor = '0';
  const seen = new Map<string, number>();
  let round = 0;
  let added = 0;
  do {
    const r = (await c.value('SCAN', cursor, 'COUNT', '17')) as [string, string[]];
    cursor = r[0];
    for (const k of r[1]) seen.set(k, (seen.get(k) ?? 0) + 1);
    // Between calls: delete some churn keys, add new ones, re-add deleted ones.
    const ops: string[][] = [];
    for (let j = 0; j < 10; j++) ops.push(['DEL', 'churn:' + ((round * 10 + j) % 500)]);
    for (let j = 0; j < 10; j++) ops.push(['SET', 'new:' + added++, 'x']);
    if (round % 3 === 0) ops.push(['SET', 'churn:' + ((round * 7) % 500), 'back']);
    await pipeline(c, ops);
    round++;
    assert.ok(round < 10000, 'iteration must terminate');
  } while (cursor !== '0');
  for (const k of stable) assert.equal(seen.get(k), 1, `${k} returned exactly once`);
  // Only a key deleted and added again during the iteration may come back twice.
  for (const [k, n] of seen) if (!k.startsWith('churn:')) assert.equal(n, 1, `${k} returned twice`);
  assert.ok(added > 0 && [...seen.keys()].some((k) => k.startsWith('new:')));
  c.close();
});

test('an iteration survives FLUSHALL and SWAPDB (restarts on the new contents)', async () => {
  const c = await RawClient.connect(s.port);
  await c.call('FLUSHALL');
  for (let i = 0; i < 50; i++) await c.call('SET', 'a' + i, 'x');
  const r = (await c.value('SCAN', '0', 'COUNT', '5')) as [string, string[]];
  assert.notEqual(r[0], '0');
  await c.call('FLUSHALL');
  await c.call('SET', 'fresh', '1');
  const r2 = (await c.value('SCAN', r[0], 'COUNT', '5')) as [string, string[]];
  assert.deepEqual(r2, ['0', ['fresh']]);
  // SWAPDB: the client's db now holds other contents, the iteration restarts there.
  for (let i = 0; i < 50; i++) await c.call('SET', 'b' + i, 'x');
  const r3 = (await c.value('SCAN', '0', 'COUNT', '5')) as [string, string[]];
  assert.notEqual(r3[0], '0');
  await c.call('SELECT', '1');
  await c.call('FLUSHDB');
  await c.call('SET', 'in1', 'x');
  await c.call('SELECT', '0');
  await c.call('SWAPDB', '0', '1');
  const r4 = (await c.value('SCAN', r3[0], 'COUNT', '5')) as [string, string[]];
  assert.deepEqual(r4, ['0', ['in1']]);
  c.close();
});

test('unknown or forgotten cursors restart the iteration', async () => {
  const c = await RawClient.connect(s.port);
  await c.call('FLUSHALL');
  for (let i = 0; i < 5; i++) await c.call('SET', 'k' + i, 'x');
  const r = (await c.value('SCAN', '123456789', 'COUNT', '100')) as [string, string[]];
  assert.equal(r[0], '0');
  assert.equal(r[1].length, 5);
  const big = (await c.value('SCAN', '18446744073709551615', 'COUNT', '100')) as [string, string[]];
  assert.equal(big[1].length, 5);
  c.close();
});

test('a looked-ahead key deleted before the next call is not returned', async () => {
  const c = await RawClient.connect(s.port);
  await c.call('FLUSHALL');
  for (let i = 0; i < 4; i++) await c.call('SET', 'k' + i, 'x');
  const r = (await c.value('SCAN', '0', 'COUNT', '2')) as [string, string[]];
  assert.equal(r[1].length, 2);
  const rest = ['k0', 'k1', 'k2', 'k3'].filter((k) => !r[1].includes(k));
  await c.call('DEL', rest[0]);
  const r2 = (await c.value('SCAN', r[0], 'COUNT', '2')) as [string, string[]];
  assert.deepEqual(r2, ['0', [rest[1]]]);
  c.close();
});
