// The generic blocking mechanism (src/server/blocking.ts) seen through the
// list commands: FIFO waiters, timeouts, MULTI isolation, BLMOVE chains,
// CLIENT UNBLOCK, disconnects, pipelined input, stats and propagation.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startSpinel, type SpinelHandle } from '../helpers/servers.js';
import { RawClient } from '../helpers/resp.js';
import { ClientFlag } from '../../src/server/client.js';

let s: SpinelHandle;
const open: RawClient[] = [];
before(async () => {
  s = await startSpinel();
});
after(async () => {
  for (const c of open) c.close();
  await s.close();
});
beforeEach(async () => {
  const c = await conn();
  await c.call('FLUSHALL');
});

async function conn(): Promise<RawClient> {
  const c = await RawClient.connect(s.port);
  open.push(c);
  return c;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `n` clients are blocked. */
async function blocked(n: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (s.server.blockedClients === n) return;
    await sleep(5);
  }
  assert.fail(`expected ${n} blocked clients, have ${s.server.blockedClients}`);
}

function blockedIds(): number[] {
  return [...s.server.clients.values()].filter((c) => (c.flags & ClientFlag.Blocked) !== 0).map((c) => c.id);
}

test('waiters are served first come first served, one element each', async () => {
  const p = await conn();
  const w = [await conn(), await conn(), await conn()];
  const replies: Promise<string>[] = [];
  for (const c of w) {
    replies.push(c.call('BLPOP', 'q', 0));
    await blocked(replies.length);
  }
  assert.equal(s.server.blockingKeys, 1);
  assert.equal(await p.call('RPUSH', 'q', 'a'), ':1\r\n');
  assert.equal(await replies[0], '*2\r\n$1\r\nq\r\n$1\r\na\r\n');
  await blocked(2);
  assert.equal(await p.call('RPUSH', 'q', 'b', 'c', 'd'), ':3\r\n');
  assert.equal(await replies[1], '*2\r\n$1\r\nq\r\n$1\r\nb\r\n');
  assert.equal(await replies[2], '*2\r\n$1\r\nq\r\n$1\r\nc\r\n');
  assert.equal(await p.call('LRANGE', 'q', 0, -1), '*1\r\n$1\r\nd\r\n');
  assert.equal(s.server.blockedClients, 0);
  assert.equal(s.server.blockingKeys, 0);
});

test('a client blocked on several keys is served by the first that gets data; BRPOP pops the tail', async () => {
  const p = await conn();
  const w = await conn();
  const r = w.call('BRPOP', 'k1', 'k2', 'k3', 0);
  await blocked(1);
  assert.equal(s.server.blockingKeys, 3);
  await p.call('RPUSH', 'k2', 'x', 'y');
  assert.equal(await r, '*2\r\n$2\r\nk2\r\n$1\r\ny\r\n');
  assert.equal(s.server.blockingKeys, 0);
});

test('timeouts fire with about 10 ms precision, in deadline order', async () => {
  const a = await conn();
  const b = await conn();
  let t0 = Date.now();
  assert.equal(await a.call('BLPOP', 'q', '0.01'), '*-1\r\n');
  const dt = Date.now() - t0;
  assert.ok(dt >= 9 && dt < 60, `0.01 s timeout took ${dt} ms`);
  t0 = Date.now();
  const order: string[] = [];
  const pa = a.call('BLPOP', 'q', '0.08').then((r) => (order.push('a'), r));
  const pb = b.call('BLMOVE', 'q', 'd', 'LEFT', 'LEFT', '0.03').then((r) => (order.push('b'), r));
  assert.equal(await pb, '*-1\r\n');
  assert.equal(await pa, '*-1\r\n');
  assert.deepEqual(order, ['b', 'a']);
  assert.ok(Date.now() - t0 >= 79);
  await a.raw('HELLO 3\r\n');
  assert.equal(await a.call('BLPOP', 'q', '0.01'), '_\r\n');
  assert.equal(await a.call('BRPOPLPUSH', 'q', 'd', '0.01'), '_\r\n');
  assert.equal(s.server.blockedClients, 0);
});

