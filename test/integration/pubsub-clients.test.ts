// Real clients on Pub/Sub and client-side caching: ioredis subscribers with
// channels and patterns, and node-redis's RESP3 client-side cache, whose
// entries Spinel's invalidations must drop when another client writes.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { startSpinel, type SpinelHandle } from '../helpers/servers.js';

let s: SpinelHandle;
before(async () => {
  s = await startSpinel();
});
after(() => s.close());

test('ioredis: subscribe and psubscribe, messages with and without patterns, unsubscribe', async () => {
  const sub = new Redis({ port: s.port, host: '127.0.0.1', lazyConnect: true });
  const pub = new Redis({ port: s.port, host: '127.0.0.1', lazyConnect: true });
  await sub.connect();
  await pub.connect();
  try {
    const got: string[] = [];
    sub.on('message', (ch: string, msg: string) => got.push(`message ${ch} ${msg}`));
    sub.on('pmessage', (pat: string, ch: string, msg: string) => got.push(`pmessage ${pat} ${ch} ${msg}`));
    sub.on('messageBuffer', () => {});
    assert.equal(await sub.subscribe('news', 'alerts'), 2);
    assert.equal(await sub.psubscribe('news.*', 'user:?'), 4);
    assert.equal(await pub.publish('news', 'n1'), 1);
    assert.equal(await pub.publish('news.sport', 's1'), 1);
    assert.equal(await pub.publish('user:7', 'u'), 1);
    assert.equal(await pub.publish('user:77', 'no'), 0);
    assert.equal(await pub.publish('alerts', Buffer.from([0, 255, 10]) as unknown as string), 1);
    await sub.unsubscribe('news');
    assert.equal(await pub.publish('news', 'gone'), 0);
    // (ioredis waits forever on a PUNSUBSCRIBE without arguments, against Redis too: name them.)
    await sub.punsubscribe('news.*', 'user:?');
    assert.equal(await pub.publish('news.sport', 'gone'), 0);
    assert.deepEqual(await pub.pubsub('NUMSUB', 'alerts', 'news'), ['alerts', 1, 'news', 0]);
    // Messages come in publish order.
    const deadline = Date.now() + 2000;
    while (got.length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(got.slice(0, 3), ['message news n1', 'pmessage news.* news.sport s1', 'pmessage user:? user:7 u']);
    assert.equal(got[3], 'message alerts \x00\ufffd\n');
    // ioredis resubscribes after a reconnection: the subscriptions survive CLIENT KILL.
    await pub.client('KILL', 'TYPE', 'pubsub');
    const deadline2 = Date.now() + 5000;
    while ((await pub.publish('alerts', 'back')) !== 1 && Date.now() < deadline2) await new Promise((r) => setTimeout(r, 20));
    assert.equal(await pub.publish('alerts', 'back'), 1);
  } finally {
    sub.disconnect();
    pub.disconnect();
  }
});

test('node-redis RESP3 client-side cache: hits until another client writes, then the new value', async () => {
  const cached = createClient({ socket: { port: s.port, host: '127.0.0.1' }, RESP: 3, clientSideCache: { ttl: 0, maxEntries: 0 } });
  const writer = createClient({ socket: { port: s.port, host: '127.0.0.1' } });
  await cached.connect();
  await writer.connect();
  try {
    const cache = cached.clientSideCache!;
    await writer.set('csc', 'v1');
    assert.equal(await cached.get('csc'), 'v1');
    assert.equal(await cached.get('csc'), 'v1');
    assert.equal(await cached.get('csc'), 'v1');
    assert.equal(cache.stats().hitCount, 2);
    assert.equal(cache.size(), 1);
    await writer.set('csc', 'v2');
    // The invalidation arrives on the cached client's connection.
    const deadline = Date.now() + 2000;
    while (cache.size() !== 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    assert.equal(cache.size(), 0);
    assert.equal(await cached.get('csc'), 'v2');
    // Hashes too, and a write by the caching client itself.
    await writer.hSet('h', 'f', '1');
    assert.deepEqual(await cached.hGetAll('h'), { f: '1' });
    await cached.hSet('h', 'f', '2');
    const deadline2 = Date.now() + 2000;
    while (cache.size() !== 1 && Date.now() < deadline2) await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual(await cached.hGetAll('h'), { f: '2' });
    // FLUSHALL empties the whole cache (a null invalidation).
    await writer.flushAll();
    const deadline3 = Date.now() + 2000;
    while (cache.size() !== 0 && Date.now() < deadline3) await new Promise((r) => setTimeout(r, 5));
    assert.equal(cache.size(), 0);
    assert.equal(await cached.get('csc'), null);
  } finally {
    await cached.quit();
    await writer.quit();
  }
});
