import { test } from 'node:test';
import assert from 'node:assert/strict';
import { QueryBufModel, jemallocSize, sdsUsable } from '../../src/server/querybuf.js';

test('jemalloc size classes and sds usable sizes', () => {
  assert.deepEqual([1, 8, 9, 24, 64, 65, 100, 16390, 20480, 20481, 40008, 400012].map(jemallocSize), [8, 8, 16, 32, 64, 80, 112, 20480, 20480, 24576, 40960, 458752]);
  // Figures read off Redis 7.2.6's CLIENT LIST (qbuf + qbuf-free).
  assert.equal(sdsUsable(16384), 20474);
  assert.equal(sdsUsable(40002), 40954);
  assert.equal(sdsUsable(400002), 458742);
});

test('the model follows Redis 7.2: first read, big argument, idle and peak shrinking', () => {
  const m = new QueryBufModel();
  m.beforeRead(0, 0);
  m.afterRead(0, 26);
  assert.equal(m.alloc, 20474); // qbuf=26 qbuf-free=20448 in Redis
  // A big argument announced: room for all of it.
  m.bigArgument(0, 1_000_000);
  assert.ok(m.alloc >= 1_000_002);
  // Not idle, peak still high: kept.
  m.cron(0, 0, 1_000_000);
  assert.ok(m.alloc >= 1_000_002);
  // Idle over 2 s: the free space goes.
  m.cron(0, 3, 1_000_000);
  assert.equal(m.alloc, 0);
  // A buffer more than twice its recent peak shrinks to the peak.
  const n = new QueryBufModel();
  n.bigArgumentTaken(400_000);
  n.peak = 100; // small commands since
  n.cron(0, 0, -1);
  assert.ok(n.alloc > 0 && n.alloc < 400_000);
});
