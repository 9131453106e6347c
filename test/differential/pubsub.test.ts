// Pub/Sub compared with redis-server on several connections at once: every
// frame each connection receives (replies, confirmations, messages) in RESP2
// and RESP3, including the order of a reply and the messages a command sends
// to its own connection.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPair, skipReason, type DiffPair } from '../helpers/differential.js';
import { MultiConn } from '../helpers/pubsub.js';
import { decode } from '../helpers/resp.js';

const skip = skipReason();
let pair: DiffPair;
before(async () => {
  if (!skip) pair = (await startPair())!;
});
after(async () => {
  if (pair) await pair.close();
});

/** n fresh connections; closes them after `fn`. */
async function withConns(n: number, fn: (m: MultiConn) => Promise<void>): Promise<void> {
  const m = await MultiConn.open(pair, n);
  try {
    await fn(m);
  } finally {
    m.close();
  }
}

test('SUBSCRIBE, PUBLISH, UNSUBSCRIBE in RESP2 with two subscribers', { skip }, async () => {
  await withConns(3, async (m) => {
    await m.step(0, ['SUBSCRIBE', 'a', 'b', 'a']);
    await m.step(1, ['SUBSCRIBE', 'b']);
    await m.step(2, ['PUBLISH', 'a', 'hello']);
    await m.step(2, ['PUBLISH', 'b', 'to both']);
    await m.step(2, ['PUBLISH', 'nobody', 'x']);
    await m.step(2, ['PUBSUB', 'NUMSUB', 'a', 'b', 'c', 'a']);
    await m.step(0, ['UNSUBSCRIBE', 'b', 'nope', 'b']);
    await m.step(2, ['PUBLISH', 'b', 'only 1']);
    await m.step(2, ['PUBSUB', 'NUMSUB', 'b']);
    await m.step(0, ['UNSUBSCRIBE', 'a']);
    // Out of the subscribed context once nothing is left.
    await m.step(0, ['GET', 'x']);
    await m.step(0, ['UNSUBSCRIBE']);
    await m.step(1, ['UNSUBSCRIBE']);
    await m.step(1, ['PUNSUBSCRIBE']);
    await m.step(1, ['SUNSUBSCRIBE']);
    await m.step(2, ['PUBSUB', 'NUMSUB', 'a', 'b']);
  });
});

test('binary, empty and big channels and messages', { skip }, async () => {
  await withConns(2, async (m) => {
    const big = 'm'.repeat(200000);
    await m.step(0, ['SUBSCRIBE', '', 'bin\x00\xff\r\n', 'big']);
    await m.step(1, ['PUBLISH', '', '']);
    await m.step(1, ['PUBLISH', 'bin\x00\xff\r\n', '\x00\r\n\xff']);
    await m.step(1, ['PUBLISH', 'big', big]);
    await m.step(0, ['PSUBSCRIBE', 'b*']);
    await m.step(1, ['PUBLISH', 'big', big]);
    await m.step(1, ['PUBLISH', 'bin\x00\xff\r\n', 'both']);
  });
});

test('PSUBSCRIBE: glob patterns, channel subscribers first, then patterns', { skip }, async () => {
  await withConns(3, async (m) => {
    await m.step(0, ['PSUBSCRIBE', 'news.*', 'h?llo', 'h[ae]llo', 'x\\*y', '[', 'a[^b]c', 'news.*']);
    await m.step(1, ['SUBSCRIBE', 'hello']);
    await m.step(1, ['PSUBSCRIBE', '*']);
    for (const ch of ['news.sport', 'news.', 'news', 'hello', 'hallo', 'hxllo', 'x*y', 'xzy', '[', 'abc', 'acc', 'a\x00c']) {
      // A connection matched by several patterns gets one message per pattern, in Redis's hash order.
      await m.step(2, ['PUBLISH', ch, 'msg'], { unordered: true });
    }
    await m.step(2, ['PUBSUB', 'NUMPAT']);
    await m.step(0, ['PUNSUBSCRIBE', 'h?llo', 'nope']);
    await m.step(2, ['PUBLISH', 'hello', 'msg'], { unordered: true });
    await m.step(2, ['PUBSUB', 'NUMPAT']);
    await m.step(1, ['PUNSUBSCRIBE', '*']);
    await m.step(2, ['PUBLISH', 'hello', 'msg']);
    await m.step(2, ['PUBSUB', 'NUMPAT']);
  });
});

