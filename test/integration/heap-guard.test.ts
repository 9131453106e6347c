// The heap guard (src/server/memory.ts) over real sockets: first in-process
// against a stand-in heap (what is refused, with which error, what INFO
// says), then bin/spinel-server with a real 64 MB heap filled until writes
// are refused: the server lives, reads work, FLUSHALL makes room again.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startSpinel, freePort, type SpinelHandle } from '../helpers/servers.js';
import { RawClient, encodeCommand } from '../helpers/resp.js';
import { MemoryGuard, type HeapProbe } from '../../src/server/memory.js';

const MiB = 1024 * 1024;
const OOM = "-OOM command not allowed when used memory > 'maxmemory'.\r\n";
const BIN = path.join(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..'), 'bin', 'spinel-server');
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'spinel-heap-'));
after(() => fs.rmSync(TMP, { recursive: true, force: true }));

/** A 100 MB heap whose use the test sets. */
class FakeHeap implements HeapProbe {
  readonly limit = 100 * MiB;
  live = 10 * MiB;
  clock = 0;
  reads = 0;
  used(): number {
    this.reads++;
    return this.live;
  }
  collect(): boolean {
    return true;
  }
  now(): number {
    return (this.clock += 1000);
  }
}

async function withFakeHeap(fn: (h: SpinelHandle, heap: FakeHeap, guard: MemoryGuard) => Promise<void>): Promise<void> {
  const h = await startSpinel();
  const heap = new FakeHeap();
  const guard = new MemoryGuard(heap);
  (h.server as { memory: MemoryGuard }).memory = guard;
  try {
    await fn(h, heap, guard);
  } finally {
    await h.close();
  }
}

function field(info: string, name: string): string | undefined {
  return new RegExp(`\\r\\n${name}:([^\\r]*)\\r\\n`).exec(info)?.[1];
}

test('over the safe heap size: deny-oom commands get the -OOM error, reads and deletions work, INFO tells', async () => {
  await withFakeHeap(async (h, heap, guard) => {
    const c = await RawClient.connect(h.port);
    assert.equal(await c.call('SET', 'a', '1'), '+OK\r\n');
    assert.equal(await c.call('RPUSH', 'l', 'x'), ':1\r\n');
    let info = await c.call('INFO', 'memory');
    assert.equal(field(info, 'heap_guard'), 'ok');
    assert.equal(field(info, 'heap_guard_limit'), String(75 * MiB));
    assert.equal(field(info, 'heap_size_limit'), String(100 * MiB));

    heap.live = 80 * MiB;
    guard.check(h.server);
    for (const cmd of [['SET', 'b', '1'], ['INCR', 'n'], ['APPEND', 'a', 'x'], ['SETRANGE', 'a', '0', 'x'], ['RPUSH', 'l', 'y'], ['HSET', 'h', 'f', 'v']]) {
      assert.equal(await c.call(...cmd), OOM, cmd.join(' '));
    }
    assert.equal(await c.call('GET', 'a'), '$1\r\n1\r\n');
    assert.equal(await c.call('LRANGE', 'l', '0', '-1'), '*1\r\n$1\r\nx\r\n');
    assert.equal(await c.call('EXPIRE', 'l', '100'), ':1\r\n');
    assert.equal(await c.call('LPOP', 'l'), '$1\r\nx\r\n');
    assert.equal(await c.call('DBSIZE'), ':1\r\n');
    assert.equal(await c.call('HELLO', '3').then((r) => r[0]), '%');
    assert.equal(await c.call('SET', 'b', '1'), OOM);
    await c.call('HELLO', '2');
    info = await c.call('INFO', 'memory');
    assert.equal(field(info, 'heap_guard'), 'oom');
    assert.equal(field(info, 'heap_guard_used'), String(80 * MiB));
    assert.match(await c.call('INFO', 'errorstats'), /\r\nerrorstat_OOM:count=7\r\n/);
    assert.match(await c.call('INFO', 'commandstats'), /\r\ncmdstat_set:calls=1,usec=\d+,usec_per_call=[\d.]+,rejected_calls=2,failed_calls=0\r\n/);

    // Room again: the next write measures the heap and runs.
    heap.live = 20 * MiB;
    assert.equal(await c.call('SET', 'b', '1'), '+OK\r\n');
    assert.equal(field(await c.call('INFO', 'memory'), 'heap_guard'), 'ok');
    c.close();
  });
});

