// The network splits bytes anywhere: the same requests delivered whole, byte
// by byte, at random cut points and in redis-py's three writes must store and
// answer exactly the same. Also: no byte of one client's request ever shows
// up in another's data, protocol desyncs close the connection, and a command
// that throws never takes the server down.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSpinel, type SpinelHandle } from '../helpers/servers.js';
import { RawClient, decode, encodeCommand } from '../helpers/resp.js';
import { BIG_SIZES, BIG_VALUE_CASES, DELIVERIES, DESYNC_CASES, deliver, deliverPipeline, mixedPipeline, patternValue, runDesync } from '../helpers/wire.js';
import type { Handler } from '../../src/commands/types.js';
import type { Client } from '../../src/server/client.js';

let s: SpinelHandle;
before(async () => {
  s = await startSpinel();
});
after(() => s.close());

/** The bulk strings of a reply, as Buffers. */
function bulks(raw: string): Buffer[] {
  const v = decode(Buffer.from(raw, 'latin1'))[0];
  const list = Array.isArray(v) ? v : [v];
  return list.map((x) => Buffer.from(String(x), 'latin1'));
}

test('big values arrive intact however they are split: SET, APPEND, SETRANGE, HSET, RPUSH, SADD, ZADD', async () => {
  const c = await RawClient.connect(s.port);
  for (const size of BIG_SIZES) {
    const v = patternValue(size);
    // 16 MB: the commands whose value is a whole string, a field and an element.
    const cases = size > 1 << 20 ? BIG_VALUE_CASES.filter((x) => ['SET', 'HSET', 'ZADD member'].includes(x.name)) : BIG_VALUE_CASES;
    for (const bc of cases) {
      let expected: string | null = null;
      let expectedRead: string | null = null;
      for (const d of DELIVERIES) {
        if (size > 1 << 20 && d.mode === 'bytes') continue; // same as random cuts at this size
        await c.call('FLUSHALL');
        for (const a of bc.setup) await c.call(...a);
        const reply = await deliver(c, bc.write(v), d);
        const read = await c.call(...bc.read);
        const what = `${bc.name} of ${size} bytes, ${d.name} (${c.lastDelivery})`;
        assert.ok(!reply.startsWith('-'), `${what}: ${reply}`);
        assert.ok(bulks(read).some((b) => b.includes(v)), `${what}: value read back differs`);
        if (expected === null) {
          expected = reply;
          expectedRead = read;
        } else {
          assert.equal(reply, expected, what);
          assert.ok(read === expectedRead, `${what}: read back differs from the whole delivery`);
        }
      }
    }
  }
  assert.equal(await c.call('PING'), '+PONG\r\n');
  c.close();
});

test('a pipeline of 1,000 mixed commands gets the same replies whole, byte by byte and at random cuts', async () => {
  const c = await RawClient.connect(s.port);
  const n = 1000;
  const bytes = mixedPipeline(n, 42);
  let first: string[] | null = null;
  for (const d of [...DELIVERIES.filter((x) => !x.threeWrites), { name: 'byte by byte, all of it', mode: 'bytes' as const, seed: 5, bytewiseMax: Infinity }]) {
    await c.call('FLUSHALL');
    const replies = await deliverPipeline(c, bytes, n, d);
    assert.equal(replies.length, n);
    if (first === null) first = replies;
    else for (let i = 0; i < n; i++) assert.equal(replies[i], first[i], `reply ${i}, ${d.name}`);
  }
  assert.ok(first!.some((r) => r.startsWith('-ERR unknown command')), 'the pipeline includes failing commands');
  c.close();
});