test('NUMPAT counts distinct patterns; mixing channels, patterns and shard channels', { skip }, async () => {
  await withConns(3, async (m) => {
    await m.step(0, ['PSUBSCRIBE', 'p*', 'q*']);
    await m.step(1, ['PSUBSCRIBE', 'p*']);
    await m.step(2, ['PUBSUB', 'NUMPAT']);
    // Counts: channels + patterns for (P)SUBSCRIBE, shard channels alone for SSUBSCRIBE.
    await m.step(0, ['SUBSCRIBE', 'c1', 'c2']);
    await m.step(0, ['SSUBSCRIBE', 's1', 's2', 's1']);
    await m.step(0, ['UNSUBSCRIBE', 'c1']);
    await m.step(0, ['SUNSUBSCRIBE', 's2', 'c2']);
    await m.step(0, ['PUNSUBSCRIBE', 'p*']);
    await m.step(2, ['SPUBLISH', 's1', 'shard msg']);
    await m.step(2, ['SPUBLISH', 's2', 'nobody']);
    // Patterns never see shard messages; SPUBLISH to a global channel reaches nobody.
    await m.step(1, ['PSUBSCRIBE', 's*']);
    await m.step(2, ['SPUBLISH', 's1', 'again']);
    await m.step(2, ['SPUBLISH', 'c2', 'x']);
    await m.step(2, ['PUBLISH', 's1', 'global']);
    await m.step(2, ['PUBSUB', 'SHARDNUMSUB', 's1', 's2', 'c2']);
    await m.step(2, ['PUBSUB', 'SHARDCHANNELS']);
    await m.step(2, ['PUBSUB', 'SHARDCHANNELS', 's?']);
    await m.step(2, ['PUBSUB', 'SHARDCHANNELS', 'x*']);
    await m.step(0, ['SUNSUBSCRIBE']);
    await m.step(0, ['UNSUBSCRIBE']);
    await m.step(0, ['PUNSUBSCRIBE']);
    await m.step(0, ['SUNSUBSCRIBE']);
    await m.step(1, ['PUNSUBSCRIBE', 's*']);
    await m.step(1, ['PUNSUBSCRIBE']);
  });
});

test('PUBSUB CHANNELS with and without a pattern', { skip }, async () => {
  await withConns(2, async (m) => {
    await m.step(0, ['SUBSCRIBE', 'chan-a', 'chan-b', 'other']);
    // The order is Redis's hash order: compare the sets.
    const [a, b] = await Promise.all([m.spinel[1].call('PUBSUB', 'CHANNELS'), m.redis[1].call('PUBSUB', 'CHANNELS')]);
    const sorted = (s: string) => (decode(Buffer.from(s, 'latin1'))[0] as string[]).sort();
    assert.deepEqual(sorted(a), sorted(b));
    const [c, d] = await Promise.all([m.spinel[1].call('PUBSUB', 'CHANNELS', 'chan-*'), m.redis[1].call('PUBSUB', 'CHANNELS', 'chan-*')]);
    assert.deepEqual(sorted(c), sorted(d));
    await m.step(1, ['PUBSUB', 'CHANNELS', 'oth*']);
    await m.step(1, ['PUBSUB', 'CHANNELS', 'none*']);
    await m.step(0, ['UNSUBSCRIBE', 'chan-a', 'chan-b']);
    await m.step(1, ['PUBSUB', 'CHANNELS']);
  });
});

test('RESP2 subscribed context: only (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PING, QUIT, RESET', { skip }, async () => {
  await withConns(1, async (m) => {
    await m.step(0, ['SSUBSCRIBE', 'only-shard']);
    for (const cmd of [['GET', 'x'], ['SET', 'x', '1'], ['PUBLISH', 'a', 'b'], ['CLIENT', 'ID'], ['CLIENT', 'REPLY', 'ON'], ['HELLO', '3'], ['PUBSUB', 'NUMPAT'], ['SELECT', '1'], ['ECHO', 'x'], ['NOSUCH'], ['GET'], ['PING', 'a', 'b']]) {
      await m.step(0, cmd);
    }
    await m.step(0, ['PING']);
    await m.step(0, ['PING', 'hi']);
    await m.step(0, ['SUBSCRIBE', 'c']);
    await m.step(0, ['PSUBSCRIBE', 'p']);
    await m.step(0, ['RESET']);
    await m.step(0, ['PING']);
    await m.step(0, ['PUBSUB', 'SHARDNUMSUB', 'only-shard']);
    await m.step(0, ['PUBSUB', 'NUMSUB', 'c']);
    await m.step(0, ['PUBSUB', 'NUMPAT']);
  });
});

