// The heap guard's decisions (src/server/memory.ts) against a stand-in heap:
// limits, garbage told from data by a full collection, re-confirmation after
// the data set changes, the collection budget, values built by commands, and
// Redis's reject_cmd_on_oom rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from '../../src/server/server.js';
import { MemoryGuard, oomRejects, type HeapProbe } from '../../src/server/memory.js';
import { ClientFlag } from '../../src/server/client.js';
import { CmdFlag } from '../../src/commands/types.js';
import { RObj, ObjType, Enc } from '../../src/db/robj.js';

const MiB = 1024 * 1024;

class FakeHeap implements HeapProbe {
  readonly limit: number;
  live = 10 * MiB;
  garbage = 0;
  reads = 0;
  collections = 0;
  canCollect = true;
  /** The clock (ms) and how far a collection moves it. */
  clock = 1000;
  collectMs = 1;
  constructor(limitMb = 100) {
    this.limit = limitMb * MiB;
  }
  used(): number {
    this.reads++;
    return this.live + this.garbage;
  }
  collect(): boolean {
    if (!this.canCollect) return false;
    this.clock += this.collectMs;
    this.collections++;
    this.garbage = 0;
    return true;
  }
  now(): number {
    return this.clock;
  }
}

function setup(limitMb = 100): { server: Server; heap: FakeHeap; guard: MemoryGuard } {
  const server = new Server();
  server.log.silent = true;
  const heap = new FakeHeap(limitMb);
  const guard = new MemoryGuard(heap);
  (server as { memory: MemoryGuard }).memory = guard;
  return { server, heap, guard };
}

function addKeys(server: Server, n: number): void {
  const db = server.keyspace.dbs[0];
  for (let i = 0; i < n; i++) db.add(`k${i}`, new RObj(ObjType.String, Enc.Raw, 'v', 0));
}

test('limits: writes refused above 3/4 of the heap limit, built values up to 9/10, a measure every 1/64 of the margin (64 KB..8 MB)', () => {
  const { guard } = setup(100);
  assert.equal(guard.heapLimit, 100 * MiB);
  assert.equal(guard.guardLimit, 75 * MiB);
  assert.equal(guard.step, Math.floor((25 * MiB) / 64));
  assert.equal(setup(4096).guard.step, 8 * MiB);
  assert.equal(setup(10).guard.step, 64 * 1024);
});

test('under the limit: no refusal and no collection', () => {
  const { server, heap, guard } = setup();
  heap.live = 70 * MiB;
  guard.check(server);
  assert.equal(guard.oom, false);
  assert.equal(guard.used, 70 * MiB);
  assert.equal(heap.collections, 0);
  assert.equal(guard.nextCheckAt, server.stats.netInputBytes + guard.step);
});

test('over the limit with garbage: a full collection shows the live data, writes stay accepted', () => {
  const { server, heap, guard } = setup();
  heap.live = 60 * MiB;
  heap.garbage = 30 * MiB;
  guard.check(server);
  assert.equal(heap.collections, 1);
  assert.equal(guard.oom, false);
  assert.equal(guard.used, 60 * MiB);
});

test('over the limit with data: refused, confirmed once; confirmed again only after the data set changed', () => {
  const { server, heap, guard } = setup();
  heap.live = 80 * MiB;
  guard.check(server);
  assert.equal(guard.oom, true);
  assert.equal(heap.collections, 1);
  // Refusals while nothing changed: measures, no more collections.
  for (let i = 0; i < 5; i++) assert.equal(guard.overLimit(server), true);
  assert.equal(heap.collections, 1);
  // A deletion (dirty), an expired key: confirmed again.
  heap.garbage = 5 * MiB;
  server.dirty++;
  heap.clock += 10; // forced collections are spaced by 9 times their duration
  assert.equal(guard.overLimit(server), true);
  assert.equal(heap.collections, 2);
  server.keyspace.stats.expiredKeys++;
  heap.live = 20 * MiB;
  heap.garbage = 60 * MiB;
  heap.clock += 10;
  assert.equal(guard.overLimit(server), false);
  assert.equal(heap.collections, 3);
  assert.equal(guard.oom, false);
  // V8 collected by itself: back under without a forced collection.
  heap.live = 80 * MiB;
  heap.clock += 10;
  guard.check(server);
  assert.equal(guard.oom, true);
  heap.live = 50 * MiB;
  guard.check(server);
  assert.equal(guard.oom, false);
  assert.equal(heap.collections, 4);
});

