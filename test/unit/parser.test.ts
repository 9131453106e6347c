import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RespParser, splitArgs, internName } from '../../src/protocol/parser.js';

function parser(authenticated = true) {
  return new RespParser({ maxBulkLen: 512 * 1024 * 1024, authenticated });
}

function all(p: RespParser): string[][] {
  const out: string[][] = [];
  for (let a = p.next(); a !== null; a = p.next()) out.push(a);
  return out;
}

test('multibulk split across chunks at every byte', () => {
  const msg = Buffer.from('*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nva\r\nl\r\n*1\r\n$4\r\nPING\r\n', 'latin1');
  for (let cut = 1; cut < msg.length; cut++) {
    const p = parser();
    p.feed(msg.subarray(0, cut));
    const got = all(p);
    p.feed(msg.subarray(cut));
    got.push(...all(p));
    assert.deepEqual(got, [['SET', 'key', 'va\r\nl'], ['PING']], `cut at ${cut}`);
  }
});

test('big bulk gathered from many chunks', () => {
  const big = 'x'.repeat(200000);
  const msg = Buffer.from(`*2\r\n$3\r\nGET\r\n$${big.length}\r\n${big}\r\n`, 'latin1');
  const p = parser();
  for (let i = 0; i < msg.length; i += 1000) p.feed(msg.subarray(i, i + 1000));
  const got = all(p);
  assert.equal(got.length, 1);
  assert.equal(got[0][1].length, 200000);
});

test('binary bytes survive as latin1', () => {
  const p = parser();
  p.feed(Buffer.from([0x2a, 0x31, 0x0d, 0x0a, 0x24, 0x33, 0x0d, 0x0a, 0x00, 0xff, 0x80, 0x0d, 0x0a]));
  assert.deepEqual(all(p), [['\x00\xff\x80']]);
});

test('protocol errors', () => {
  const cases: [string, string, boolean?][] = [
    ['*abc\r\n', 'Protocol error: invalid multibulk length'],
    ['*3000000\r\n', 'Protocol error: unauthenticated multibulk length', false],
    ['*11\r\n', 'Protocol error: unauthenticated multibulk length', false],
    ['*3000000000\r\n', 'Protocol error: invalid multibulk length', false],
    ['*1\r\n+foo\r\n', "Protocol error: expected '$', got '+'"],
    ['*1\r\n$-5\r\n', 'Protocol error: invalid bulk length'],
    ['*1\r\n$99999999999\r\n', 'Protocol error: invalid bulk length'],
    ['*1\r\n$20000\r\n', 'Protocol error: unauthenticated bulk length', false],
    ['*1\r\n$99999999999\r\n', 'Protocol error: invalid bulk length', false],
    ['set "a\r\n', 'Protocol error: unbalanced quotes in request'],
  ];
  for (const [input, err, auth = true] of cases) {
    const p = parser(auth);
    p.feed(Buffer.from(input, 'latin1'));
    all(p);
    assert.equal(p.error, err, input);
  }
});

test('too big inline request', () => {
  const p = parser();
  p.feed(Buffer.alloc(70 * 1024, 'a'));
  all(p);
  assert.equal(p.error, 'Protocol error: too big inline request');
});

test('declared huge bulk does not allocate', () => {
  const p = parser();
  const before = process.memoryUsage().arrayBuffers;
  p.feed(Buffer.from('*1\r\n$500000000\r\nabc', 'latin1'));
  assert.equal(p.next(), null);
  assert.ok(process.memoryUsage().arrayBuffers - before < 10 * 1024 * 1024);
});

test('inline splitting follows sdssplitargs', () => {
  assert.deepEqual(splitArgs('set a "b c"'), ['set', 'a', 'b c']);
  assert.deepEqual(splitArgs(`"\\x41\\n" 'it\\'s'`), ['A\n', "it's"]);
  assert.deepEqual(splitArgs('   '), []);
  assert.equal(splitArgs('"a"b'), null);
  assert.equal(splitArgs("'abc"), null);
});

test('empty multibulk and empty inline lines are skipped', () => {
  const p = parser();
  p.feed(Buffer.from('*0\r\n\r\n*-1\r\nPING\r\n', 'latin1'));
  assert.deepEqual(all(p), [['PING']]);
});