test('QUIT in the subscribed context closes the connection', { skip }, async () => {
  const [a, b] = await pair.connectMore();
  await Promise.all([a.call('SUBSCRIBE', 'q'), b.call('SUBSCRIBE', 'q')]);
  const [qa, qb] = await Promise.all([a.call('QUIT'), b.call('QUIT')]);
  assert.equal(qa, qb);
  await Promise.all([a.waitClose(), b.waitClose()]);
  const [na, nb] = await pair.both('PUBSUB', 'NUMSUB', 'q');
  assert.equal(na, nb);
});

test('RESP3: pushes, ordinary commands while subscribed, publishing to itself', { skip }, async () => {
  await withConns(2, async (m) => {
    const mask = (f: string) => f.replace(/\$2\r\nid\r\n:\d+/, '$2\r\nid\r\n:ID');
    await m.step(0, ['HELLO', '3'], { mask });
    await m.step(1, ['HELLO', '3'], { mask });
    await m.step(0, ['UNSUBSCRIBE']);
    await m.step(0, ['SUBSCRIBE', 'self', 'other']);
    await m.step(0, ['PSUBSCRIBE', 's*']);
    await m.step(0, ['SET', 'k', 'v']);
    await m.step(0, ['GET', 'k']);
    // The reply (:2, two receivers: the channel and the pattern) comes before the messages.
    await m.step(0, ['PUBLISH', 'self', 'to me']);
    await m.step(1, ['PUBLISH', 'self', 'from 1']);
    await m.step(0, ['PING']);
    await m.step(0, ['PING', 'x']);
    await m.step(0, ['SSUBSCRIBE', 'sh']);
    await m.step(0, ['SPUBLISH', 'sh', 'shard to me']);
    await m.step(0, ['PUBSUB', 'NUMSUB', 'self']);
    await m.step(0, ['UNSUBSCRIBE', 'self']);
    await m.step(0, ['PUNSUBSCRIBE']);
    await m.step(0, ['SUNSUBSCRIBE']);
    await m.step(0, ['UNSUBSCRIBE']);
    await m.step(0, ['UNSUBSCRIBE']);
    // A RESP2 subscriber and a RESP3 one on the same channel.
    await m.step(0, ['SUBSCRIBE', 'mixed']);
    await m.step(1, ['HELLO', '2'], { mask });
    await m.step(1, ['SUBSCRIBE', 'mixed']);
    await m.step(0, ['PUBLISH', 'mixed', 'm']);
    await m.step(0, ['HELLO', '2'], { mask });
    await m.step(0, ['GET', 'k']);
    await m.step(0, ['RESET']);
    await m.step(1, ['RESET']);
  });
});

test('pushes reach the client under CLIENT REPLY OFF and SKIP', { skip }, async () => {
  await withConns(2, async (m) => {
    await m.step(1, ['HELLO', '3'], { mask: (f) => f.replace(/:\d+\r\n\$4\r\nmode/, ':ID$4\r\nmode') });
    m.spinel[1].send(Buffer.from('CLIENT REPLY OFF\r\nSUBSCRIBE off\r\nGET nothing\r\n'));
    m.redis[1].send(Buffer.from('CLIENT REPLY OFF\r\nSUBSCRIBE off\r\nGET nothing\r\n'));
    await m.step(0, ['PUBLISH', 'off', 'still delivered'], { skipDrain: [1] });
    await m.step(1, ['CLIENT', 'REPLY', 'ON']);
    // SKIP drops the reply of the next command (its message still comes).
    m.spinel[1].send(Buffer.from('CLIENT REPLY SKIP\r\nPUBLISH off mine\r\n'));
    m.redis[1].send(Buffer.from('CLIENT REPLY SKIP\r\nPUBLISH off mine\r\n'));
    await m.settle('CLIENT REPLY SKIP, PUBLISH', {}, 1);
    await m.step(1, ['PUBLISH', 'off', 'mine again']);
    await m.step(1, ['RESET']);
  });
});

