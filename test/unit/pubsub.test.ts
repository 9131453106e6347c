// Pub/Sub and tracking bookkeeping in-process: message encoding, the
// subscription tables (entries go with their last subscriber), the PubSub
// client flag, and the tracking table's reader lists as they grow.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from '../../src/server/server.js';
import { Config } from '../../src/config/config.js';
import { ClientFlag } from '../../src/server/client.js';
import { encodePush, ChannelKind } from '../../src/server/pubsub.js';
import { commandTable } from '../../src/commands/table.js';

function server(): Server {
  const s = new Server(new Config());
  s.log.silent = true;
  return s;
}

test('encodePush: RESP2 arrays and RESP3 pushes, binary-safe, with a raw tail', () => {
  assert.equal(encodePush(2, ['message', 'ch', 'hi']).toString('latin1'), '*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n');
  assert.equal(encodePush(3, ['message', '', '\x00\xff\r\n']).toString('latin1'), '>3\r\n$7\r\nmessage\r\n$0\r\n\r\n$4\r\n\x00\xff\r\n\r\n');
  assert.equal(encodePush(3, ['invalidate'], '*1\r\n$1\r\nk\r\n').toString('latin1'), '>2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nk\r\n');
  const big = 'x'.repeat(100000);
  const b = encodePush(2, ['pmessage', 'p*', 'pc', big]);
  assert.equal(b.length, `*4\r\n$8\r\npmessage\r\n$2\r\np*\r\n$2\r\npc\r\n$100000\r\n${big}\r\n`.length);
  assert.ok(b.toString('latin1').endsWith(`${big}\r\n`));
});

test('subscription tables: counts, the PubSub flag, entries removed with their last subscriber', () => {
  const s = server();
  const a = s.createClient(null);
  const b = s.createClient(null);
  const ps = s.pubsub;
  assert.equal(ps.subscribe(a, 'c1', ChannelKind.Global), true);
  assert.equal(ps.subscribe(a, 'c1', ChannelKind.Global), false);
  assert.equal(ps.psubscribe(a, 'c*'), true);
  assert.equal(ps.subscribe(a, 's1', ChannelKind.Shard), true);
  assert.equal(ps.subscribe(b, 'c1', ChannelKind.Global), true);
  assert.equal(a.pubsub!.count, 2);
  assert.equal(a.pubsub!.shardCount, 1);
  assert.ok((a.flags & ClientFlag.PubSub) !== 0);
  assert.equal(ps.subscribers('c1', ChannelKind.Global), 2);
  // One delivery per channel subscriber and per matching pattern subscription.
  assert.equal(ps.publish('c1', 'm', ChannelKind.Global), 3);
  assert.equal(ps.publish('s1', 'm', ChannelKind.Shard), 1);
  assert.equal(ps.publish('c1', 'm', ChannelKind.Shard), 0);
  assert.equal(ps.unsubscribeAll(a, ChannelKind.Global, false), 1);
  assert.equal(ps.punsubscribeAll(a, false), 1);
  ps.leaveIfUnsubscribed(a);
  // Still subscribed to a shard channel.
  assert.ok((a.flags & ClientFlag.PubSub) !== 0);
  ps.dropClient(a);
  assert.equal(a.flags & ClientFlag.PubSub, 0);
  assert.equal(a.pubsub, null);
  assert.equal(ps.shardChannels.size, 0);
  assert.equal(ps.patterns.size, 0);
  assert.deepEqual(ps.activeChannels(null, ChannelKind.Global), ['c1']);
  ps.dropClient(b);
  assert.equal(ps.channels.size, 0);
  assert.equal(ps.idle, true);
});

test('tracking table: one reader as a number, a few in an array, many in a set; items counted; invalidation drops the key', () => {
  const s = server();
  const table = commandTable();
  const get = table.lookup('get')!;
  const mget = table.lookup('mget')!;
  const clients = Array.from({ length: 20 }, () => {
    const c = s.createClient(null);
    // Registered like a connection, so invalidations find it.
    s.clients.set(c.id, c);
    return c;
  });
  for (const c of clients) s.tracking.enable(c, 0, 0, []);
  assert.equal(s.tracking.clients, 20);
  const tr = s.tracking;
  tr.rememberKeys(clients[0], get, ['GET', 'k']);
  tr.rememberKeys(clients[0], get, ['GET', 'k']);
  assert.equal(typeof tr.table!.get('k'), 'number');
  assert.equal(tr.totalItems, 1);
  tr.rememberKeys(clients[1], mget, ['MGET', 'k', 'other']);
  assert.ok(Array.isArray(tr.table!.get('k')));
  assert.equal(tr.totalItems, 3);
  for (const c of clients) tr.rememberKeys(c, get, ['GET', 'k']);
  assert.ok(tr.table!.get('k') instanceof Set);
  assert.equal(tr.totalItems, 21);
  // RESP2 clients without a redirect get nothing, but the key leaves the table.
  s.keyspace.dbs[0].modified('k');
  assert.equal(tr.table!.get('k'), undefined);
  assert.equal(tr.totalItems, 1);
  for (const c of clients) assert.equal(c.reply.size, 0);
  // RESP3: an invalidation push.
  clients[1].reply.resp = 3;
  s.keyspace.dbs[0].modified('other');
  assert.equal(clients[1].reply.buf.toString('latin1', 0, clients[1].reply.len), '>2\r\n$10\r\ninvalidate\r\n*1\r\n$5\r\nother\r\n');
  assert.equal(tr.totalItems, 0);
  for (const c of clients) tr.disable(c);
  assert.equal(tr.clients, 0);
});