test('a burst of input is measured every few hundred KB, not only by the cron; the first write past the limit is refused', async () => {
  await withFakeHeap(async (h, heap, guard) => {
    const c = await RawClient.connect(h.port);
    assert.equal(await c.call('CONFIG', 'SET', 'hz', '1'), '+OK\r\n');
    // 4 MB of SETs in one go; the heap is over the limit from the start.
    heap.live = 80 * MiB;
    const reads = heap.reads;
    const value = 'v'.repeat(4000);
    const batch: Buffer[] = [];
    for (let i = 0; i < 1000; i++) batch.push(encodeCommand(['SET', `k${i}`, value]));
    const replies = await c.raw(Buffer.concat(batch), 1000);
    const measures = heap.reads - reads;
    assert.ok(measures >= Math.floor((4000 * 1000) / guard.step) - 2, `${measures} measures for 4 MB, step ${guard.step}`);
    const firstRefused = replies.indexOf(OOM);
    assert.ok(firstRefused >= 0 && (firstRefused * 4030) / guard.step < 2, `first refusal at ${firstRefused}`);
    assert.ok(replies.slice(firstRefused).every((r) => r === OOM));
    c.close();
  });
});

test('a blocked BLMOVE woken while out of memory is refused like a new command (Redis 7.2 re-runs its checks)', async () => {
  await withFakeHeap(async (h, heap, guard) => {
    const blocked = await RawClient.connect(h.port);
    const c = await RawClient.connect(h.port);
    assert.equal(await c.call('RPUSH', 'other', 'x'), ':1\r\n');
    const reply = blocked.call('BLMOVE', 'src', 'dst', 'LEFT', 'RIGHT', '0');
    while (!/flags=b .*cmd=blmove/.test(await c.call('CLIENT', 'LIST'))) await new Promise((r) => setTimeout(r, 5));
    heap.live = 80 * MiB;
    guard.check(h.server);
    // RENAME is not deny-oom: it runs and makes src ready.
    assert.equal(await c.call('RENAME', 'other', 'src'), '+OK\r\n');
    assert.equal(await reply, OOM);
    assert.equal(await c.call('LRANGE', 'src', '0', '-1'), '*1\r\n$1\r\nx\r\n');
    assert.equal(await c.call('EXISTS', 'dst'), ':0\r\n');
    assert.match(await c.call('INFO', 'commandstats'), /\r\ncmdstat_blmove:calls=0,usec=0,usec_per_call=0\.00,rejected_calls=1,failed_calls=0\r\n/);
    // The client is not blocked any more.
    assert.equal(await blocked.call('PING'), '+PONG\r\n');
    blocked.close();
    c.close();
  });
});

test('SETRANGE with a huge offset builds its value outside V8\'s heap: no refusal, no heap growth', async () => {
  await withFakeHeap(async (h) => {
    const c = await RawClient.connect(h.port);
    // 81 MB of zero padding would not fit in the fake 100 MB heap; as a ByteString it is Buffer memory.
    assert.equal(await c.call('SETRANGE', 'k', String(81 * MiB), 'x'), `:${81 * MiB + 1}\r\n`);
    assert.equal(await c.call('GETRANGE', 'k', String(81 * MiB - 2), '-1'), '$3\r\n\0\0x\r\n');
    assert.equal(await c.call('STRLEN', 'k'), `:${81 * MiB + 1}\r\n`);
    assert.match(await c.call('INFO', 'memory'), /\r\nheap_guard:ok\r\n/);
    c.close();
  });
});

interface Child {
  child: ChildProcess;
  log: () => string;
  exited: Promise<number | null>;
}

function launch(args: string[], env: Record<string, string>): Child {
  const child = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: TMP, env: { ...process.env, ...env } });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString('latin1')));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString('latin1')));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, log: () => out, exited };
}

async function connectRetry(port: number): Promise<RawClient> {
  for (let i = 0; ; i++) {
    try {
      return await RawClient.connect(port);
    } catch (e) {
      if (i > 300) throw e;
      await new Promise((r) => setTimeout(r, 30));
    }
  }
}

