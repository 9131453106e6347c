// Pub/Sub with many clients over real sockets: fan-out, patterns, a
// keyspace notification for each event type, and slow subscribers cut off
// by client-output-buffer-limit while the others keep receiving.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startSpinel, type SpinelHandle } from '../helpers/servers.js';
import { RawClient, decode } from '../helpers/resp.js';

let s: SpinelHandle;
before(async () => {
  s = await startSpinel();
});
after(() => s.close());

const value = (frame: string) => decode(Buffer.from(frame, 'latin1'))[0];

test('PUBLISH reaches every subscriber of the channel and of matching patterns, and nobody else', async () => {
  const subs: RawClient[] = [];
  try {
    for (let i = 0; i < 50; i++) {
      const c = await RawClient.connect(s.port);
      subs.push(c);
      if (i % 2 === 0) assert.deepEqual(value(await c.call('SUBSCRIBE', 'fan')), ['subscribe', 'fan', 1]);
      else assert.deepEqual(value(await c.call('PSUBSCRIBE', i % 4 === 1 ? 'f*' : 'x*')), ['psubscribe', i % 4 === 1 ? 'f*' : 'x*', 1]);
    }
    const pub = await RawClient.connect(s.port);
    // 25 channel subscribers + 13 whose pattern matches.
    assert.equal(await pub.call('PUBLISH', 'fan', 'out'), ':38\r\n');
    assert.equal(await pub.call('PUBSUB', 'NUMSUB', 'fan'), '*2\r\n$3\r\nfan\r\n:25\r\n');
    assert.equal(await pub.call('PUBSUB', 'NUMPAT'), ':2\r\n');
    for (let i = 0; i < 50; i++) {
      if (i % 2 === 0) assert.deepEqual(value(await subs[i].read()), ['message', 'fan', 'out']);
      else if (i % 4 === 1) assert.deepEqual(value(await subs[i].read()), ['pmessage', 'f*', 'fan', 'out']);
    }
    // The x* subscribers got nothing: their next frame is the reply to PING.
    assert.equal(await subs[3].call('PING'), '*2\r\n$4\r\npong\r\n$0\r\n\r\n');
    // Closing subscribers unsubscribes them.
    for (const c of subs) c.close();
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(await pub.call('PUBLISH', 'fan', 'out'), ':0\r\n');
    assert.equal(await pub.call('PUBSUB', 'NUMPAT'), ':0\r\n');
    const info = await pub.call('INFO', 'stats');
    assert.match(info, /pubsub_channels:0\r\npubsub_patterns:0\r\npubsubshard_channels:0\r\n/);
    pub.close();
  } finally {
    for (const c of subs) c.close();
  }
});