test("no byte of one client's request reaches another client's value", async () => {
  const a = await RawClient.connect(s.port);
  const b = await RawClient.connect(s.port);
  // A's bytes are all 'S'; B's value never contains 'S' (0x53).
  const secret = Buffer.alloc(300_000, 'S');
  const value = patternValue(1_000_000, 80); // bytes 0..79: no 0x53
  for (let round = 0; round < 3; round++) {
    assert.equal(await a.call('SET', 'secret', secret), '+OK\r\n');
    b.setWire('random', 100 + round);
    const pending = b.call('SET', 'v', value);
    // A keeps sending big requests while B's value is still arriving.
    const more = a.call('SET', 'secret2', secret);
    assert.equal(await pending, '+OK\r\n');
    await more;
    b.setWire('whole');
    const got = bulks(await b.call('GET', 'v'))[0];
    assert.equal(got.length, value.length);
    assert.ok(got.equals(value), `round ${round}: B's value differs`);
    assert.equal(got.indexOf(0x53), -1);
  }
  a.close();
  b.close();
});

test('a big value in 8 KB writes after another connection sent 200 KB (the reported case)', async () => {
  const junk = await RawClient.connect(s.port);
  assert.equal(await junk.call('SET', 'junk', Buffer.alloc(200_000, 'Z')), '+OK\r\n');
  const c = await RawClient.connect(s.port);
  const val = Buffer.from('abcd'.repeat(250_000), 'latin1');
  const msg = encodeCommand(['SET', 'foo', val]);
  const reply = c.read();
  for (let i = 0; i < msg.length; i += 8192) {
    c.socket.write(msg.subarray(i, i + 8192));
    await new Promise((r) => setTimeout(r, 1));
  }
  assert.equal(await reply, '+OK\r\n');
  assert.ok(bulks(await c.call('GET', 'foo'))[0].equals(val));
  junk.close();
  c.close();
});

for (const d of DESYNC_CASES) {
  test(`protocol desync: ${d.name} gets a protocol error and the connection closes`, async () => {
    const got = await runDesync(s.port, d);
    assert.match(got, /^-ERR Protocol error: (too big inline request|too big mbulk count string|too big bulk count string)\r\n$/);
    const c = await RawClient.connect(s.port);
    assert.equal(await c.call('PING'), '+PONG\r\n');
    c.close();
  });
}

test('a command that throws gets an error; the server keeps serving, logs it and counts it in INFO', async () => {
  const server = s.server;
  // The command's handler is swapped for a faulty one for this test only.
  const cmd = server.commands.lookup('strlen') as { handler: Handler | null };
  const original = cmd.handler;
  const logged: string[] = [];
  const warning = server.log.warning.bind(server.log);
  server.log.warning = (m: string) => {
    logged.push(m);
  };
  try {
    // A handler that fails half-way through its reply.
    cmd.handler = (c: Client) => {
      c.reply.array(3);
      c.reply.bulk('partial');
      throw new RangeError('Map maximum size exceeded');
    };
    const c = await RawClient.connect(s.port);
    const other = await RawClient.connect(s.port);
    assert.equal(await c.call('CONFIG', 'RESETSTAT'), '+OK\r\n');
    const internalBefore = server.stats.internalErrors;
    assert.equal(await c.call('SET', 'k', 'v'), '+OK\r\n');
    const replies = await c.raw(encodeCommand(['STRLEN', 'k']).toString('latin1') + 'PING\r\n', 2);
    assert.deepEqual(replies, ["-ERR internal error while running 'strlen': RangeError: Map maximum size exceeded\r\n", '+PONG\r\n']);
    assert.equal(await other.call('GET', 'k'), '$1\r\nv\r\n');
    const info = await c.call('INFO', 'stats');
    assert.match(info, new RegExp(`\r\ninternal_errors:${internalBefore + 1}\r\n`));
    assert.match(info, /\r\ntotal_error_replies:1\r\n/);
    assert.ok(logged.some((m) => m.includes("command 'strlen'") && m.includes('RangeError: Map maximum size exceeded') && m.includes('"STRLEN" "k"')), logged.join('\n'));
    const stats = await c.call('INFO', 'commandstats');
    assert.match(stats, /cmdstat_strlen:calls=1,[^\r]*failed_calls=1/);
    c.close();
    other.close();
  } finally {
    cmd.handler = original;
    server.log.warning = warning;
  }
});
