// Client-side caching with many clients over real sockets: invalidations
// to every client that read a key, redirection to a RESP2 subscriber, BCAST
// prefixes batching a turn's keys, the tracking table limit, and clients
// that go away.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSpinel, type SpinelHandle } from '../helpers/servers.js';
import { RawClient, decode } from '../helpers/resp.js';

let s: SpinelHandle;
before(async () => {
  s = await startSpinel();
});
after(() => s.close());

const value = (frame: string) => decode(Buffer.from(frame, 'latin1'))[0];

async function resp3(): Promise<RawClient> {
  const c = await RawClient.connect(s.port);
  await c.call('HELLO', '3');
  return c;
}

async function info(c: RawClient): Promise<Record<string, string>> {
  const text = await c.call('INFO', 'everything');
  const out: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    const i = line.indexOf(':');
    if (line.startsWith('tracking_')) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

test('every client that read a key is told once when it changes; RESP2 redirection', async () => {
  const readers = [await resp3(), await resp3(), await resp3()];
  const sink = await RawClient.connect(s.port);
  const legacy = await RawClient.connect(s.port);
  const writer = await RawClient.connect(s.port);
  try {
    const sinkId = (await sink.call('CLIENT', 'ID')).slice(1, -2);
    assert.deepEqual(value(await sink.call('SUBSCRIBE', '__redis__:invalidate')), ['subscribe', '__redis__:invalidate', 1]);
    for (const r of readers) assert.equal(await r.call('CLIENT', 'TRACKING', 'ON'), '+OK\r\n');
    assert.equal(await legacy.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', sinkId), '+OK\r\n');
    await writer.call('MSET', 'shared', '1', 'own0', '1', 'own1', '1', 'own2', '1');
    for (let i = 0; i < 3; i++) {
      await readers[i].call('GET', 'shared');
      await readers[i].call('GET', `own${i}`);
    }
    await legacy.call('MGET', 'shared', 'own0');
    let stats = await info(writer);
    assert.equal(stats.tracking_total_keys, '4');
    assert.equal(stats.tracking_total_items, '8');
    assert.match(await writer.call('INFO', 'clients'), /tracking_clients:4\r\n/);
    await writer.call('SET', 'shared', '2');
    for (const r of readers) assert.deepEqual(value(await r.read()), ['invalidate', ['shared']]);
    assert.deepEqual(value(await sink.read()), ['message', '__redis__:invalidate', ['shared']]);
    await writer.call('DEL', 'own1', 'own0');
    assert.deepEqual(value(await readers[1].read()), ['invalidate', ['own1']]);
    assert.deepEqual(value(await readers[0].read()), ['invalidate', ['own0']]);
    assert.deepEqual(value(await sink.read()), ['message', '__redis__:invalidate', ['own0']]);
    // Only own2 is still tracked; a second write of shared tells nobody.
    stats = await info(writer);
    assert.equal(stats.tracking_total_keys, '1');
    await writer.call('SET', 'shared', '3');
    for (const r of readers) assert.equal(await r.call('PING'), '+PONG\r\n');
    // A client that went away is skipped (its table entries are dropped lazily).
    readers[2].close();
    await new Promise((r) => setTimeout(r, 50));
    await writer.call('SET', 'own2', 'x');
    assert.match(await writer.call('INFO', 'clients'), /tracking_clients:3\r\n/);
    assert.equal((await info(writer)).tracking_total_keys, '0');
  } finally {
    for (const c of [...readers, sink, legacy, writer]) c.close();
  }
});

test('BCAST: keys modified in one turn arrive as one sorted array per prefix', async () => {
  const users = await resp3();
  const both = await resp3();
  const writer = await RawClient.connect(s.port);
  try {
    await users.call('CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'user:');
    await both.call('CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'user:', 'PREFIX', 'order:', 'NOLOOP');
    assert.equal((await info(writer)).tracking_total_prefixes, '2');
    // One turn (one command here, so the test does not depend on how reads are cut), a key written twice.
    assert.equal(await writer.call('MSET', 'user:2', 'a', 'order:9', 'b', 'user:1', 'c', 'other', 'd', 'user:2', 'e'), '+OK\r\n');
    assert.deepEqual(value(await users.read()), ['invalidate', ['user:1', 'user:2']]);
    // Prefixes in byte order: order: before user:.
    assert.deepEqual(value(await both.read()), ['invalidate', ['order:9']]);
    assert.deepEqual(value(await both.read()), ['invalidate', ['user:1', 'user:2']]);
    // NOLOOP: its own writes are left out; an array with nothing left is not sent.
    await both.call('SET', 'order:1', 'mine');
    await both.call('MSET', 'user:7', 'mine', 'order:2', 'mine');
    assert.deepEqual(value(await users.read()), ['invalidate', ['user:7']]);
    assert.equal(await both.call('PING'), '+PONG\r\n');
    await writer.call('SET', 'order:1', 'theirs');
    assert.deepEqual(value(await both.read()), ['invalidate', ['order:1']]);
    await users.call('CLIENT', 'TRACKING', 'OFF');
    await both.call('RESET');
    assert.equal((await info(writer)).tracking_total_prefixes, '0');
  } finally {
    users.close();
    both.close();
    writer.close();
  }
});

test('tracking-table-max-keys keeps the table within the limit, invalidating what it drops', async () => {
  const r = await resp3();
  const admin = await RawClient.connect(s.port);
  try {
    await r.call('CLIENT', 'TRACKING', 'ON');
    const keys = Array.from({ length: 500 }, (_, i) => `t${i}`);
    await r.call('MGET', ...keys);
    assert.equal((await info(admin)).tracking_total_keys, '500');
    await admin.call('CONFIG', 'SET', 'tracking-table-max-keys', '100');
    // The cron (or the next command) drops 400 keys, 100 more per pass while it falls short.
    const got = new Set<string>();
    while (got.size < 400) {
      const m = value(await r.read()) as [string, string[]];
      assert.equal(m[0], 'invalidate');
      for (const k of m[1]) got.add(k);
    }
    assert.equal((await info(admin)).tracking_total_keys, '100');
  } finally {
    await admin.call('CONFIG', 'SET', 'tracking-table-max-keys', '1000000');
    r.close();
    admin.close();
  }
});
