// Blocking XREAD and XREADGROUP against the reference, with several clients:
// who is served, in which order, with what; consumer groups deliver each
// entry to exactly one blocked consumer; a woken XREADGROUP that finds
// nothing blocks again with its first deadline; a group destroyed, a key
// deleted, renamed or changed under a blocked reader; timeouts; CLIENT
// UNBLOCK.

import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { usePair, type DiffPair, type Args } from '../helpers/differential.js';
import type { RawClient } from '../helpers/resp.js';

let pair: DiffPair;
const skip = usePair((p) => (pair = p));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Clients = [RawClient, RawClient];

/** Sends a command on a spinel/redis client pair without waiting for the replies. */
function send(cl: Clients, ...args: Args): [Promise<string>, Promise<string>] {
  return [cl[0].call(...args), cl[1].call(...args)];
}

async function same(p: [Promise<string>, Promise<string>], what: string): Promise<string> {
  const [a, b] = await Promise.all(p);
  assert.equal(a, b, `reply to ${what}`);
  return a;
}

/** Waits until both servers report `n` blocked clients. */
async function blocked(n: number): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const [a, b] = await pair.both('INFO', 'clients');
    const ma = /blocked_clients:(\d+)/.exec(a)![1];
    const mb = /blocked_clients:(\d+)/.exec(b)![1];
    if (Number(ma) === n && Number(mb) === n) return;
    if (Date.now() > deadline) throw new Error(`blocked clients: spinel ${ma}, redis ${mb}, want ${n}`);
    await sleep(5);
  }
}

/** Every extra connection of the running test, closed after it. */
let opened: Clients[] = [];
afterEach(() => {
  close(opened);
  opened = [];
});

async function clients(n: number, resp: 2 | 3 = 2): Promise<Clients[]> {
  const out: Clients[] = [];
  for (let i = 0; i < n; i++) {
    const c = await pair.connectMore();
    if (resp === 3) await Promise.all([c[0].call('HELLO', '3'), c[1].call('HELLO', '3')]);
    out.push(c);
    opened.push(c);
  }
  return out;
}

function close(cs: Clients[]): void {
  for (const [a, b] of cs) {
    a.close();
    b.close();
  }
}

test('XREAD BLOCK: served by a later XADD, `$`, several streams, several readers', { skip }, async () => {
  for (const resp of [2, 3] as const) {
    await pair.both('FLUSHALL');
    await pair.check('XADD', 's2', '1-0', 'old', 'x');
    const cs = await clients(3, resp);
    const r0 = send(cs[0], 'XREAD', 'BLOCK', '0', 'STREAMS', 's1', 's2', 's3', '$', '$', '$');
    const r1 = send(cs[1], 'XREAD', 'COUNT', '1', 'BLOCK', '5000', 'STREAMS', 's2', '1-0');
    const r2 = send(cs[2], 'XREAD', 'BLOCK', '0', 'STREAMS', 's3', 's3', '$', '0');
    await blocked(3);
    await pair.check('XADD', 's2', '2-0', 'new', 'y');
    await same(r0, 'XREAD $ $ $');
    await same(r1, 'XREAD COUNT 1');
    await blocked(1);
    await pair.check('XADD', 's3', '5-0', 'a', 'b');
    await same(r2, 'XREAD s3 s3');
    // Data older than the ID: not served, stays blocked until a newer entry.
    const r3 = send(cs[0], 'XREAD', 'BLOCK', '0', 'STREAMS', 's2', '10-0');
    await blocked(1);
    await pair.check('XADD', 's2', '9-0', 'f', 'v');
    await sleep(20);
    await pair.check('XADD', 's2', '11-0', 'f', 'v');
    await same(r3, 'XREAD after 10-0');
    close(cs);
  }
});