test('a push inside MULTI/EXEC wakes waiters only after EXEC', async () => {
  const p = await conn();
  const w = await conn();
  const r = w.call('BLPOP', 'q', 0);
  await blocked(1);
  await p.call('MULTI');
  await p.call('LPUSH', 'q', 'a');
  await p.call('LPUSH', 'q', 'b');
  await p.call('LPUSH', 'q', 'c');
  await sleep(10);
  assert.equal(s.server.blockedClients, 1);
  await p.call('EXEC');
  assert.equal(await r, '*2\r\n$1\r\nq\r\n$1\r\nc\r\n');
  // A key pushed and emptied inside the transaction serves nobody.
  const r2 = w.call('BLPOP', 'q2', 0);
  await blocked(1);
  await p.call('MULTI');
  await p.call('RPUSH', 'q2', 'x');
  await p.call('RPOP', 'q2');
  await p.call('EXEC');
  await sleep(10);
  assert.equal(s.server.blockedClients, 1);
  await p.call('RPUSH', 'q2', 'y');
  assert.equal(await r2, '*2\r\n$2\r\nq2\r\n$1\r\ny\r\n');
});

test('BLMOVE chain: each hop wakes the next waiter in the same turn', async () => {
  const p = await conn();
  const [a, b, c] = [await conn(), await conn(), await conn()];
  const ra = a.call('BLMOVE', 'l1', 'l2', 'RIGHT', 'LEFT', 0);
  await blocked(1);
  const rb = b.call('BRPOPLPUSH', 'l2', 'l3', 0);
  await blocked(2);
  const rc = c.call('BLPOP', 'l3', 0);
  await blocked(3);
  await p.call('RPUSH', 'l1', 'job');
  assert.equal(await ra, '$3\r\njob\r\n');
  assert.equal(await rb, '$3\r\njob\r\n');
  assert.equal(await rc, '*2\r\n$2\r\nl3\r\n$3\r\njob\r\n');
  assert.equal(await p.call('EXISTS', 'l1', 'l2', 'l3'), ':0\r\n');
});

test('BLMPOP is served with its count when woken', async () => {
  const p = await conn();
  const w = await conn();
  const r = w.call('BLMPOP', 0, 2, 'a', 'b', 'RIGHT', 'COUNT', 2);
  await blocked(1);
  await p.call('RPUSH', 'b', '1', '2', '3');
  assert.equal(await r, '*2\r\n$1\r\nb\r\n*2\r\n$1\r\n3\r\n$1\r\n2\r\n');
});

test('CLIENT UNBLOCK as timeout and as error', async () => {
  const p = await conn();
  const w = await conn();
  const r1 = w.call('BLPOP', 'q', 0);
  await blocked(1);
  const [id] = blockedIds();
  assert.equal(await p.call('CLIENT', 'UNBLOCK', id), ':1\r\n');
  assert.equal(await r1, '*-1\r\n');
  const r2 = w.call('BLMOVE', 'q', 'd', 'LEFT', 'LEFT', 0);
  await blocked(1);
  assert.equal(await p.call('CLIENT', 'UNBLOCK', id, 'timeout'), ':1\r\n');
  assert.equal(await r2, '*-1\r\n');
  const r3 = w.call('BRPOP', 'q', 0);
  await blocked(1);
  assert.equal(await p.call('CLIENT', 'UNBLOCK', id, 'ERROR'), ':1\r\n');
  assert.equal(await r3, '-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n');
  assert.equal(await p.call('CLIENT', 'UNBLOCK', id, 'ERROR'), ':0\r\n');
  assert.equal(await p.call('CLIENT', 'UNBLOCK', 999999), ':0\r\n');
  assert.equal(await p.call('CLIENT', 'UNBLOCK', id, 'maybe'), '-ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR\r\n');
  assert.equal(await p.call('CLIENT', 'UNBLOCK', 'x'), '-ERR value is not an integer or out of range\r\n');
  assert.equal(s.server.blockedClients, 0);
  // The connection still works.
  assert.equal(await w.call('PING'), '+PONG\r\n');
});

