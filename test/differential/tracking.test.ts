// Client-side caching compared with redis-server on several connections:
// what each connection receives (replies, invalidation pushes, RESP2
// invalidation messages, tracking-redir-broken) in order, for the default
// mode, REDIRECT, BCAST with prefixes, NOLOOP, OPTIN/OPTOUT, flushes,
// expiry and the tracking-table-max-keys limit.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPair, skipReason, type DiffPair } from '../helpers/differential.js';
import { MultiConn, drain } from '../helpers/pubsub.js';

const skip = skipReason();
const timeout = 60000;
let pair: DiffPair;
before(async () => {
  if (!skip) pair = (await startPair())!;
});
after(async () => {
  if (pair) await pair.close();
});

/** HELLO replies carry the client id. */
const maskHello = (f: string) => f.replace(/\$2\r\nid\r\n:\d+/, '$2\r\nid\r\n:ID');

async function withConns(n: number, fn: (m: MultiConn) => Promise<void>): Promise<void> {
  await pair.both('FLUSHALL');
  const m = await MultiConn.open(pair, n);
  try {
    await fn(m);
  } finally {
    m.close();
  }
}

/** CLIENT TRACKING ON REDIRECT <id of connection `to`> on connection `from` (ids differ per server). */
async function redirect(m: MultiConn, from: number, to: number, ...opts: string[]): Promise<void> {
  const [s, r] = await m.ids(to);
  await m.step(from, [
    ['CLIENT', 'TRACKING', 'ON', 'REDIRECT', s, ...opts],
    ['CLIENT', 'TRACKING', 'ON', 'REDIRECT', r, ...opts],
  ]);
}

test('RESP3 default mode: reads tracked, writes invalidate once', { skip, timeout }, async () => {
  await withConns(2, async (m) => {
    await m.step(0, ['HELLO', '3'], { mask: maskHello });
    await m.step(0, ['CLIENT', 'TRACKING', 'ON']);
    await m.step(1, ['MSET', 'a', '1', 'b', '2', 'c', '3']);
    await m.step(0, ['GET', 'a']);
    await m.step(0, ['MGET', 'b', 'c', 'nokey']);
    await m.step(1, ['SET', 'a', 'x']);
    // Not read again since: no second invalidation.
    await m.step(1, ['SET', 'a', 'y']);
    await m.step(1, ['DEL', 'b', 'c', 'nokey']);
    await m.step(1, ['SET', 'nokey', '1']);
    // Other families and reads: each key's read-only commands, invalidated by any write.
    await m.step(1, ['RPUSH', 'l', '1', '2']);
    await m.step(1, ['HSET', 'h', 'f', 'v']);
    await m.step(1, ['ZADD', 'z', '1', 'm']);
    await m.step(0, ['LRANGE', 'l', '0', '-1']);
    await m.step(0, ['HGETALL', 'h']);
    await m.step(0, ['ZSCORE', 'z', 'm']);
    await m.step(0, ['EXISTS', 'a', 'l']);
    await m.step(0, ['STRLEN', 'a']);
    await m.step(1, ['LPOP', 'l']);
    await m.step(1, ['HDEL', 'h', 'f']);
    await m.step(1, ['ZINCRBY', 'z', '1', 'm']);
    await m.step(1, ['APPEND', 'a', 'z']);
    await m.step(1, ['RENAME', 'a', 'a2']);
    await m.step(0, ['SUNION', 's1', 's2']);
    await m.step(1, ['SADD', 's2', 'x']);
    // Writes by the tracking client itself: reply first, then the invalidation.
    await m.step(0, ['GET', 'self']);
    await m.step(0, ['SET', 'self', '1']);
    await m.step(0, ['GET', 'self']);
    await m.step(0, ['INCR', 'self']);
    await m.step(0, ['MSET', 'self', '1', 'x', '2']);
    await m.step(0, ['CLIENT', 'TRACKING', 'OFF']);
    await m.step(0, ['GET', 'off']);
    await m.step(1, ['SET', 'off', '1']);
  });
});