test('bin/spinel-server with a 64 MB heap: filled until -OOM, the server lives, reads work, FLUSHALL makes room', async () => {
  const port = await freePort();
  const s = launch(['--port', String(port), '--save', '', '--loglevel', 'verbose'], { NODE_OPTIONS: '--max-old-space-size=64' });
  const c = await connectRetry(port);
  // The launcher passes the process on (exec): the pid is the server's.
  assert.equal(field(await c.call('INFO', 'server'), 'process_id'), String(s.child.pid));
  let info = await c.call('INFO', 'memory');
  const limit = Number(field(info, 'heap_size_limit'));
  assert.ok(limit > 64 * MiB && limit < 100 * MiB, `the NODE_OPTIONS heap size wins: ${limit}`);
  assert.equal(field(info, 'heap_guard'), 'ok');
  assert.equal(Number(field(info, 'heap_guard_limit')), Math.floor(limit * 0.75));

  // 4 KB values (heap strings), 200 SETs per round trip, until one is refused.
  const value = 'v'.repeat(4000);
  let keys = 0;
  let refused = -1;
  while (refused < 0) {
    assert.ok(keys < 40000, 'writes were never refused');
    const batch: Buffer[] = [];
    for (let i = 0; i < 200; i++) batch.push(encodeCommand(['SET', `key:${keys + i}`, value]));
    const replies = await c.raw(Buffer.concat(batch), 200);
    for (let i = 0; i < replies.length && refused < 0; i++) {
      if (replies[i] === OOM) refused = keys + i;
      else assert.equal(replies[i], '+OK\r\n');
    }
    keys += 200;
  }
  assert.ok(refused > 5000, `${refused} keys stored before the guard`);
  assert.equal(s.child.exitCode, null);
  assert.equal(await c.call('SET', 'one-more', 'x'), OOM);
  assert.equal(await c.call('GET', 'key:0'), `$4000\r\n${value}\r\n`);
  assert.equal(await c.call('STRLEN', `key:${refused - 1}`), ':4000\r\n');
  info = await c.call('INFO', 'memory');
  assert.equal(field(info, 'heap_guard'), 'oom');
  assert.ok(Number(field(info, 'heap_guard_used')) > Number(field(info, 'heap_guard_limit')));
  assert.match(s.log(), /# Heap guard: the heap \([\d.]+ MB\) is over the safe size [\d.]+ MB of V8's [\d.]+ MB limit/);
  assert.equal(await c.call('DEL', 'key:0'), ':1\r\n');

  assert.equal(await c.call('FLUSHALL'), '+OK\r\n');
  assert.equal(await c.call('SET', 'after', 'flush'), '+OK\r\n');
  assert.equal(field(await c.call('INFO', 'memory'), 'heap_guard'), 'ok');
  assert.match(s.log(), /\* Heap guard: the heap \([\d.]+ MB\) is back under the safe size/);
  await assert.rejects(c.call('SHUTDOWN', 'NOSAVE'), /connection closed/);
  assert.equal(await s.exited, 0);
});

test('bin/spinel-server sizes the heap from the machine; the launcher leaves the signals to the server', async () => {
  const env = { NODE_OPTIONS: '' };
  const printed = spawnSync(BIN, ['--port', '1'], { encoding: 'utf8', env: { ...process.env, ...env, SPINEL_LAUNCHER_PRINT: '1' } }).stdout;
  const mb = Number(/--max-old-space-size=(\d+)/.exec(printed)?.[1]);
  const meminfo = fs.readFileSync('/proc/meminfo', 'latin1');
  const total = Number(/MemTotal:\s+(\d+) kB/.exec(meminfo)![1]) * 1024;
  assert.ok(mb > 0 && mb <= Math.floor((total * 3) / 4 / MiB), `heap ${mb} MB for ${total} bytes`);
  const port = await freePort();
  const s = launch(['--port', String(port), '--save', ''], env);
  const c = await connectRetry(port);
  const limit = Number(field(await c.call('INFO', 'memory'), 'heap_size_limit'));
  // heap_size_limit is the old space plus V8's new space (a few MB with --max-semi-space-size=4).
  assert.ok(limit >= mb * MiB && limit < (mb + 64) * MiB, `V8 limit ${limit} for --max-old-space-size=${mb}`);
  s.child.kill('SIGTERM');
  assert.equal(await s.exited, 0);
  assert.match(s.log(), /Received SIGTERM scheduling shutdown/);
  c.close();
});