test('a blocked command that times out or is unblocked gets its slowlog entry and latency sample (7.2 updateStatsOnUnblock)', async () => {
  const p = await conn();
  const w = await conn();
  const v = await conn();
  await p.call('CONFIG', 'SET', 'slowlog-log-slower-than', 0);
  try {
    await p.call('CONFIG', 'RESETSTAT');
    await p.call('SLOWLOG', 'RESET');
    assert.equal(await w.call('BLPOP', 'q', '0.02'), '*-1\r\n');
    const r = v.call('BZPOPMIN', 'z', 0);
    await blocked(1);
    const [id] = blockedIds();
    assert.equal(await p.call('CLIENT', 'UNBLOCK', id, 'ERROR'), ':1\r\n');
    assert.equal(await r, '-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n');
    // Newest first: the unblocked command is logged while CLIENT UNBLOCK runs, before CLIENT UNBLOCK itself.
    const log = (await p.value('SLOWLOG', 'GET', 10)) as unknown[][];
    assert.deepEqual(
      log.map((e) => e[3]),
      [['CLIENT', 'UNBLOCK', String(id), 'ERROR'], ['BZPOPMIN', 'z', '0'], ['BLPOP', 'q', '0.02'], ['SLOWLOG', 'RESET']],
    );
    const info = await p.call('INFO', 'latencystats');
    assert.match(info, /latency_percentiles_usec_blpop:p50=/);
    assert.match(info, /latency_percentiles_usec_bzpopmin:p50=/);
    const stats = await p.call('INFO', 'commandstats');
    assert.match(stats, /cmdstat_blpop:calls=1,usec=\d+,usec_per_call=[\d.]+,rejected_calls=0,failed_calls=0/);
    assert.match(stats, /cmdstat_bzpopmin:calls=1,usec=\d+,usec_per_call=[\d.]+,rejected_calls=0,failed_calls=1/);
  } finally {
    await p.call('CONFIG', 'SET', 'slowlog-log-slower-than', 10000);
  }
});

test('a client that disconnects while blocked is forgotten', async () => {
  const p = await conn();
  const w = await RawClient.connect(s.port);
  void w.call('BLPOP', 'q', 0).catch(() => {});
  await blocked(1);
  w.close();
  await blocked(0);
  assert.equal(s.server.blockingKeys, 0);
  await p.call('RPUSH', 'q', 'kept');
  assert.equal(await p.call('LLEN', 'q'), ':1\r\n');
});

test('pipelined commands after a blocking command run once it is served', async () => {
  const p = await conn();
  const w = await conn();
  const replies = w.raw('BLPOP q 0\r\nPING\r\nLLEN q\r\n', 3);
  await blocked(1);
  await sleep(10);
  await p.call('RPUSH', 'q', 'a', 'b');
  assert.deepEqual(await replies, ['*2\r\n$1\r\nq\r\n$1\r\na\r\n', '+PONG\r\n', ':1\r\n']);
  // Also after a timeout.
  assert.deepEqual(await w.raw('BLPOP none 0.01\r\nECHO x\r\n', 2), ['*-1\r\n', '$1\r\nx\r\n']);
});

test('a waiter is not woken by a value of another type; it is when a list arrives', async () => {
  const p = await conn();
  const w = await conn();
  const r = w.call('BLPOP', 'k', 0);
  await blocked(1);
  const cmd = s.server.commands.lookup('zadd');
  if (cmd) {
    await p.call('ZADD', 'k', 1, 'm');
    await sleep(10);
    assert.equal(s.server.blockedClients, 1);
    await p.call('DEL', 'k');
  }
  await p.call('SET', 'k', 'str');
  await sleep(10);
  assert.equal(s.server.blockedClients, 1);
  await p.call('DEL', 'k');
  await p.call('LPUSH', 'k', 'v');
  assert.equal(await r, '*2\r\n$1\r\nk\r\n$1\r\nv\r\n');
});

test('BLMOVE woken with a destination of the wrong type replies WRONGTYPE and keeps the element', async () => {
  const p = await conn();
  const w = await conn();
  await p.call('SET', 'dst', 'x');
  const r = w.call('BLMOVE', 'src', 'dst', 'LEFT', 'LEFT', 0);
  await blocked(1);
  await p.call('RPUSH', 'src', 'e');
  assert.equal(await r, '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n');
  assert.equal(await p.call('LRANGE', 'src', 0, -1), '*1\r\n$1\r\ne\r\n');
});