test('command names: the name cache returns equal strings, and the right one when two names share a slot', () => {
  // Same length, first and last byte: the same slot of the direct-mapped cache.
  const names = ['gxt', 'gat', 'gxt', 'GET', 'get', 'gat', '\x00\xff\x80', 'x'.repeat(32), 'x'.repeat(31) + 'y'];
  for (const name of names) {
    const buf = Buffer.from(name, 'latin1');
    assert.equal(internName(buf, 0, buf.length), name);
  }
  const a = Buffer.from('xxHSETyy', 'latin1');
  assert.equal(internName(a, 2, 4), 'HSET');
  assert.equal(internName(a, 2, 4), internName(Buffer.from('HSET'), 0, 4));
  assert.equal(internName(a, 2, 0), '');
  // Through the parser: names that collide keep coming out right in a pipeline.
  const p = new RespParser({ maxBulkLen: 1 << 20, authenticated: true });
  const frame = (argv: string[]) => `*${argv.length}\r\n` + argv.map((x) => `$${x.length}\r\n${x}\r\n`).join('');
  const chunk = Buffer.from(frame(['gxt', 'k']) + frame(['gat', 'k']) + frame(['gxt', 'k']), 'latin1');
  p.feed(chunk, chunk.length);
  assert.deepEqual([p.next(), p.next(), p.next(), p.next()], [['gxt', 'k'], ['gat', 'k'], ['gxt', 'k'], null]);
});

/**
 * Feeds `msg` the way the server does: each read lands at the start of one
 * reused buffer, the parser is drained and detached, then the buffer is
 * scribbled over before the next read. Any argument that kept a view of the
 * shared buffer, or copied bytes past the read, shows the scribble.
 */
function feedShared(msg: Buffer, cuts: number[], authenticated = true): string[][] {
  const shared = Buffer.alloc(64 * 1024, 0xee);
  const p = parser(authenticated);
  const out: string[][] = [];
  let at = 0;
  for (const cut of [...cuts, msg.length]) {
    while (at < cut) {
      const n = Math.min(cut - at, shared.length);
      msg.copy(shared, 0, at, at + n);
      p.feed(shared, n);
      out.push(...all(p));
      p.detach();
      shared.fill(0xee);
      at += n;
    }
  }
  return out;
}