/** Commands and the keyevent names they publish, in order (as Redis 7.2.6 publishes them). */
const EVENTS: [string[][], string[]][] = [
  [[['SET', 'k', 'v']], ['new', 'set']],
  [[['SETRANGE', 'k', '1', 'x']], ['setrange']],
  [[['INCRBY', 'n', '2']], ['new', 'incrby']],
  [[['INCRBYFLOAT', 'n', '1.5']], ['incrbyfloat']],
  [[['APPEND', 'k', 'x']], ['append']],
  [[['SETBIT', 'b', '1', '1']], ['new', 'setbit']],
  [[['PFADD', 'hll', 'a']], ['new', 'pfadd']],
  [[['EXPIRE', 'k', '100']], ['expire']],
  [[['PERSIST', 'k']], ['persist']],
  [[['RENAME', 'k', 'k2']], ['new', 'rename_from', 'rename_to']],
  [[['COPY', 'k2', 'k3']], ['new', 'copy_to']],
  [[['MOVE', 'k3', '1']], ['move_from']],
  [[['DEL', 'k2']], ['del']],
  [[['RPUSH', 'l', 'a', 'b', 'c']], ['new', 'rpush']],
  [[['LPUSH', 'l', 'z']], ['lpush']],
  [[['LINSERT', 'l', 'BEFORE', 'a', 'y']], ['linsert']],
  [[['LSET', 'l', '0', 'w']], ['lset']],
  [[['LREM', 'l', '1', 'y']], ['lrem']],
  [[['LTRIM', 'l', '0', '2']], ['ltrim']],
  [[['LPOP', 'l']], ['lpop']],
  [[['RPOP', 'l']], ['rpop']],
  [[['LMOVE', 'l', 'l2', 'LEFT', 'LEFT']], ['new', 'lpush', 'lpop', 'del']],
  [[['HSET', 'h', 'f', '1']], ['new', 'hset']],
  [[['HINCRBY', 'h', 'f', '1']], ['hincrby']],
  [[['HINCRBYFLOAT', 'h', 'f', '1']], ['hincrbyfloat']],
  [[['HDEL', 'h', 'f']], ['hdel', 'del']],
  [[['SADD', 's', 'a', 'b']], ['new', 'sadd']],
  [[['SREM', 's', 'a']], ['srem']],
  [[['SINTERSTORE', 's2', 's']], ['new', 'sinterstore']],
  [[['SUNIONSTORE', 's3', 's']], ['new', 'sunionstore']],
  [[['SDIFFSTORE', 's4', 's']], ['new', 'sdiffstore']],
  [[['SPOP', 's']], ['spop', 'del']],
  [[['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd']], ['new', 'zadd']],
  [[['ZINCRBY', 'z', '1', 'a']], ['zincr']],
  [[['ZREM', 'z', 'a']], ['zrem']],
  [[['ZREMRANGEBYSCORE', 'z', '2', '2']], ['zremrangebyscore']],
  [[['ZREMRANGEBYRANK', 'z', '0', '0']], ['zremrangebyrank']],
  [[['ZADD', 'zl', '0', 'a', '0', 'b']], ['new', 'zadd']],
  [[['ZREMRANGEBYLEX', 'zl', '[a', '[a']], ['zremrangebylex']],
  [[['ZUNIONSTORE', 'zu', '1', 'z']], ['new', 'zunionstore']],
  [[['ZINTERSTORE', 'zi', '1', 'z']], ['new', 'zinterstore']],
  [[['ZDIFFSTORE', 'zd', '1', 'z']], ['new', 'zdiffstore']],
  [[['ZRANGESTORE', 'zr', 'z', '0', '-1']], ['new', 'zrangestore']],
  [[['ZPOPMIN', 'zu']], ['zpopmin', 'del']],
  [[['ZPOPMAX', 'zi']], ['zpopmax', 'del']],
  [[['GEOADD', 'g', '13.361389', '38.115556', 'Palermo']], ['new', 'zadd']],
  [[['GEOSEARCHSTORE', 'g2', 'g', 'FROMMEMBER', 'Palermo', 'BYRADIUS', '1', 'km']], ['new', 'geosearchstore']],
  [[['XADD', 'x', '1-1', 'f', 'v']], ['new', 'xadd']],
  [[['XGROUP', 'CREATE', 'x', 'g', '0']], ['xgroup-create']],
  [[['XGROUP', 'CREATECONSUMER', 'x', 'g', 'c']], ['xgroup-createconsumer']],
  [[['XGROUP', 'SETID', 'x', 'g', '0']], ['xgroup-setid']],
  [[['XGROUP', 'DELCONSUMER', 'x', 'g', 'c']], ['xgroup-delconsumer']],
  [[['XGROUP', 'DESTROY', 'x', 'g']], ['xgroup-destroy']],
  [[['XSETID', 'x', '5-5']], ['xsetid']],
  [[['XDEL', 'x', '1-1']], ['xdel']],
  [[['XADD', 'x', '6-1', 'f', 'v'], ['XTRIM', 'x', 'MAXLEN', '0']], ['xadd', 'xtrim']],
  [[['RPUSH', 'srt', '2', '1']], ['new', 'rpush']],
  [[['SORT', 'srt', 'STORE', 'sorted']], ['new', 'sortstore']],
  [[['GET', 'missing']], ['keymiss']],
  [[['SET', 'e', 'v', 'PX', '1']], ['new', 'set', 'expire']],
];