test('NOLOOP: no invalidation for the client\'s own writes', { skip, timeout }, async () => {
  await withConns(2, async (m) => {
    await m.step(0, ['HELLO', '3'], { mask: maskHello });
    await m.step(0, ['CLIENT', 'TRACKING', 'ON', 'NOLOOP']);
    await m.step(0, ['GET', 'k']);
    await m.step(0, ['SET', 'k', '1']);
    await m.step(0, ['GET', 'k']);
    await m.step(1, ['SET', 'k', '2']);
    await m.step(0, ['CLIENT', 'TRACKINGINFO']);
  });
});

test('RESP2 without redirection gets nothing; REDIRECT to a RESP2 subscriber uses __redis__:invalidate', { skip, timeout }, async () => {
  await withConns(3, async (m) => {
    await m.step(0, ['CLIENT', 'TRACKING', 'ON']);
    await m.step(0, ['GET', 'k']);
    await m.step(2, ['SET', 'k', '1']);
    await m.step(0, ['CLIENT', 'TRACKING', 'OFF']);
    // The target is subscribed to another channel: Redis still delivers (any Pub/Sub client).
    await m.step(1, ['SUBSCRIBE', 'unrelated']);
    await redirect(m, 0, 1);
    await m.step(0, ['CLIENT', 'GETREDIR'], { mask: (f) => f.replace(/:\d+/, ':ID') });
    await m.step(0, ['GET', 'k']);
    await m.step(0, ['MGET', 'x', 'y']);
    await m.step(2, ['MSET', 'k', '2', 'x', '3', 'y', '4']);
    await m.step(0, ['GET', 'k']);
    await m.step(0, ['SET', 'k', 'self']);
    await m.step(1, ['UNSUBSCRIBE']);
    await m.step(1, ['SUBSCRIBE', '__redis__:invalidate']);
    await m.step(0, ['GET', 'k']);
    await m.step(2, ['DEL', 'k']);
    await m.step(0, ['GET', 'k']);
    await m.step(2, ['FLUSHALL']);
    await m.step(2, ['FLUSHDB']);
    // Not in Pub/Sub context any more: invalidations are dropped.
    await m.step(1, ['UNSUBSCRIBE']);
    await m.step(0, ['GET', 'k']);
    await m.step(2, ['SET', 'k', '1']);
  });
});

test('REDIRECT to a RESP3 connection, and tracking-redir-broken when it goes away', { skip, timeout }, async () => {
  await withConns(3, async (m) => {
    await m.step(1, ['HELLO', '3'], { mask: maskHello });
    await m.step(0, ['HELLO', '3'], { mask: maskHello });
    await redirect(m, 0, 1);
    await m.step(0, ['GET', 'k']);
    await m.step(2, ['SET', 'k', '1']);
    await m.step(0, ['GET', 'k']);
    await m.step(0, ['SET', 'k', '2']);
    await m.step(0, ['GET', 'k']);
    await m.step(2, ['FLUSHALL']);
    // The redirect target closes.
    const [sid, rid] = await m.ids(1);
    m.spinel[1].close();
    m.redis[1].close();
    m.spinel.splice(1, 1);
    m.redis.splice(1, 1);
    await new Promise((r) => setTimeout(r, 100));
    await m.step(0, ['GET', 'k']);
    const mask = (f: string) => f.replace(`:${sid}\r\n`, ':ID\r\n').replace(`:${rid}\r\n`, ':ID\r\n');
    await m.step(1, ['SET', 'k', '3'], { mask });
    await m.step(0, ['CLIENT', 'TRACKINGINFO'], { mask });
    const flags = async (c: { call: (...a: string[]) => Promise<string> }) => /flags=(\S+)/.exec(await c.call('CLIENT', 'INFO'))![1];
    assert.equal(await flags(m.spinel[0]), await flags(m.redis[0]));
    await m.step(0, ['GET', 'k']);
    await m.step(0, ['SET', 'k', '4'], { mask });
    await m.step(1, ['FLUSHDB'], { mask });
  });
});

