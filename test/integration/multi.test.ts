// Transactions over real sockets: WATCH races between several clients (raw
// optimistic-lock loops, and ioredis multi()/watch() retry loops with 20
// concurrent incrementers), a whole transaction pipelined in one write,
// RESET/QUIT/disconnects inside MULTI, many watchers of one key, the heap
// guard's -OOM while queueing and at EXEC, CLIENT PAUSE holding an EXEC of
// writes, and what the propagation targets receive (MULTI/EXEC with db -1).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { startSpinel, type SpinelHandle } from '../helpers/servers.js';
import { RawClient } from '../helpers/resp.js';
import { MemoryGuard, type HeapProbe } from '../../src/server/memory.js';

let s: SpinelHandle;
const clients: RawClient[] = [];
before(async () => {
  s = await startSpinel();
});
after(async () => {
  for (const c of clients) c.close();
  await s.close();
});

async function conn(): Promise<RawClient> {
  const c = await RawClient.connect(s.port);
  clients.push(c);
  return c;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Keys watched in every db, by anyone. */
function watchedKeys(): number {
  let n = 0;
  for (const db of s.server.keyspace.dbs) n += db.watchedKeys.size;
  return n;
}

test('WATCH race between raw clients: every increment lands once, losers retry', async () => {
  const c0 = await conn();
  await c0.call('SET', 'counter', '0');
  const WORKERS = 8;
  const EACH = 40;
  let retries = 0;
  const worker = async () => {
    const c = await RawClient.connect(s.port);
    try {
      for (let done = 0; done < EACH; ) {
        assert.equal(await c.call('WATCH', 'counter'), '+OK\r\n');
        const v = Number((await c.call('GET', 'counter')).split('\r\n')[1]);
        // Give the others a chance to interleave between the read and the write.
        if (Math.random() < 0.5) await sleep(0);
        const [m, q, e] = await c.raw(`MULTI\r\nSET counter ${v + 1}\r\nEXEC\r\n`, 3);
        assert.equal(m, '+OK\r\n');
        assert.equal(q, '+QUEUED\r\n');
        if (e === '*-1\r\n') retries++;
        else {
          assert.equal(e, '*1\r\n+OK\r\n');
          done++;
        }
      }
    } finally {
      c.close();
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, worker));
  assert.equal(await c0.call('GET', 'counter'), `$${String(WORKERS * EACH).length}\r\n${WORKERS * EACH}\r\n`);
  assert.ok(retries > 0, 'the workers raced');
  assert.equal(watchedKeys(), 0);
});

test('ioredis watch()/multi() optimistic lock: 20 concurrent incrementers, exact final count', async () => {
  const opts = { port: s.port, host: '127.0.0.1', maxRetriesPerRequest: 1 };
  const setup = new Redis(opts);
  await setup.set('hits', '0');
  const CLIENTS = 20;
  const EACH = 25;
  let conflicts = 0;
  const incrementer = async () => {
    const r = new Redis(opts);
    try {
      for (let done = 0; done < EACH; ) {
        await r.watch('hits');
        const v = Number(await r.get('hits'));
        const res = await r.multi().set('hits', String(v + 1)).exec();
        if (res === null) {
          conflicts++;
          continue;
        }
        assert.deepEqual(res, [[null, 'OK']]);
        done++;
      }
    } finally {
      r.disconnect();
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, incrementer));
  assert.equal(await setup.get('hits'), String(CLIENTS * EACH));
  assert.ok(conflicts > 0, 'some transactions lost the race and were retried');
  // ioredis's own MULTI pipeline: errors inside EXEC come back per command.
  const res = await setup.multi().set('s', 'text').incr('s').get('s').exec();
  assert.equal(res![0][1], 'OK');
  assert.match(String(res![1][0]), /ERR value is not an integer/);
  assert.equal(res![2][1], 'text');
  await assert.rejects(setup.multi().set('a', '1').call('nosuchcommand').exec(), /EXECABORT/);
  setup.disconnect();
  assert.equal(watchedKeys(), 0);
});

test('a transaction pipelined in one write, with a client blocked on a key it fills', async () => {
  const p = await conn();
  const w = await conn();
  const r = w.call('BLPOP', 'jobs', 0);
  while (s.server.blockedClients < 1) await sleep(2);
  const replies = await p.raw('MULTI\r\nRPUSH jobs a b\r\nLLEN jobs\r\nLPOP jobs\r\nEXEC\r\nLLEN jobs\r\n', 6);
  assert.deepEqual(replies, ['+OK\r\n', '+QUEUED\r\n', '+QUEUED\r\n', '+QUEUED\r\n', '*3\r\n:2\r\n:2\r\n$1\r\na\r\n', ':0\r\n']);
  // The waiter was served after EXEC, with what EXEC left.
  assert.equal(await r, '*2\r\n$4\r\njobs\r\n$1\r\nb\r\n');
});

test('RESET and QUIT inside MULTI; a client that disconnects stops watching', async () => {
  const c = await conn();
  assert.equal(await c.call('WATCH', 'a', 'b'), '+OK\r\n');
  assert.equal(await c.call('MULTI'), '+OK\r\n');
  assert.equal(await c.call('SET', 'a', '1'), '+QUEUED\r\n');
  assert.equal(watchedKeys(), 2);
  assert.equal(await c.call('RESET'), '+RESET\r\n');
  assert.equal(watchedKeys(), 0);
  assert.equal(await c.call('EXEC'), '-ERR EXEC without MULTI\r\n');
  assert.equal(await c.call('GET', 'a'), '$-1\r\n');
  const q = await conn();
  await q.call('WATCH', 'x');
  await q.call('MULTI');
  await q.call('SET', 'x', '1');
  assert.equal(await q.call('QUIT'), '+OK\r\n');
  await q.waitClose();
  while (watchedKeys() !== 0) await sleep(2);
  assert.equal(await c.call('EXISTS', 'x'), ':0\r\n');
  const d = await conn();
  await d.call('SELECT', '3');
  await d.call('WATCH', 'k1', 'k2', 'k3');
  assert.equal(watchedKeys(), 3);
  d.close();
  while (watchedKeys() !== 0) await sleep(2);
});

test('many clients watching one key: one write fails them all, the table empties', async () => {
  const N = 200;
  const cs = await Promise.all(Array.from({ length: N }, () => RawClient.connect(s.port)));
  try {
    await Promise.all(cs.map((c) => c.call('WATCH', 'hot', `own${c.socket.localPort}`)));
    assert.equal(s.server.keyspace.dbs[0].watchedKeys.get('hot')!.size, N);
    const w = await conn();
    await w.call('INCR', 'hot');
    // Every watcher is marked (flag d) and no longer watches anything.
    assert.equal(watchedKeys(), 0);
    const list = await w.call('CLIENT', 'LIST');
    assert.equal(list.split('\n').filter((l) => / flags=d /.test(l)).length, N);
    const res = await Promise.all(cs.map((c) => c.raw('MULTI\r\nINCR hot\r\nEXEC\r\n', 3)));
    for (const r of res) assert.equal(r[2], '*-1\r\n');
    assert.equal(await w.call('GET', 'hot'), '$1\r\n1\r\n');
  } finally {
    for (const c of cs) c.close();
  }
});

/** A heap whose use the test sets (as in heap-guard.test.ts). */
class FakeHeap implements HeapProbe {
  readonly limit = 100 * 1024 * 1024;
  live = 10 * 1024 * 1024;
  clock = 0;
  used(): number {
    return this.live;
  }
  collect(): boolean {
    return true;
  }
  now(): number {
    return (this.clock += 1000);
  }
}

test('out of memory: every queued command refused (EXECABORT), EXEC refused only for deny-oom queues, DISCARD works', async () => {
  const OOM = "-OOM command not allowed when used memory > 'maxmemory'.\r\n";
  const h = await startSpinel();
  const heap = new FakeHeap();
  const guard = new MemoryGuard(heap);
  (h.server as { memory: MemoryGuard }).memory = guard;
  const c = await RawClient.connect(h.port);
  const over = (yes: boolean) => {
    heap.live = (yes ? 80 : 10) * 1024 * 1024;
    h.server.dirty++;
    guard.check(h.server);
  };
  try {
    await c.call('SET', 'x', 'value');
    // Queued before the limit is passed: a queue of reads runs, one with a deny-oom command is refused.
    assert.deepEqual(await c.raw('MULTI\r\nGET x\r\nPING\r\n', 3), ['+OK\r\n', '+QUEUED\r\n', '+QUEUED\r\n']);
    over(true);
    assert.equal(await c.call('EXEC'), '*2\r\n$5\r\nvalue\r\n+PONG\r\n');
    over(false);
    assert.deepEqual(await c.raw('MULTI\r\nSET x 1\r\nGET x\r\n', 3), ['+OK\r\n', '+QUEUED\r\n', '+QUEUED\r\n']);
    over(true);
    assert.equal(await c.call('EXEC'), "-EXECABORT Transaction discarded because of: OOM command not allowed when used memory > 'maxmemory'.\r\n");
    assert.equal(await c.call('EXEC'), '-ERR EXEC without MULTI\r\n');
    // Over the limit, in MULTI every command but EXEC/DISCARD/QUIT/RESET is refused, and fails the transaction.
    assert.equal(await c.call('MULTI'), '+OK\r\n');
    assert.equal(await c.call('GET', 'x'), OOM);
    assert.equal(await c.call('MULTI'), OOM);
    assert.equal(await c.call('DISCARD'), '+OK\r\n');
    assert.equal(await c.call('MULTI'), '+OK\r\n');
    assert.equal(await c.call('PING'), OOM);
    over(false);
    assert.equal(await c.call('PING'), '+QUEUED\r\n');
    assert.equal(await c.call('EXEC'), '-EXECABORT Transaction discarded because of previous errors.\r\n');
    assert.equal(await c.call('GET', 'x'), '$5\r\nvalue\r\n');
  } finally {
    c.close();
    await h.close();
  }
});

test('CLIENT PAUSE WRITE holds an EXEC of queued writes until the pause ends, not one of reads', async () => {
  const c = await conn();
  const admin = await conn();
  await c.call('SET', 'p', '1');
  assert.deepEqual(await c.raw('MULTI\r\nINCR p\r\n', 2), ['+OK\r\n', '+QUEUED\r\n']);
  const r = await conn();
  assert.deepEqual(await r.raw('MULTI\r\nGET p\r\n', 2), ['+OK\r\n', '+QUEUED\r\n']);
  assert.equal(await admin.call('CLIENT', 'PAUSE', '300', 'WRITE'), '+OK\r\n');
  const t0 = Date.now();
  assert.equal(await r.call('EXEC'), '*1\r\n$1\r\n1\r\n');
  assert.ok(Date.now() - t0 < 250, 'a read-only EXEC is not held');
  assert.equal(await c.call('EXEC'), '*1\r\n:2\r\n');
  assert.ok(Date.now() - t0 >= 250, 'the EXEC of a write waited for the pause');
});

test('propagation: a unit of several writes reaches the targets between MULTI and EXEC (db -1), each with its db', async () => {
  const got: string[] = [];
  const sink = (db: number, argv: string[]) => got.push(`${db} ${argv.join(' ')}`);
  s.server.propagateTargets.push(sink);
  try {
    const c = await conn();
    await c.raw('MULTI\r\nSELECT 1\r\nSET a 1\r\nGET a\r\nSELECT 2\r\nINCR b\r\nSELECT 0\r\nEXEC\r\n', 8);
    await c.raw('MULTI\r\nSET single 1\r\nEXEC\r\n', 3);
    await c.raw('MULTI\r\nGET single\r\nDEL nokey\r\nEXEC\r\n', 4);
    await c.call('SET', 'after', '1');
    assert.deepEqual(got, ['-1 MULTI', '1 SET a 1', '2 INCR b', '-1 EXEC', '0 SET single 1', '0 SET after 1']);
  } finally {
    s.server.propagateTargets.splice(s.server.propagateTargets.indexOf(sink), 1);
  }
});