test('a shared read buffer reused between reads never leaks into arguments (any split, values around the big-argument threshold)', () => {
  let seed = 12345;
  const rnd = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  for (const size of [0, 1, 100, 16384, 32767, 32768, 32769, 65535, 65536, 65537, 200000, 1 << 20]) {
    const val = Buffer.alloc(size);
    for (let i = 0; i < size; i++) val[i] = (i * 7 + 3) & 0xff;
    const msg = Buffer.concat([
      Buffer.from(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${size}\r\n`, 'latin1'),
      val,
      Buffer.from('\r\n*4\r\n$5\r\nRPUSH\r\n$1\r\nl\r\n', 'latin1'),
      Buffer.from(`$${size}\r\n`, 'latin1'),
      val,
      Buffer.from('\r\n$1\r\nx\r\nPING\r\n', 'latin1'),
    ]);
    const expected = [['SET', 'k', val.toString('latin1')], ['RPUSH', 'l', val.toString('latin1'), 'x'], ['PING']];
    const splits: number[][] = [[]];
    // header and value in separate reads (redis-py's big-value writes)
    splits.push([msg.indexOf('\r\n', 30) + 2]);
    for (let r = 0; r < 4; r++) {
      const cuts: number[] = [];
      for (let at = rnd(9000) + 1; at < msg.length; at += rnd(20000) + 1) cuts.push(at);
      splits.push(cuts);
    }
    for (const cuts of splits) {
      const got = feedShared(msg, cuts);
      assert.equal(got.length, 3, `size ${size} cuts ${cuts.slice(0, 5)}`);
      for (let i = 0; i < 3; i++) assert.ok(got[i].length === expected[i].length && got[i].every((a, j) => a === expected[i][j]), `size ${size} command ${i} cuts ${cuts.slice(0, 5)}`);
    }
  }
});

test('one byte at a time through a shared buffer', () => {
  const msg = Buffer.from('*2\r\n$4\r\nECHO\r\n$5\r\nhello\r\nSET a "b c"\r\n*1\r\n$4\r\nPING\r\n', 'latin1');
  const cuts = Array.from({ length: msg.length - 1 }, (_, i) => i + 1);
  assert.deepEqual(feedShared(msg, cuts), [['ECHO', 'hello'], ['SET', 'a', 'b c'], ['PING']]);
});

test('a request dribbled in one byte at a time costs linear time (no re-copying or re-scanning of what is pending)', () => {
  // A 60 KB inline line, a 30 KB bulk and 60 KB of pipelined PINGs, byte by byte.
  const inline = Buffer.from('ECHO ' + 'a'.repeat(60 * 1024) + '\r\n', 'latin1');
  const bulk = Buffer.from(`*2\r\n$4\r\nECHO\r\n$${30 * 1024}\r\n${'b'.repeat(30 * 1024)}\r\n`, 'latin1');
  const pings = Buffer.from('*1\r\n$4\r\nPING\r\n'.repeat(4096), 'latin1');
  const t0 = process.hrtime.bigint();
  const cuts = (b: Buffer) => Array.from({ length: b.length - 1 }, (_, i) => i + 1);
  const got = [...feedShared(inline, cuts(inline)), ...feedShared(bulk, cuts(bulk)), ...feedShared(pings, cuts(pings))];
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  assert.equal(got.length, 2 + 4096);
  assert.equal(got[0][1].length, 60 * 1024);
  assert.equal(got[1][1].length, 30 * 1024);
  assert.deepEqual(got[4097], ['PING']);
  // Quadratic re-copying would move ~4 GB here; linear work takes a fraction of a second.
  assert.ok(ms < 5000, `took ${ms} ms`);
});

test('a NUL byte before a line ends leaves the line unfinished, as Redis (strchr) does', () => {
  for (const input of ['PI\x00NG\r\nPING\r\n', '*1\x00\r\n$4\r\nPING\r\n', '*1\r\n$4\x00\r\nPING\r\n']) {
    const p = parser();
    p.feed(Buffer.from(input, 'latin1'));
    assert.deepEqual(all(p), [], JSON.stringify(input));
    assert.equal(p.error, null);
    // More bytes never finish it; past 64 KB it is a protocol error.
    p.feed(Buffer.alloc(70 * 1024, 'x'));
    all(p);
    assert.match(p.error ?? '', /too big (inline request|mbulk count string|bulk count string)/);
  }
  // Inside a bulk, NUL is data.
  const p = parser();
  p.feed(Buffer.from('*2\r\n$4\r\nECHO\r\n$3\r\na\x00b\r\n', 'latin1'));
  assert.deepEqual(all(p), [['ECHO', 'a\x00b']]);
});

test('many blank lines are skipped without recursion', () => {
  const p = parser();
  p.feed(Buffer.from('\r\n'.repeat(200000) + 'PING\r\n', 'latin1'));
  assert.deepEqual(all(p), [['PING']]);
});

test('queryLength counts the bytes of the current read, as Redis qbuf does while a command runs', () => {
  const p = parser();
  const cmd = Buffer.from('*2\r\n$6\r\nclient\r\n$4\r\nlist\r\n', 'latin1');
  const shared = Buffer.alloc(1024);
  cmd.copy(shared);
  p.feed(shared, cmd.length);
  assert.deepEqual(p.next(), ['client', 'list']);
  assert.equal(p.queryLength, 26);
  p.detach();
  assert.equal(p.queryLength, 0);
  // Between reads, what is left of a partial command (the headers already read are state, as in Redis).
  p.feed(Buffer.from('*1\r\n$4\r\nPI', 'latin1'));
  assert.equal(p.next(), null);
  p.detach();
  assert.equal(p.queryLength, 2);
  p.feed(Buffer.from('NG\r\n', 'latin1'));
  assert.equal(p.queryLength, 6);
  assert.deepEqual(p.next(), ['PING']);
});

test('big bulks of every size class (pooled gather buffers, external-string range) from interleaved parsers stay exact', () => {
  // Sizes around the gather threshold, the external-string range [512 KB, node's
  // EXTERN_APEX) and beyond it; two parsers gather at once through the shared
  // pool of spare buffers, each followed by a pipelined command in the same read.
  const sizes = [32 * 1024, 100000, 524287, 524288, 700001, 0xfbee8, 0xfbee9, 1100000];
  let seed = 7;
  const rnd = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
  for (const size of sizes) {
    const values = [0, 1].map((k) => Buffer.from(Array.from({ length: size }, (_, i) => (i * 31 + k * 17 + (i >> 9)) & 255)));
    const msgs = values.map((v, k) => Buffer.concat([Buffer.from(`*3\r\n$3\r\nSET\r\n$1\r\n${k}\r\n$${size}\r\n`), v, Buffer.from('\r\n*1\r\n$4\r\nPING\r\n')]));
    const ps = [parser(), parser()];
    const at = [0, 0];
    const got: string[][][] = [[], []];
    while (at[0] < msgs[0].length || at[1] < msgs[1].length) {
      for (const k of [0, 1]) {
        if (at[k] >= msgs[k].length) continue;
        const n = 1 + rnd(70000);
        // A read lands in a reused buffer: the parser must copy what it keeps.
        const chunk = Buffer.from(msgs[k].subarray(at[k], at[k] + n));
        ps[k].feed(chunk);
        got[k].push(...all(ps[k]));
        ps[k].detach();
        chunk.fill(0x5a);
        at[k] += n;
      }
    }
    for (const k of [0, 1]) {
      assert.equal(got[k].length, 2, `size ${size}`);
      assert.equal(got[k][1][0], 'PING');
      assert.ok(Buffer.from(got[k][0][2], 'latin1').equals(values[k]), `value ${k} of ${size} bytes`);
    }
  }
});