test('BCAST: prefixes, one message per prefix per turn, NOLOOP, the empty prefix', { skip, timeout }, async () => {
  await withConns(3, async (m) => {
    await m.step(0, ['HELLO', '3'], { mask: maskHello });
    await m.step(0, ['CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'user:', 'PREFIX', 'cfg']);
    await m.step(2, ['SET', 'user:1', 'a']);
    await m.step(2, ['MSET', 'user:2', 'b', 'user:1', 'c', 'cfg.x', '1', 'other', '2']);
    await m.step(2, ['SET', 'other', '3']);
    await m.step(2, ['DEL', 'user:1', 'user:2', 'cfg.x']);
    // Keys the client writes itself come back too (no NOLOOP).
    await m.step(0, ['SET', 'user:9', 'mine']);
    await m.step(0, ['CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'zzz']);
    await m.step(0, ['CLIENT', 'TRACKINGINFO']);
    await m.step(2, ['SET', 'zzz', '1']);
    await m.step(0, ['CLIENT', 'TRACKING', 'OFF']);
    await m.step(0, ['CLIENT', 'TRACKING', 'ON', 'BCAST', 'NOLOOP']);
    await m.step(0, ['SET', 'anything', 'mine']);
    await m.step(0, ['MSET', 'a', '1', 'b', '2']);
    await m.step(2, ['SET', 'anything', 'theirs']);
    // A RESP2 redirect target in Pub/Sub context.
    await m.step(1, ['SUBSCRIBE', '__redis__:invalidate']);
    await m.step(0, ['CLIENT', 'TRACKING', 'OFF']);
    await redirect(m, 0, 1, 'BCAST', 'PREFIX', 'p:');
    await m.step(2, ['MSET', 'p:b', '1', 'p:a', '2', 'q', '3']);
    await m.step(2, ['FLUSHALL']);
    await m.step(0, ['CLIENT', 'TRACKING', 'OFF']);
    await m.step(2, ['SET', 'p:c', '1']);
  });
});

test('OPTIN and OPTOUT with CLIENT CACHING', { skip, timeout }, async () => {
  await withConns(2, async (m) => {
    await m.step(0, ['HELLO', '3'], { mask: maskHello });
    await m.step(0, ['CLIENT', 'TRACKING', 'ON', 'OPTIN']);
    await m.step(0, ['GET', 'a']);
    await m.step(1, ['SET', 'a', '1']);
    await m.step(0, ['CLIENT', 'CACHING', 'YES']);
    await m.step(0, ['CLIENT', 'TRACKINGINFO']);
    await m.step(0, ['GET', 'a']);
    await m.step(0, ['CLIENT', 'TRACKINGINFO']);
    await m.step(0, ['GET', 'b']);
    await m.step(1, ['MSET', 'a', '2', 'b', '2']);
    // CACHING applies to the next command, even through other CLIENT commands.
    await m.step(0, ['CLIENT', 'CACHING', 'YES']);
    await m.step(0, ['CLIENT', 'ID'], { mask: (f) => f.replace(/:\d+/, ':ID') });
    await m.step(0, ['GET', 'b']);
    await m.step(1, ['SET', 'b', '3']);
    await m.step(0, ['CLIENT', 'CACHING', 'YES']);
    await m.step(0, ['PING']);
    await m.step(0, ['GET', 'b']);
    await m.step(1, ['SET', 'b', '4']);
    await m.step(0, ['CLIENT', 'TRACKING', 'OFF']);
    await m.step(0, ['CLIENT', 'TRACKING', 'ON', 'OPTOUT']);
    await m.step(0, ['GET', 'c']);
    await m.step(0, ['CLIENT', 'CACHING', 'NO']);
    await m.step(0, ['GET', 'd']);
    await m.step(0, ['CLIENT', 'TRACKINGINFO']);
    await m.step(1, ['MSET', 'c', '1', 'd', '1']);
  });
});

test('expired keys invalidate; FLUSHALL and FLUSHDB send a null to every tracking client', { skip, timeout }, async () => {
  await withConns(3, async (m) => {
    await m.step(0, ['HELLO', '3'], { mask: maskHello });
    await m.step(0, ['CLIENT', 'TRACKING', 'ON']);
    await m.step(2, ['SET', 'e', 'v', 'PX', '30']);
    await m.step(0, ['GET', 'e']);
    await new Promise((r) => setTimeout(r, 300));
    // Active expiry found it (or it goes on this access): an invalidation either way.
    await m.settle('expiry');
    await m.step(2, ['SET', 'lazy', 'v', 'PX', '30']);
    await m.step(2, ['DEBUG', 'SET-ACTIVE-EXPIRE', '0']);
    await m.step(0, ['GET', 'lazy']);
    await new Promise((r) => setTimeout(r, 60));
    await m.step(2, ['GET', 'lazy']);
    // A key that expires while a NOLOOP BCAST client reads it was changed by no client: it is told.
    await m.step(1, ['HELLO', '3'], { mask: maskHello });
    await m.step(1, ['CLIENT', 'TRACKING', 'ON', 'BCAST', 'NOLOOP']);
    await m.step(1, ['SET', 'mine', 'v', 'PX', '30']);
    await new Promise((r) => setTimeout(r, 60));
    await m.step(1, ['GET', 'mine']);
    await m.step(1, ['SET', 'mine', 'v']);
    await m.step(1, ['CLIENT', 'TRACKING', 'OFF']);
    await m.step(1, ['HELLO', '2'], { mask: maskHello });
    await m.step(2, ['DEBUG', 'SET-ACTIVE-EXPIRE', '1']);
    await m.step(1, ['CLIENT', 'TRACKING', 'ON']);
    await m.step(1, ['GET', 'x']);
    await m.step(0, ['GET', 'y']);
    await m.step(2, ['FLUSHDB']);
    await m.step(0, ['FLUSHALL']);
    await m.step(1, ['FLUSHALL', 'ASYNC']);
    await m.step(0, ['GET', 'x']);
    await m.step(2, ['SET', 'x', '1']);
  });
});

test('tracking-table-max-keys evicts keys with an invalidation; INFO tracking fields', { skip, timeout }, async () => {
  const info = async () => {
    const [a, b] = await pair.both('INFO', 'everything');
    const pick = (s: string) => s.split('\r\n').filter((l) => l.startsWith('tracking_'));
    return [pick(a), pick(b)];
  };
  await withConns(2, async (m) => {
    await m.step(0, ['HELLO', '3'], { mask: maskHello });
    await m.step(0, ['CLIENT', 'TRACKING', 'ON']);
    await m.step(1, ['HELLO', '3'], { mask: maskHello });
    await m.step(1, ['CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'a', 'PREFIX', 'b']);
    await m.step(0, ['MGET', 'k1', 'k2', 'k3']);
    await m.step(1, ['GET', 'k1']);
    let [a, b] = await info();
    assert.deepEqual(a, b);
    await pair.both('CONFIG', 'SET', 'tracking-table-max-keys', '1');
    try {
      // The cron or the next command evicts two of the three keys (which ones: Redis picks at random).
      await new Promise((res) => setTimeout(res, 300));
      const [fs, fr] = await Promise.all([drain(m.spinel[0]), drain(m.redis[0])]);
      const keys = (frames: string[]) => frames.map((f) => /^>2\r\n\$10\r\ninvalidate\r\n\*1\r\n\$2\r\n(k\d)\r\n$/.exec(f)![1]);
      assert.equal(keys(fs).length, 2);
      assert.equal(keys(fr).length, 2);
      [a, b] = await info();
      assert.deepEqual(a, b);
    } finally {
      await pair.both('CONFIG', 'SET', 'tracking-table-max-keys', '1000000');
    }
    await m.step(0, ['CLIENT', 'TRACKING', 'OFF']);
    await m.step(1, ['CLIENT', 'TRACKING', 'OFF']);
    [a, b] = await info();
    assert.deepEqual(a, b);
  });
});

test('CLIENT TRACKING option errors and the prefix overlap rules', { skip, timeout }, async () => {
  await pair.checkAll([
    ['CLIENT', 'TRACKING'],
    ['CLIENT', 'TRACKING', 'maybe'],
    ['CLIENT', 'TRACKING', 'on', 'foo'],
    ['CLIENT', 'TRACKING', 'on', 'PREFIX'],
    ['CLIENT', 'TRACKING', 'on', 'REDIRECT'],
    ['CLIENT', 'TRACKING', 'on', 'PREFIX', 'x'],
    ['CLIENT', 'TRACKING', 'on', 'REDIRECT', 'x'],
    ['CLIENT', 'TRACKING', 'on', 'REDIRECT', '0'],
    ['CLIENT', 'TRACKING', 'on', 'REDIRECT', '-5'],
    ['CLIENT', 'TRACKING', 'on', 'REDIRECT', '999999'],
    ['CLIENT', 'TRACKING', 'on', 'BCAST', 'OPTIN'],
    ['CLIENT', 'TRACKING', 'on', 'BCAST', 'OPTOUT'],
    ['CLIENT', 'TRACKING', 'on', 'OPTIN', 'OPTOUT'],
    ['CLIENT', 'CACHING', 'yes'],
    ['CLIENT', 'CACHING'],
    ['CLIENT', 'GETREDIR'],
    ['CLIENT', 'GETREDIR', 'x'],
    ['CLIENT', 'TRACKINGINFO'],
    ['CLIENT', 'TRACKINGINFO', 'x'],
    ['CLIENT', 'TRACKING', 'on', 'OPTIN'],
    ['CLIENT', 'CACHING', 'no'],
    ['CLIENT', 'CACHING', 'maybe'],
    ['CLIENT', 'TRACKING', 'on', 'OPTOUT'],
    ['CLIENT', 'TRACKING', 'on', 'BCAST'],
    ['CLIENT', 'TRACKING', 'off'],
    ['CLIENT', 'TRACKING', 'off', 'BCAST', 'OPTIN', 'PREFIX', 'x'],
    ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'a', 'PREFIX', 'ab'],
    ['CLIENT', 'TRACKINGINFO'],
    // Redis 7.2 replies the error and then OK when the clash involves a later prefix (and enables tracking).
    ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'x', 'PREFIX', 'a', 'PREFIX', 'ab'],
  ]);
  // The second reply of the quirk above.
  const [a, b] = await Promise.all([pair.spinel.read(), pair.redis.read()]);
  assert.equal(a, b);
  await pair.checkAll([
    ['CLIENT', 'TRACKINGINFO'],
    ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'xy'],
    ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'b', 'PREFIX', 'c'],
    ['CLIENT', 'TRACKING', 'on'],
    ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', ''],
    ['CLIENT', 'TRACKINGINFO'],
    ['CLIENT', 'TRACKING', 'off'],
    ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'y', 'PREFIX', 'y'],
    ['CLIENT', 'TRACKING', 'on', 'OPTIN'],
    ['CLIENT', 'TRACKING', 'on', 'OPTOUT'],
    ['CLIENT', 'TRACKING', 'on', 'BCAST'],
    ['CLIENT', 'TRACKING', 'on', 'NOLOOP'],
    ['CLIENT', 'TRACKINGINFO'],
    ['CLIENT', 'GETREDIR'],
    ['CLIENT', 'TRACKING', 'off'],
    ['CLIENT', 'TRACKINGINFO'],
  ]);
  await pair.resp(3);
  await pair.checkAll([['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'b', 'PREFIX', 'a', 'NOLOOP'], ['CLIENT', 'TRACKINGINFO'], ['CLIENT', 'TRACKING', 'off'], ['CLIENT', 'TRACKINGINFO']]);
  await pair.resp(2);
});