test('XREAD BLOCK: timeouts, non-stream keys, deleted keys, CLIENT UNBLOCK', { skip }, async () => {
  for (const resp of [2, 3] as const) {
    await pair.both('FLUSHALL');
    const cs = await clients(2, resp);
    await same(send(cs[0], 'XREAD', 'BLOCK', '30', 'STREAMS', 'nokey', '$'), 'XREAD timeout');
    // A list pushed under the key does not wake it; the stream that follows does.
    const r = send(cs[0], 'XREAD', 'BLOCK', '0', 'STREAMS', 'k', '$');
    await blocked(1);
    await pair.check('LPUSH', 'k', 'x');
    await pair.check('DEL', 'k');
    await pair.check('XADD', 'k', '3-0', 'f', 'v');
    await same(r, 'XREAD woken by XADD after LPUSH/DEL');
    // `$` was 3-0: a new stream under the key with older IDs does not serve it, a newer entry does.
    const r2 = send(cs[0], 'XREAD', 'BLOCK', '0', 'STREAMS', 'k', '$');
    await blocked(1);
    await pair.check('DEL', 'k');
    await pair.check('XADD', 'k', '1-0', 'f', 'v');
    await sleep(20);
    await blocked(1);
    await pair.check('XADD', 'k', '4-0', 'f', 'w');
    await same(r2, 'XREAD after DEL and XADD');
    // CLIENT UNBLOCK: as a timeout, or with an error.
    const [ida, idb] = await Promise.all([cs[1][0].call('CLIENT', 'ID'), cs[1][1].call('CLIENT', 'ID')]);
    const r3 = send(cs[1], 'XREAD', 'BLOCK', '0', 'STREAMS', 'k', '$');
    await blocked(1);
    await Promise.all([pair.spinel.call('CLIENT', 'UNBLOCK', ida.slice(1, -2)), pair.redis.call('CLIENT', 'UNBLOCK', idb.slice(1, -2))]);
    await same(r3, 'XREAD unblocked');
    const r4 = send(cs[1], 'XREADGROUP', 'GROUP', 'nog', 'c', 'BLOCK', '0', 'STREAMS', 'k', '>');
    await same(r4, 'XREADGROUP without the group');
    await pair.check('XGROUP', 'CREATE', 'k', 'g', '$');
    const r5 = send(cs[1], 'XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 'k', '>');
    await blocked(1);
    await Promise.all([pair.spinel.call('CLIENT', 'UNBLOCK', ida.slice(1, -2), 'ERROR'), pair.redis.call('CLIENT', 'UNBLOCK', idb.slice(1, -2), 'ERROR')]);
    await same(r5, 'XREADGROUP unblocked with an error');
    close(cs);
  }
});

test('XREADGROUP BLOCK: each new entry goes to exactly one consumer, first blocked first served', { skip }, async () => {
  for (const resp of [2, 3] as const) {
    await pair.both('FLUSHALL');
    await pair.check('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
    const cs = await clients(4, resp);
    const names = ['alice', 'bob', 'carol', 'dave'];
    const pending = cs.map((c, i) => send(c, 'XREADGROUP', 'GROUP', 'g', names[i], 'COUNT', '1', 'BLOCK', '0', 'STREAMS', 's', '>'));
    await blocked(4);
    // One entry at a time: each wakes one consumer, in the order they blocked.
    for (let i = 0; i < 4; i++) {
      await pair.check('XADD', 's', `${i + 1}-0`, 'job', String(i));
      await same(pending[i], `delivery ${i}`);
      await blocked(3 - i);
    }
    await pair.check('XPENDING', 's', 'g');
    // Two entries at once with three blocked consumers: the first takes both (no COUNT), the others keep waiting.
    const more = cs.slice(0, 3).map((c, i) => send(c, 'XREADGROUP', 'GROUP', 'g', names[i], 'BLOCK', '0', 'STREAMS', 's', '>'));
    await blocked(3);
    await pair.check('XADD', 's', 'MAXLEN', '100', '10-0', 'job', 'a');
    await same(more[0], 'first consumer');
    await blocked(2);
    await pair.check('XADD', 's', '11-0', 'job', 'b');
    await same(more[1], 'second consumer');
    await pair.check('XADD', 's', '12-0', 'job', 'c');
    await same(more[2], 'third consumer');
    await pair.check('XPENDING', 's', 'g');
    await pair.check('XINFO', 'GROUPS', 's');
    close(cs);
  }
});

test('a woken XREADGROUP that finds nothing blocks again with its first deadline', { skip }, async () => {
  await pair.both('FLUSHALL');
  await pair.check('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
  const cs = await clients(2);
  const first = send(cs[0], 'XREADGROUP', 'GROUP', 'g', 'a', 'BLOCK', '0', 'STREAMS', 's', '>');
  await blocked(1);
  const t0 = Date.now();
  const second = [cs[1][0].call('XREADGROUP', 'GROUP', 'g', 'b', 'BLOCK', '600', 'STREAMS', 's', '>').then((r) => [r, Date.now() - t0] as const), cs[1][1].call('XREADGROUP', 'GROUP', 'g', 'b', 'BLOCK', '600', 'STREAMS', 's', '>').then((r) => [r, Date.now() - t0] as const)];
  await blocked(2);
  await sleep(250);
  await pair.check('XADD', 's', '1-0', 'f', 'v');
  await same(first, 'first consumer gets the entry');
  const [[ra, ta], [rb, tb]] = await Promise.all(second);
  assert.equal(ra, rb);
  assert.equal(ra, '*-1\r\n');
  // Spinel's timeout is the original one (600 ms), not 600 ms after the wake-up.
  assert.ok(ta >= 550 && ta < 800, `spinel timed out after ${ta} ms (redis ${tb} ms)`);
  assert.ok(Math.abs(ta - tb) < 200, `spinel ${ta} ms, redis ${tb} ms`);
  close(cs);
});

test('XREADGROUP BLOCK: group destroyed, key deleted, renamed, retyped, flushed', { skip }, async () => {
  for (const resp of [2, 3] as const) {
    const cs = await clients(2, resp);
    const setup = async () => {
      await pair.both('FLUSHALL');
      await pair.checkAll([
        ['XADD', 's', '1-0', 'f', 'v'],
        ['XGROUP', 'CREATE', 's', 'g', '$'],
      ]);
    };
    const cases: [string, Args[]][] = [
      ['destroy', [['XGROUP', 'DESTROY', 's', 'g']]],
      ['del', [['DEL', 's']]],
      ['set', [['SET', 's', 'x']]],
      ['flushall', [['FLUSHALL']]],
      ['rename away', [['RENAME', 's', 's9']]],
      ['rename over', [['XADD', 'other', '5-0', 'a', 'b'], ['RENAME', 'other', 's']]],
      ['rename with group', [['XADD', 'other', '5-0', 'a', 'b'], ['XGROUP', 'CREATE', 'other', 'g', '0'], ['RENAME', 'other', 's']]],
      ['xdel', [['XDEL', 's', '1-0'], ['XADD', 's', '7-0', 'x', 'y']]],
      ['setid', [['XADD', 's', '2-0', 'x', 'y'], ['XGROUP', 'SETID', 's', 'g', '$'], ['XADD', 's', '3-0', 'x', 'z']]],
      ['swapdb, key gone', [['SWAPDB', '0', '9']]],
      ['swapdb, a list', [['SELECT', '9'], ['LPUSH', 's', 'x'], ['SELECT', '0'], ['SWAPDB', '0', '9']]],
      ['swapdb, a stream without the group', [['SELECT', '9'], ['XADD', 's', '9-0', 'x', 'y'], ['SELECT', '0'], ['SWAPDB', '0', '9']]],
    ];
    for (const [name, cmds] of cases) {
      await setup();
      const r = send(cs[0], 'XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>');
      const x = send(cs[1], 'XREAD', 'BLOCK', '500', 'STREAMS', 's', '$');
      await blocked(2);
      await pair.checkAll(cmds);
      await same(r, `blocked XREADGROUP, ${name}`);
      await same(x, `blocked XREAD, ${name}`);
    }
    const [ea, eb] = await pair.both('INFO', 'errorstats');
    assert.equal(/errorstat_NOGROUP:count=(\d+)/.exec(ea)?.[1], /errorstat_NOGROUP:count=(\d+)/.exec(eb)?.[1]);
    close(cs);
  }
});

test('XREADGROUP BLOCK with a history ID or NOACK, and blocking inside a non-blocking context', { skip }, async () => {
  await pair.both('FLUSHALL');
  await pair.checkAll([
    ['XADD', 's', '1-0', 'f', 'v'],
    ['XGROUP', 'CREATE', 's', 'g', '0'],
    ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '0'],
    ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>'],
    ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '0'],
    ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '10', 'STREAMS', 's', '>'],
  ]);
  const cs = await clients(1);
  const r = send(cs[0], 'XREADGROUP', 'GROUP', 'g', 'n', 'NOACK', 'BLOCK', '0', 'STREAMS', 's', '>');
  await blocked(1);
  await pair.check('XADD', 's', '2-0', 'f', 'w');
  await same(r, 'NOACK delivery');
  await pair.checkAll([
    ['XPENDING', 's', 'g'],
    ['XINFO', 'GROUPS', 's'],
  ]);
  close(cs);
});
