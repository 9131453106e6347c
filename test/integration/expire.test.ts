// Active expiry: keys with short TTLs disappear without being accessed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSpinel, type SpinelHandle } from '../helpers/servers.js';
import { RawClient } from '../helpers/resp.js';
import { activeExpireCycle } from '../../src/db/expire.js';

let s: SpinelHandle;
before(async () => {
  s = await startSpinel({ hz: 50 });
});
after(() => s.close());

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('keys with short TTLs disappear without being accessed', async () => {
  const c = await RawClient.connect(s.port);
  await c.call('FLUSHALL');
  const ks = s.server.keyspace;
  const expired0 = ks.stats.expiredKeys;
  for (let i = 0; i < 200; i++) {
    await c.call('SET', 'short:' + i, 'x');
    await c.call('PEXPIRE', 'short:' + i, String(20 + (i % 30)));
  }
  for (let i = 0; i < 50; i++) {
    await c.call('SET', 'long:' + i, 'x');
    await c.call('EXPIRE', 'long:' + i, '1000');
  }
  await c.call('SELECT', '3');
  for (let i = 0; i < 20; i++) {
    await c.call('SET', 'db3:' + i, 'x');
    await c.call('PEXPIRE', 'db3:' + i, '10');
  }
  await c.call('SET', 'plain', 'x');
  // No command touches the keys: only the cron can remove them.
  const deadline = Date.now() + 3000;
  while (Date.now() < deadline && (ks.dbs[0].dict.size > 50 || ks.dbs[3].dict.size > 1)) await sleep(25);
  assert.equal(ks.dbs[0].dict.size, 50);
  assert.equal(ks.dbs[0].expires.size, 50);
  assert.equal(ks.dbs[3].dict.size, 1);
  assert.equal(ks.stats.expiredKeys - expired0, 220);
  assert.ok(ks.dbs[0].avgTtl > 0 && ks.dbs[0].avgTtl <= 1000000, `avg_ttl ${ks.dbs[0].avgTtl}`);
  assert.equal(await c.value('DBSIZE'), 1);
  c.close();
});

test('expired keys are propagated as DEL and notified', async () => {
  const c = await RawClient.connect(s.port);
  await c.call('FLUSHALL');
  const got: string[] = [];
  const sink = (_db: number, argv: string[]): void => {
    if (argv[0] === 'DEL') got.push(argv[1]);
  };
  s.server.propagateTargets.push(sink);
  await c.call('SET', 'gone', 'x');
  await c.call('PEXPIRE', 'gone', '5');
  const deadline = Date.now() + 2000;
  while (Date.now() < deadline && got.length === 0) await sleep(20);
  s.server.propagateTargets.splice(s.server.propagateTargets.indexOf(sink), 1);
  assert.deepEqual(got, ['gone']);
  c.close();
});

test('active expiry respects activeExpireEnabled (DEBUG SET-ACTIVE-EXPIRE)', async () => {
  const c = await RawClient.connect(s.port);
  await c.call('FLUSHALL');
  s.server.activeExpireEnabled = false;
  try {
    for (let i = 0; i < 30; i++) {
      await c.call('SET', 'k' + i, 'x');
      await c.call('PEXPIRE', 'k' + i, '5');
    }
    await sleep(200);
    assert.equal(s.server.keyspace.dbs[0].dict.size, 30);
    // Lazy expiry still hides them.
    assert.equal(await c.value('EXISTS', 'k1'), 0);
    assert.equal(s.server.keyspace.dbs[0].dict.size, 29);
  } finally {
    s.server.activeExpireEnabled = true;
  }
  const deadline = Date.now() + 2000;
  while (Date.now() < deadline && s.server.keyspace.dbs[0].dict.size > 0) await sleep(20);
  assert.equal(s.server.keyspace.dbs[0].dict.size, 0);
  c.close();
});

test('stale percentage and the time cap are tracked; a big expired set is drained over several cycles', async () => {
  const ks = s.server.keyspace;
  const c = await RawClient.connect(s.port);
  await c.call('FLUSHALL');
  s.server.activeExpireEnabled = false;
  const db = ks.dbs[0];
  // 200k keys already expired, inserted directly (no command per key).
  const { RObj } = await import('../../src/db/robj.js');
  const past = Date.now() - 1000;
  for (let i = 0; i < 200000; i++) {
    db.dict.set('x' + i, new RObj(0, 0, 'v', 0));
    db.expires.set('x' + i, past);
  }
  const cap0 = ks.stats.expiredTimeCapReachedCount;
  ks.stats.expiredStalePerc = 0;
  // Run one cycle by hand (synchronously: the cron cannot interleave).
  s.server.activeExpireEnabled = true;
  const t0 = performance.now();
  activeExpireCycle(s.server);
  const took = performance.now() - t0;
  // One cycle is bounded by 25% of the cron period (hz 50: 5 ms), checked every 16 loops.
  assert.ok(took < 100, `one cycle took ${took} ms`);
  assert.ok(db.dict.size > 0 && db.dict.size < 200000, `size ${db.dict.size}`);
  assert.equal(ks.stats.expiredTimeCapReachedCount, cap0 + 1);
  assert.ok(ks.stats.expiredStalePerc > 0.04, `stale ${ks.stats.expiredStalePerc}`);
  const deadline = Date.now() + 10000;
  while (Date.now() < deadline && db.dict.size > 0) await sleep(50);
  assert.equal(db.dict.size, 0);
  assert.equal(db.expires.size, 0);
  c.close();
});

test('keys whose TTL is still running are left alone; the cycle keeps sampling O(1) per key', async () => {
  const ks = s.server.keyspace;
  const c = await RawClient.connect(s.port);
  await c.call('FLUSHALL');
  const db = ks.dbs[0];
  const { RObj } = await import('../../src/db/robj.js');
  const future = Date.now() + 3600000;
  for (let i = 0; i < 100000; i++) {
    db.dict.set('f' + i, new RObj(0, 0, 'v', 0));
    db.expires.set('f' + i, future);
  }
  const t0 = performance.now();
  for (let i = 0; i < 20; i++) activeExpireCycle(s.server);
  const took = performance.now() - t0;
  assert.ok(took < 200, `20 cycles over 100k volatile keys took ${took} ms`);
  assert.equal(db.dict.size, 100000);
  assert.ok(db.avgTtl > 3500000, `avg_ttl ${db.avgTtl}`);
  await c.call('FLUSHALL');
  assert.equal(db.avgTtl, 0);
  c.close();
});