test('forced collections take about a tenth of the time, estimated by the key count: after FLUSHALL one runs at once', () => {
  const { server, heap, guard } = setup();
  addKeys(server, 1000);
  heap.collectMs = 30;
  heap.live = 80 * MiB;
  guard.check(server);
  assert.equal(heap.collections, 1);
  // Changed data, but within 9 x 30 ms of a collection with as many keys: still refused, unconfirmed.
  server.dirty++;
  heap.live = 10 * MiB;
  heap.garbage = 70 * MiB;
  assert.equal(guard.overLimit(server), true);
  heap.clock += 200;
  assert.equal(guard.overLimit(server), true);
  assert.equal(heap.collections, 1);
  heap.clock += 100;
  assert.equal(guard.overLimit(server), false);
  assert.equal(heap.collections, 2);
  // Over again right after; every key gone: the next collection is expected to be short, so it runs.
  heap.garbage = 70 * MiB;
  guard.check(server);
  assert.equal(guard.oom, true);
  assert.equal(heap.collections, 2);
  server.keyspace.dbs[0].flush();
  heap.clock += 1;
  assert.equal(guard.overLimit(server), false);
  assert.equal(heap.collections, 3);
});

test('no collection possible: a measure over the limit counts as over', () => {
  const { server, heap, guard } = setup();
  heap.canCollect = false;
  heap.live = 10 * MiB;
  heap.garbage = 70 * MiB;
  guard.check(server);
  assert.equal(guard.oom, true);
  heap.garbage = 0;
  guard.check(server);
  assert.equal(guard.oom, false);
});

test("reject_cmd_on_oom: deny-oom commands; in MULTI all but EXEC, DISCARD, QUIT, RESET; EXEC of queued deny-oom commands", () => {
  const { server, heap, guard } = setup();
  const c = server.createClient(null);
  const cmd = (name: string) => server.commands.lookup(name)!;
  assert.equal(oomRejects(c, cmd('set')), false, 'under the limit nothing is refused');
  heap.live = 80 * MiB;
  guard.check(server);
  assert.equal(guard.oom, true);
  for (const name of ['set', 'incr', 'lpush', 'sadd', 'hset', 'zadd', 'append', 'setrange', 'blmove']) {
    assert.ok(cmd(name).has(CmdFlag.DenyOom), name);
    assert.equal(oomRejects(c, cmd(name)), true, name);
  }
  for (const name of ['get', 'del', 'flushall', 'expire', 'lpop', 'info', 'ping', 'dbsize', 'quit']) assert.equal(oomRejects(c, cmd(name)), false, name);
  c.flags |= ClientFlag.Multi;
  for (const name of ['get', 'del', 'ping', 'select', 'multi', 'watch', 'unwatch']) assert.equal(oomRejects(c, cmd(name)), true, `${name} in MULTI`);
  for (const name of ['exec', 'discard', 'quit', 'reset']) assert.equal(oomRejects(c, cmd(name)), false, `${name} in MULTI`);
  c.flags &= ~ClientFlag.Multi;
  const exec = cmd('exec');
  assert.equal(oomRejects(c, exec, CmdFlag.Write), false);
  assert.equal(oomRejects(c, exec, CmdFlag.Write | CmdFlag.DenyOom), true);
  heap.live = 10 * MiB;
  server.dirty++;
  heap.clock += 10;
  assert.equal(oomRejects(c, cmd('set')), false, 'memory freed: accepted again');
});

test('maxmemory above the safe heap size is warned about', () => {
  const { guard } = setup(100);
  assert.equal(guard.maxmemoryWarning(0), null);
  assert.equal(guard.maxmemoryWarning(75 * MiB), null);
  assert.match(guard.maxmemoryWarning(80 * MiB)!, /^WARNING maxmemory 83886080 is above the heap guard's safe size 78643200 \(V8 heap limit 104857600\)/);
});