test('a keyspace notification for each event type, on both channels', async () => {
  const sub = await RawClient.connect(s.port);
  const c = await RawClient.connect(s.port);
  try {
    await c.call('CONFIG', 'SET', 'notify-keyspace-events', 'KEAnm');
    await c.call('FLUSHALL');
    assert.deepEqual(value(await sub.call('PSUBSCRIBE', '__keyevent@0__:*')), ['psubscribe', '__keyevent@0__:*', 1]);
    assert.deepEqual(value(await sub.call('SUBSCRIBE', '__keyspace@0__:k')), ['subscribe', '__keyspace@0__:k', 2]);
    for (const [cmds, events] of EVENTS) {
      for (const cmd of cmds) await c.call(...cmd);
      for (const ev of events) {
        let m = value(await sub.read()) as string[];
        // Events of key k also come on its keyspace channel, just before.
        if (m[0] === 'message') m = value(await sub.read()) as string[];
        assert.deepEqual(m.slice(0, 3), ['pmessage', '__keyevent@0__:*', `__keyevent@0__:${ev}`], `${cmds.map((x) => x.join(' ')).join('; ')}: ${ev}`);
      }
    }
    // The key set with PX 1 expires: lazily here.
    await new Promise((r) => setTimeout(r, 20));
    await c.call('GET', 'e');
    assert.deepEqual(value(await sub.read()), ['pmessage', '__keyevent@0__:*', '__keyevent@0__:expired', 'e']);
    assert.deepEqual(value(await sub.read()), ['pmessage', '__keyevent@0__:*', '__keyevent@0__:keymiss', 'e']);
    // The keyspace channel carries the event as the message; it is published before the keyevent one.
    await c.call('SET', 'k', '1');
    assert.deepEqual(value(await sub.read()), ['message', '__keyspace@0__:k', 'new']);
    assert.deepEqual(value(await sub.read()), ['pmessage', '__keyevent@0__:*', '__keyevent@0__:new', 'k']);
    assert.deepEqual(value(await sub.read()), ['message', '__keyspace@0__:k', 'set']);
    assert.deepEqual(value(await sub.read()), ['pmessage', '__keyevent@0__:*', '__keyevent@0__:set', 'k']);
  } finally {
    await c.call('CONFIG', 'SET', 'notify-keyspace-events', '');
    sub.close();
    c.close();
  }
});

/** A subscriber that reads nothing: its socket is paused, so the kernel buffers fill and the server queues. */
function stalledSubscriber(port: number, channel: string): Promise<net.Socket> {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1', () => {
      sock.write(`CLIENT SETNAME stalled\r\nSUBSCRIBE ${channel}\r\n`);
      let got = '';
      sock.on('data', function first(d: Buffer) {
        got += d.toString('latin1');
        if (!got.includes(':1\r\n')) return;
        sock.off('data', first);
        sock.pause();
        resolve(sock);
      });
    });
    sock.on('error', () => {});
  });
}

/** Waits until the server no longer lists the stalled client (a paused socket does not see the close itself). */
async function serverDropped(admin: RawClient, timeoutMs: number): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (!(await admin.call('CLIENT', 'LIST')).includes('name=stalled ')) return Date.now() - start;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the stalled subscriber is still connected');
}

/** A subscriber that reads everything and counts the bytes after its SUBSCRIBE confirmation. */
function countingSubscriber(port: number, channel: string): Promise<{ sock: net.Socket; bytes: () => number }> {
  return new Promise((resolve) => {
    const confirm = `*3\r\n$9\r\nsubscribe\r\n$${channel.length}\r\n${channel}\r\n:1\r\n`.length;
    let n = 0;
    const sock = net.connect(port, '127.0.0.1', () => sock.write(`SUBSCRIBE ${channel}\r\n`));
    sock.on('data', (d: Buffer) => {
      n += d.length;
      if (n === confirm) resolve({ sock, bytes: () => n - confirm });
    });
    sock.on('error', () => {});
  });
}

