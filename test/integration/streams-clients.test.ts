// Real clients on streams: an ioredis consumer-group worker pool over
// XREADGROUP/XACK/XAUTOCLAIM where a worker dies in the middle of its jobs
// and the others reclaim them (every job processed, none lost); consumers
// racing on blocking XREADGROUP (each entry delivered to exactly one);
// readers and claimers at once (the pending lists stay consistent).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { startSpinel, type SpinelHandle } from '../helpers/servers.js';

let s: SpinelHandle;
before(async () => {
  s = await startSpinel();
});
after(() => s.close());

const opts = () => ({ port: s.port, host: '127.0.0.1', maxRetriesPerRequest: 1 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Entries = [string, string[]][];
type ReadReply = [string, Entries][] | null;

test('ioredis worker pool: a worker dies mid-job, XAUTOCLAIM hands its jobs to the others, none lost', async () => {
  const PRODUCERS = 3;
  const JOBS = 200;
  const WORKERS = 4;
  const RECLAIM_MS = 1500;
  const admin = new Redis(opts());
  await admin.del('jobs');
  await admin.xgroup('CREATE', 'jobs', 'pool', '$', 'MKSTREAM');
  const processed = new Map<string, string[]>();
  const record = (job: string, worker: string) => {
    const l = processed.get(job) ?? [];
    l.push(worker);
    processed.set(job, l);
  };
  // Jobs the dying worker processed but never acknowledged: these may run twice.
  const unacked = new Set<string>();
  let stop = false;

  const producers = Array.from({ length: PRODUCERS }, async (_, p) => {
    const r = new Redis(opts());
    for (let j = 0; j < JOBS; j++) {
      await r.xadd('jobs', '*', 'job', `${p}:${j}`);
      if (j % 25 === 0) await sleep(1);
    }
    r.disconnect();
  });

  const worker = async (name: string, dies: boolean) => {
    const r = new Redis(opts());
    let done = 0;
    while (!stop) {
      // Reclaim jobs left pending by others for a while (longer than a
      // healthy worker ever holds one, even on a loaded machine), then read new ones.
      const claimed = (await r.xautoclaim('jobs', 'pool', name, RECLAIM_MS, '0-0', 'COUNT', 10)) as [string, Entries, string[]];
      let batch: Entries = claimed[1];
      if (batch.length === 0) {
        const res = (await r.xreadgroup('GROUP', 'pool', name, 'COUNT', 5, 'BLOCK', 50, 'STREAMS', 'jobs', '>')) as ReadReply;
        batch = res === null ? [] : res[0][1];
      }
      for (const [id, fields] of batch) {
        record(fields[1], name);
        if (dies && ++done === 7) {
          // Processed, not acknowledged: the connection goes away with this job and the rest of its batch pending.
          unacked.add(fields[1]);
          r.disconnect();
          return;
        }
        await r.xack('jobs', 'pool', id);
      }
    }
    r.disconnect();
  };

  const workers = [worker('w0', true), ...Array.from({ length: WORKERS - 1 }, (_, i) => worker(`w${i + 1}`, false))];
  try {
    await Promise.all(producers);
    // Wait until every job was processed and nothing is pending.
    const deadline = Date.now() + 20000;
    for (;;) {
      const pending = (await admin.xpending('jobs', 'pool')) as [number, ...unknown[]];
      if (processed.size === PRODUCERS * JOBS && pending[0] === 0) break;
      if (Date.now() > deadline) throw new Error(`processed ${processed.size} of ${PRODUCERS * JOBS}, pending ${pending[0]}`);
      await sleep(20);
    }
  } finally {
    stop = true;
    await Promise.all(workers);
  }
  assert.equal(processed.size, PRODUCERS * JOBS, 'every job processed');
  for (const [job, by] of processed) {
    if (!unacked.has(job)) assert.equal(by.length, 1, `job ${job} processed by ${by.join(', ')}`);
  }
  // The job the dead worker had not acknowledged ran again elsewhere.
  assert.equal(unacked.size, 1);
  for (const job of unacked) {
    const by = processed.get(job)!;
    assert.equal(by.length, 2);
    assert.equal(by[0], 'w0');
    assert.notEqual(by[1], 'w0');
  }
  // The dead worker's pending jobs were taken over by others.
  const w0 = (await admin.xpending('jobs', 'pool', '-', '+', 100, 'w0')) as unknown[];
  assert.equal(w0.length, 0);
  const groups = (await admin.xinfo('GROUPS', 'jobs')) as unknown[][];
  const g = groups[0];
  assert.equal(g[g.indexOf('lag') + 1], 0);
  assert.equal(g[g.indexOf('entries-read') + 1], PRODUCERS * JOBS);
  admin.disconnect();
});

test('blocked consumers racing on XREADGROUP: each entry delivered to exactly one', async () => {
  const CONSUMERS = 6;
  const ENTRIES = 300;
  const admin = new Redis(opts());
  await admin.del('race');
  await admin.xgroup('CREATE', 'race', 'g', '$', 'MKSTREAM');
  const got = new Map<string, string>();
  let stop = false;
  const consumers = Array.from({ length: CONSUMERS }, async (_, i) => {
    const r = new Redis(opts());
    const name = `c${i}`;
    while (!stop) {
      const res = (await r.xreadgroup('GROUP', 'g', name, 'COUNT', 1 + (i % 3), 'BLOCK', 30, 'STREAMS', 'race', '>')) as ReadReply;
      if (res === null) continue;
      for (const [id] of res[0][1]) {
        assert.equal(got.get(id), undefined, `${id} delivered to ${got.get(id)} and ${name}`);
        got.set(id, name);
      }
    }
    r.disconnect();
  });
  const producer = new Redis(opts());
  try {
    for (let j = 0; j < ENTRIES; j++) {
      await producer.xadd('race', '*', 'n', String(j));
      if (j % 10 === 0) await sleep(2);
    }
    const deadline = Date.now() + 10000;
    while (got.size < ENTRIES && Date.now() < deadline) await sleep(10);
  } finally {
    stop = true;
    await Promise.all(consumers);
  }
  assert.equal(got.size, ENTRIES);
  // Every pending entry is owned by the consumer that received it.
  const pending = (await admin.xpending('race', 'g', '-', '+', ENTRIES + 10)) as [string, string, number, number][];
  assert.equal(pending.length, ENTRIES);
  for (const [id, owner, , count] of pending) {
    assert.equal(owner, got.get(id));
    assert.equal(count, 1);
  }
  const summary = (await admin.xpending('race', 'g')) as [number, string, string, [string, string][]];
  assert.equal(summary[0], ENTRIES);
  const perConsumer = summary[3].reduce((n, [, c]) => n + Number(c), 0);
  assert.equal(perConsumer, ENTRIES);
  producer.disconnect();
  admin.disconnect();
});

test('readers and claimers at once: every pending entry has exactly one owner', async () => {
  const admin = new Redis(opts());
  await admin.del('mix');
  await admin.xgroup('CREATE', 'mix', 'g', '$', 'MKSTREAM');
  for (let j = 0; j < 200; j++) await admin.xadd('mix', `${j + 1}-0`, 'n', String(j));
  let stop = false;
  const readers = Array.from({ length: 3 }, async (_, i) => {
    const r = new Redis(opts());
    while (!stop) {
      await r.xreadgroup('GROUP', 'g', `reader${i}`, 'COUNT', 3, 'STREAMS', 'mix', '>');
      await r.xreadgroup('GROUP', 'g', `reader${i}`, 'COUNT', 2, 'STREAMS', 'mix', '0');
      await sleep(1);
    }
    r.disconnect();
  });
  const claimers = Array.from({ length: 2 }, async (_, i) => {
    const r = new Redis(opts());
    let cursor = '0-0';
    while (!stop) {
      const res = (await r.xautoclaim('mix', 'g', `claimer${i}`, 0, cursor, 'COUNT', 7)) as [string, Entries, string[]];
      cursor = res[0];
      const ids = res[1].map((e) => e[0]);
      if (ids.length > 0 && i === 0) await r.xack('mix', 'g', ...ids.slice(0, 2));
      await r.xclaim('mix', 'g', `claimer${i}`, 0, `${1 + Math.floor(Math.random() * 200)}-0`, 'JUSTID');
      await sleep(1);
    }
    r.disconnect();
  });
  try {
    await sleep(700);
  } finally {
    stop = true;
    await Promise.all([...readers, ...claimers]);
  }
  const full = (await admin.xinfo('STREAM', 'mix', 'FULL', 'COUNT', 0)) as unknown[];
  const groups = full[full.indexOf('groups') + 1] as unknown[][];
  const g = groups[0];
  const pel = g[g.indexOf('pending') + 1] as [string, string, number, number][];
  const consumers = g[g.indexOf('consumers') + 1] as unknown[][];
  const owners = new Map<string, string>();
  let total = 0;
  for (const c of consumers) {
    const name = c[c.indexOf('name') + 1] as string;
    const mine = c[c.indexOf('pending') + 1] as [string, number, number][];
    assert.equal(c[c.indexOf('pel-count') + 1], mine.length);
    for (const [id] of mine) {
      assert.equal(owners.get(id), undefined, `${id} in the lists of ${owners.get(id)} and ${name}`);
      owners.set(id, name);
    }
    total += mine.length;
  }
  assert.equal(total, pel.length);
  assert.equal(g[g.indexOf('pel-count') + 1], pel.length);
  for (const [id, owner] of pel) assert.equal(owners.get(id), owner, `owner of ${id}`);
  admin.disconnect();
});