test('keyspace events to the connection that caused them follow its reply', { skip }, async () => {
  await pair.both('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
  try {
    await withConns(1, async (m) => {
      await m.step(0, ['HELLO', '3'], { mask: (f) => f.replace(/:\d+\r\n\$4\r\nmode/, ':ID$4\r\nmode') });
      await m.step(0, ['PSUBSCRIBE', '__key*__:*']);
      await m.step(0, ['SET', 'ev', '1']);
      await m.step(0, ['INCR', 'ev']);
      await m.step(0, ['DEL', 'ev', 'nokey']);
      await m.step(0, ['MSET', 'a', '1', 'b', '2']);
    });
  } finally {
    await pair.both('CONFIG', 'SET', 'notify-keyspace-events', '');
  }
});

test('CLIENT LIST sub/psub/ssub and flags; INFO pubsub counts', { skip }, async () => {
  await withConns(2, async (m) => {
    await m.step(0, ['SUBSCRIBE', 'i1', 'i2']);
    await m.step(0, ['PSUBSCRIBE', 'ip*']);
    await m.step(0, ['SSUBSCRIBE', 'is1', 'is2', 'is3']);
    await m.step(1, ['SUBSCRIBE', 'i1']);
    const fields = async (c: { call: (...a: string[]) => Promise<string> }) => {
      const list = await c.call('CLIENT', 'LIST', 'TYPE', 'pubsub');
      return list
        .split('\n')
        .filter((l) => l.includes('id='))
        .map((l) => ['flags', 'sub', 'psub', 'ssub', 'multi'].map((k) => new RegExp(` ${k}=([^ ]*)`).exec(l)![1]).join(' '))
        .sort();
    };
    const [sa, ra] = await pair.connectMore();
    try {
      assert.deepEqual(await fields(sa), await fields(ra));
      const info = async (c: { call: (...a: string[]) => Promise<string> }) => (await c.call('INFO', 'stats')).split('\r\n').filter((l) => l.startsWith('pubsub'));
      assert.deepEqual(await info(sa), await info(ra));
      await m.step(0, ['UNSUBSCRIBE', 'i1', 'i2']);
      assert.deepEqual(await fields(sa), await fields(ra));
      await m.step(0, ['SUNSUBSCRIBE', 'is3', 'is1', 'is2']);
      await m.step(0, ['PUNSUBSCRIBE']);
      assert.deepEqual(await fields(sa), await fields(ra));
      assert.deepEqual(await info(sa), await info(ra));
      await m.step(1, ['UNSUBSCRIBE']);
      assert.deepEqual(await info(sa), await info(ra));
    } finally {
      sa.close();
      ra.close();
    }
  });
});

test('errors: arity and PUBSUB subcommands', { skip }, async () => {
  await pair.checkAll([
    ['SUBSCRIBE'],
    ['PSUBSCRIBE'],
    ['SSUBSCRIBE'],
    ['PUBLISH'],
    ['PUBLISH', 'a'],
    ['PUBLISH', 'a', 'b', 'c'],
    ['SPUBLISH', 'a'],
    ['PUBSUB'],
    ['PUBSUB', 'HELP'],
    ['PUBSUB', 'help', 'x'],
    ['PUBSUB', 'NOPE'],
    ['PUBSUB', 'NUMPAT', 'x'],
    ['PUBSUB', 'CHANNELS', 'a', 'b'],
    ['PUBSUB', 'chaNNels', 'a', 'b'],
    ['PUBSUB', 'SHARDCHANNELS', 'a', 'b'],
    ['PUBSUB', 'NUMSUB'],
    ['PUBSUB', 'SHARDNUMSUB'],
    ['UNSUBSCRIBE'],
    ['PUNSUBSCRIBE'],
    ['SUNSUBSCRIBE'],
  ]);
  await pair.resp(3);
  await pair.checkAll([['PUBSUB', 'NUMSUB', 'x'], ['PUBSUB', 'CHANNELS', 'zz*'], ['UNSUBSCRIBE', 'a'], ['PUBLISH', 'a', 'b']]);
  await pair.resp(2);
});