test('a slow subscriber is cut off at the hard limit while fast ones keep receiving', async () => {
  const admin = await RawClient.connect(s.port);
  await admin.call('CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 1mb 0 0');
  const slow = await stalledSubscriber(s.port, 'feed');
  const fast = [await countingSubscriber(s.port, 'feed'), await countingSubscriber(s.port, 'feed')];
  try {
    const msg = 'x'.repeat(64 * 1024);
    const frame = `*3\r\n$7\r\nmessage\r\n$4\r\nfeed\r\n$${msg.length}\r\n${msg}\r\n`.length;
    const total = 400; // 25 MB: far more than the kernel's socket buffers hold
    let receivers = 3;
    for (let i = 0; i < total; i++) {
      const n = Number((await admin.call('PUBLISH', 'feed', msg)).slice(1, -2));
      assert.ok(n === receivers || n === receivers - 1, `receivers ${n}`);
      receivers = n;
    }
    await serverDropped(admin, 5000);
    assert.equal(receivers, 2);
    assert.equal(await admin.call('PUBSUB', 'NUMSUB', 'feed'), '*2\r\n$4\r\nfeed\r\n:2\r\n');
    // The fast subscribers got every message.
    const deadline = Date.now() + 10000;
    while (fast.some((f) => f.bytes() < total * frame) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    for (const f of fast) assert.equal(f.bytes(), total * frame);
  } finally {
    await admin.call('CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 32mb 8mb 60');
    slow.destroy();
    for (const f of fast) f.sock.destroy();
    admin.close();
  }
});

test('the soft limit cuts a subscriber that stays over it for its seconds, even with no more traffic', async () => {
  const admin = await RawClient.connect(s.port);
  await admin.call('CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 0 256kb 1');
  const slow = await stalledSubscriber(s.port, 'soft');
  try {
    const msg = 'y'.repeat(64 * 1024);
    // Enough to get past the kernel buffers and over 256 KB queued.
    let omem = 0;
    for (let i = 0; i < 400 && omem < 256 * 1024; i++) {
      await admin.call('PUBLISH', 'soft', msg);
      const list = await admin.call('CLIENT', 'LIST', 'TYPE', 'pubsub');
      omem = Number(/omem=(\d+)/.exec(list)![1]);
    }
    assert.ok(omem >= 256 * 1024, `omem ${omem}`);
    // Over the soft limit but not for more than a second yet: still connected.
    assert.match(await admin.call('CLIENT', 'LIST', 'TYPE', 'pubsub'), /name=stalled /);
    const waited = await serverDropped(admin, 5000);
    // More than the soft seconds (the clock counts whole seconds), and the cron noticed within about one more.
    assert.ok(waited >= 900 && waited < 4000, `closed after ${waited} ms`);
  } finally {
    await admin.call('CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 32mb 8mb 60');
    slow.destroy();
    admin.close();
  }
});

test('a big reply to a normal client over its hard limit closes it without a reply', async () => {
  const admin = await RawClient.connect(s.port);
  const c = await RawClient.connect(s.port);
  try {
    await admin.call('SET', 'big', 'z'.repeat(300000));
    await admin.call('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 200000 0 0');
    c.send(Buffer.from('GET big\r\n'));
    assert.equal(await c.waitClose(5000), '');
  } finally {
    await admin.call('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 0 0 0');
    await admin.call('DEL', 'big');
    admin.close();
  }
});

test('RESET leaves every subscription; closing a subscriber does too', async () => {
  const c = await RawClient.connect(s.port);
  const other = await RawClient.connect(s.port);
  try {
    await c.call('SUBSCRIBE', 'r1', 'r2');
    await c.read();
    await c.call('PSUBSCRIBE', 'r*');
    await c.call('SSUBSCRIBE', 'rs');
    assert.match(await other.call('CLIENT', 'LIST', 'TYPE', 'pubsub'), /flags=P db=0 sub=2 psub=1 ssub=1 /);
    assert.equal(await c.call('RESET'), '+RESET\r\n');
    assert.equal(await other.call('PUBLISH', 'r1', 'x'), ':0\r\n');
    assert.equal(await other.call('SPUBLISH', 'rs', 'x'), ':0\r\n');
    assert.equal(await other.call('CLIENT', 'LIST', 'TYPE', 'pubsub'), '$0\r\n\r\n');
    assert.equal(await c.call('GET', 'nokey'), '$-1\r\n');
  } finally {
    c.close();
    other.close();
  }
});
