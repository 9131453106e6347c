// Real clients on lists: a reliable work queue (BLMOVE into a processing list,
// LREM when done) with concurrent producers and workers (ioredis), and BRPOP
// consumers (node-redis, RESP3): every job delivered exactly once, in order
// per producer as seen by each worker.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { startSpinel, type SpinelHandle } from '../helpers/servers.js';

let s: SpinelHandle;
before(async () => {
  s = await startSpinel();
});
after(() => s.close());

const PRODUCERS = 4;
const JOBS = 150;
const WORKERS = 5;

function checkDelivery(seen: Map<string, number>, perWorker: string[][]): void {
  assert.equal(seen.size, PRODUCERS * JOBS, 'every job delivered');
  for (const [job, n] of seen) assert.equal(n, 1, `job ${job} delivered ${n} times`);
  for (const jobs of perWorker) {
    const last = new Map<string, number>();
    for (const j of jobs) {
      const [p, n] = j.split(':');
      const seq = Number(n);
      assert.ok((last.get(p) ?? -1) < seq, `producer ${p} out of order: ${seq} after ${last.get(p)}`);
      last.set(p, seq);
    }
  }
}

test('ioredis: reliable queue with BLMOVE and LREM, concurrent producers and workers', async () => {
  const opts = { port: s.port, host: '127.0.0.1', maxRetriesPerRequest: 1 };
  const producers = Array.from({ length: PRODUCERS }, () => new Redis(opts));
  const workers = Array.from({ length: WORKERS }, () => new Redis(opts));
  const seen = new Map<string, number>();
  const perWorker: string[][] = workers.map(() => []);
  let done = false;
  try {
    const work = workers.map(async (w, i) => {
      for (;;) {
        const job = await w.blmove('rq:queue', 'rq:processing', 'RIGHT', 'LEFT', 0.05);
        if (job === null) {
          if (done) return;
          continue;
        }
        perWorker[i].push(job);
        seen.set(job, (seen.get(job) ?? 0) + 1);
        assert.equal(await w.lrem('rq:processing', 1, job), 1);
      }
    });
    await Promise.all(
      producers.map(async (p, pi) => {
        for (let n = 0; n < JOBS; n++) {
          await p.lpush('rq:queue', `${pi}:${n}`);
          if (n % 50 === 0) await new Promise((r) => setImmediate(r));
        }
      }),
    );
    for (let i = 0; i < 400 && seen.size < PRODUCERS * JOBS; i++) await new Promise((r) => setTimeout(r, 10));
    done = true;
    await Promise.all(work);
    checkDelivery(seen, perWorker);
    assert.equal(await producers[0].llen('rq:processing'), 0);
    assert.equal(await producers[0].exists('rq:queue'), 0);
  } finally {
    for (const c of [...producers, ...workers]) c.disconnect();
  }
});

test('node-redis (RESP3): BRPOP consumers and pipelined producers', async () => {
  const url = `redis://127.0.0.1:${s.port}`;
  const producers = await Promise.all(Array.from({ length: PRODUCERS }, () => createClient({ url, RESP: 3 }).connect()));
  const consumers = await Promise.all(Array.from({ length: WORKERS }, () => createClient({ url, RESP: 3 }).connect()));
  const seen = new Map<string, number>();
  const perWorker: string[][] = consumers.map(() => []);
  let done = false;
  try {
    const work = consumers.map(async (c, i) => {
      for (;;) {
        const r = await c.brPop('nr:queue', 0.05);
        if (r === null) {
          if (done) return;
          continue;
        }
        assert.equal(r.key, 'nr:queue');
        perWorker[i].push(r.element);
        seen.set(r.element, (seen.get(r.element) ?? 0) + 1);
      }
    });
    await Promise.all(
      producers.map(async (p, pi) => {
        for (let n = 0; n < JOBS; n += 10) {
          // Ten pushes pipelined at once, in order.
          await Promise.all(Array.from({ length: 10 }, (_, k) => p.lPush('nr:queue', `${pi}:${n + k}`)));
        }
      }),
    );
    for (let i = 0; i < 400 && seen.size < PRODUCERS * JOBS; i++) await new Promise((r) => setTimeout(r, 10));
    done = true;
    await Promise.all(work);
    checkDelivery(seen, perWorker);
  } finally {
    for (const c of [...producers, ...consumers]) await c.quit().catch(() => {});
  }
});