test('CLIENT LIST shows flag b; blocked commands count once in stats; served BLPOP propagates as LPOP', async () => {
  const p = await conn();
  const w = await conn();
  const props: string[][] = [];
  const target = (_db: number, argv: string[]) => props.push(argv);
  s.server.propagateTargets.push(target);
  try {
    const st = s.server.commands.lookup('blpop')!.stats;
    const before = st.calls;
    const r = w.call('BLPOP', 'q', 0);
    await blocked(1);
    if (s.server.commands.lookupFull('client|list')) {
      const list = await p.call('CLIENT', 'LIST');
      assert.match(list, /flags=b /);
    }
    assert.equal(st.calls, before);
    await p.call('RPUSH', 'q', 'a');
    await r;
    assert.equal(st.calls, before + 1);
    assert.deepEqual(props, [['RPUSH', 'q', 'a'], ['LPOP', 'q']]);
    // A timeout counts too.
    await w.call('BLPOP', 'q', '0.01');
    assert.equal(st.calls, before + 2);
    props.length = 0;
    const r2 = w.call('BLMOVE', 'x', 'y', 'RIGHT', 'LEFT', 0);
    await blocked(1);
    await p.call('RPUSH', 'x', '1');
    await r2;
    const r3 = w.call('BLMPOP', 0, 1, 'z', 'LEFT', 'COUNT', 5);
    await blocked(1);
    await p.call('RPUSH', 'z', '1', '2');
    await r3;
    assert.deepEqual(props, [
      ['RPUSH', 'x', '1'],
      ['LMOVE', 'x', 'y', 'RIGHT', 'LEFT'],
      ['RPUSH', 'z', '1', '2'],
      ['LPOP', 'z', '2'],
    ]);
  } finally {
    s.server.propagateTargets.splice(s.server.propagateTargets.indexOf(target), 1);
  }
});

test('a waiter whose key becomes ready during CLIENT PAUSE WRITE is served only after the pause', async () => {
  const client = await import('../../src/commands/client.js');
  const w = await conn();
  const p = await conn();
  let got = '';
  const r = w.call('BLPOP', 'q', 0).then((x) => (got = x));
  await blocked(1);
  client.pauseClients(s.server, Date.now() + 150, false);
  try {
    // A write from the replication link is not paused; it makes q ready.
    const master = s.server.createClient(null);
    master.flags |= ClientFlag.Master;
    s.server.processCommand(master, ['RPUSH', 'q', 'a']);
    await sleep(60);
    assert.equal(got, '');
    assert.equal(await p.call('LLEN', 'q'), ':1\r\n'); // reads still run
  } finally {
    client.unpauseClients(s.server);
  }
  assert.equal(await r, '*2\r\n$1\r\nq\r\n$1\r\na\r\n');
});

test('unblockOnNoKey waiters (XREADGROUP style) wake when the key is deleted or overwritten', async () => {
  const { blockForKeys, BlockType, isBlocked } = await import('../../src/server/blocking.js');
  const p = await conn();
  await p.call('SET', 'k', 'str');
  const fake = s.server.createClient(null);
  const cmd = s.server.commands.lookup('lpop')!;
  const runs = () => cmd.stats.calls;
  const before = runs();
  fake.cmd = cmd;
  fake.argv = ['LPOP', 'k2'];
  blockForKeys(fake, ['k', 'k2'], 0, 'nullArray', { type: BlockType.Stream, unblockOnNoKey: true });
  assert.equal(s.server.blockingKeysOnNokey, 2);
  await p.call('APPEND', 'other', 'x');
  assert.ok(isBlocked(fake));
  await p.call('DEL', 'k');
  // Woken and re-executed (LPOP k2 on a missing key replies null and does not block again).
  assert.equal(isBlocked(fake), false);
  assert.equal(runs(), before + 1);
  assert.equal(s.server.blockingKeysOnNokey, 0);
  assert.equal(s.server.blockedClients, 0);
});
