// Blocking list commands with several clients, run the same way against
// Spinel and the reference; every client's replies compared byte for byte.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { usePair, type DiffPair } from '../helpers/differential.js';
import type { RawClient } from '../helpers/resp.js';

let pair: DiffPair;
const skip = usePair((p) => (pair = p));
beforeEach(async () => {
  if (pair) await pair.both('FLUSHALL');
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Opens n extra connections on each server: [spinel clients, redis clients]. */
async function clients(n: number): Promise<[RawClient[], RawClient[]]> {
  const s: RawClient[] = [];
  const r: RawClient[] = [];
  for (let i = 0; i < n; i++) {
    const [a, b] = await pair.connectMore();
    s.push(a);
    r.push(b);
  }
  return [s, r];
}

/** Runs a scenario on one server's connections; returns the replies in a fixed order. */
type Scenario = (ctl: RawClient, w: RawClient[]) => Promise<string[]>;

async function compare(n: number, scenario: Scenario): Promise<string[]> {
  const [sw, rw] = await clients(n);
  try {
    const [a, b] = await Promise.all([scenario(pair.spinel, sw), scenario(pair.redis, rw)]);
    assert.deepEqual(a, b);
    return a;
  } finally {
    for (const c of [...sw, ...rw]) c.close();
  }
}

test('FIFO among waiters, BRPOP/BLPOP/BLMPOP mixed on one key', { skip }, async () => {
  const out = await compare(4, async (ctl, w) => {
    const p = [w[0].call('BLPOP', 'q', 0)];
    await sleep(20);
    p.push(w[1].call('BRPOP', 'q', 'other', 0));
    await sleep(20);
    p.push(w[2].call('BLMPOP', 0, 2, 'other', 'q', 'RIGHT', 'COUNT', 2));
    await sleep(20);
    p.push(w[3].call('BLMOVE', 'q', 'dst', 'LEFT', 'RIGHT', 0));
    await sleep(20);
    const r = [await ctl.call('RPUSH', 'q', '1', '2', '3', '4', '5', '6')];
    r.push(...(await Promise.all(p)));
    r.push(await ctl.call('LRANGE', 'q', 0, -1), await ctl.call('LRANGE', 'dst', 0, -1));
    return r;
  });
  assert.equal(out.length, 7);
});

test('BLMOVE chain and circular BLMOVE', { skip }, async () => {
  await compare(3, async (ctl, w) => {
    const p = [w[0].call('BLMOVE', 'a', 'b', 'RIGHT', 'LEFT', 0)];
    await sleep(20);
    p.push(w[1].call('BRPOPLPUSH', 'b', 'c', 0));
    await sleep(20);
    p.push(w[2].call('BLMOVE', 'c', 'a', 'LEFT', 'LEFT', 0));
    await sleep(20);
    const r = [await ctl.call('LPUSH', 'a', 'x')];
    r.push(...(await Promise.all(p)));
    r.push(await ctl.call('LRANGE', 'a', 0, -1), await ctl.call('EXISTS', 'b', 'c'));
    return r;
  });
});

test('a waiter stays blocked when its key comes back as another type, and is unblocked by CLIENT UNBLOCK', { skip }, async () => {
  await compare(1, async (ctl, w) => {
    const id = (await w[0].call('CLIENT', 'ID')).slice(1, -2);
    const p = w[0].call('BLPOP', 'k', 0);
    await sleep(20);
    const r = [await ctl.call('SET', 'k', 'v'), await ctl.call('DEL', 'k'), await ctl.call('ZADD', 'k', 1, 'm')];
    await sleep(20);
    r.push(await ctl.call('CLIENT', 'UNBLOCK', id, 'ERROR'), await p);
    const p2 = w[0].call('BLMOVE', 'src', 'k', 'LEFT', 'LEFT', 0);
    await sleep(20);
    r.push(await ctl.call('RPUSH', 'src', 'e'), await p2, await ctl.call('LLEN', 'src'));
    const p3 = w[0].call('BRPOP', 'z', 0);
    await sleep(20);
    r.push(await ctl.call('CLIENT', 'UNBLOCK', id), await p3, await ctl.call('CLIENT', 'UNBLOCK', id));
    return r;
  });
});

test('RESP3 clients get RESP3 replies when woken and on timeout', { skip }, async () => {
  await compare(2, async (ctl, w) => {
    await w[0].call('HELLO', 3);
    await w[1].call('HELLO', 3);
    const p = [w[0].call('BLMPOP', 0, 1, 'q', 'LEFT'), w[1].call('BLPOP', 'none', '0.02')];
    await sleep(20);
    const r = [await ctl.call('RPUSH', 'q', 'a')];
    r.push(...(await Promise.all(p)));
    r.push(await w[1].call('BLMOVE', 'none', 'x', 'LEFT', 'LEFT', '0.01'));
    return r;
  });
});
