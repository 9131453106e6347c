// A keyspace, a set and a hash in tables of many chunks: with the dict chunk
// size lowered to 16 slots (src/types/dict.ts), a few thousand keys or members
// take the dicts through several moves to bigger tables of hundreds of
// chunks, and every command that walks, samples or empties them must still
// see each element: DBSIZE, SCAN (also while the keyspace grows), KEYS,
// RANDOMKEY, active expiry, FLUSHDB, SWAPDB, MOVE,
// SCARD/SISMEMBER/SRANDMEMBER/SPOP/SSCAN, HLEN/HGET/HRANDFIELD/HSCAN; a list
// in a ring of 16-element chunks (src/types/ring.ts).
//
// SPINEL_SLOW_TESTS=1 adds the real thing: 17,000,000 keys and a set of
// 17,000,000 members with the default chunks (a JavaScript Map holds at most
// 2^24 = 16,777,216 entries; a Dict has no such cap).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSpinel, type SpinelHandle } from '../helpers/servers.js';
import { RawClient, encodeCommand } from '../helpers/resp.js';
import { setDictChunkBits, dictChunkBits } from '../../src/types/dict.js';
import { setRingChunkBits, ringChunkBits } from '../../src/types/ring.js';
import type { SetValue } from '../../src/types/set.js';
import type { HashValue } from '../../src/types/hash.js';

const CHUNK_BITS = 4;
let s: SpinelHandle;
let c: RawClient;
let savedBits = 0;
let savedRingBits = 0;
before(async () => {
  savedBits = dictChunkBits();
  setDictChunkBits(CHUNK_BITS);
  savedRingBits = ringChunkBits();
  setRingChunkBits(CHUNK_BITS);
  s = await startSpinel({ 'enable-debug-command': 'yes' });
  c = await RawClient.connect(s.port);
});
after(async () => {
  c.close();
  await s.close();
  setDictChunkBits(savedBits);
  setRingChunkBits(savedRingBits);
});

/** Sends the commands in one write; resolves with their replies. */
async function pipeline(cmds: (string | number)[][]): Promise<string[]> {
  if (cmds.length === 0) return [];
  return c.raw(Buffer.concat(cmds.map((a) => encodeCommand(a))), cmds.length);
}

async function value(...args: (string | number)[]): Promise<unknown> {
  return c.value(...args);
}

/** Every element a SCAN-family command returns over a whole iteration; `between` runs between calls. */
async function scanAll(cmd: string[], count: number, between?: () => Promise<void>): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  let cursor = '0';
  let calls = 0;
  do {
    const [next, items] = (await value(cmd[0], ...cmd.slice(1), cursor, 'COUNT', count)) as [string, string[]];
    cursor = next;
    const step = cmd[0] === 'HSCAN' ? 2 : 1;
    for (let i = 0; i < items.length; i += step) seen.set(items[i], (seen.get(items[i]) ?? 0) + 1);
    if (between !== undefined) await between();
    assert.ok(++calls < 100000, 'the iteration must end');
  } while (cursor !== '0');
  return seen;
}

const N = 5000;

test('a keyspace in a chunked table: DBSIZE, KEYS, SCAN, RANDOMKEY, FLUSHDB', async () => {
  await value('FLUSHALL');
  assert.equal(await value('DEBUG', 'POPULATE', N), 'OK');
  assert.equal(await value('DBSIZE'), N);
  const dict = s.server.keyspace.dbs[0].dict;
  assert.equal(dict.capacity, 8192);
  // The 12289th key (past 3/4 of 16384 slots) starts a move to 32768 slots;
  // writes move 8 home slots each, and the cron finishes the move with no more
  // writes (activerehashing).
  assert.equal(await value('DEBUG', 'POPULATE', 12400 - N, 'more'), 'OK');
  assert.equal(dict.rehashing, true);
  const deadline = Date.now() + 10000;
  while (dict.rehashing && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.equal(dict.rehashing, false);
  assert.equal(dict.capacity, 32768);
  assert.equal(await value('DBSIZE'), 12400);
  assert.equal(await value('GET', 'more:7399'), 'value:7399');
  for (let i = 0; i < 7400; i += 100) assert.equal(await value('DEL', 'more:' + i), 1);
  await value('FLUSHDB');
  await value('DEBUG', 'POPULATE', N);

  const keys = (await value('KEYS', '*')) as string[];
  assert.equal(keys.length, N);
  assert.equal(new Set(keys).size, N);
  assert.equal(((await value('KEYS', 'key:1*')) as string[]).length, 1111);

  const seen = await scanAll(['SCAN'], 37);
  assert.equal(seen.size, N);
  for (const [k, n] of seen) assert.equal(n, 1, `${k} returned ${n} times`);

  // RANDOMKEY: 30000 draws over 5000 keys reach nearly all of them (expected 99.75%).
  const draws = await pipeline(Array.from({ length: 30000 }, () => ['RANDOMKEY']));
  const drawn = new Set(draws);
  assert.ok(drawn.size > N * 0.98, `${drawn.size} distinct keys drawn`);
  for (const d of drawn) assert.match(d, /^\$\d+\r\nkey:\d+\r\n$/);

  assert.equal(await value('FLUSHDB'), 'OK');
  assert.equal(await value('DBSIZE'), 0);
  assert.equal(await value('RANDOMKEY'), null);
  assert.deepEqual(await value('SCAN', '0'), ['0', []]);
  assert.equal(s.server.keyspace.dbs[0].dict.capacity, 8);
});

test('SCAN returns every key present for the whole iteration while the keyspace grows', async () => {
  await value('FLUSHALL');
  await value('DEBUG', 'POPULATE', 1000, 'stable');
  const capacityBefore = s.server.keyspace.dbs[0].dict.capacity;
  let added = 0;
  const seen = await scanAll(['SCAN'], 10, async () => {
    const cmds: (string | number)[][] = [];
    for (let j = 0; j < 8; j++) cmds.push(['SET', 'new:' + added++, 'x']);
    if (added % 40 === 0) cmds.push(['DEL', 'stable:' + (added % 1000)]);
    await pipeline(cmds);
  });
  const size = (await value('DBSIZE')) as number;
  assert.ok(size > 2000, `grew to ${size} keys`);
  assert.ok(s.server.keyspace.dbs[0].dict.capacity >= capacityBefore * 2, 'the table grew during the iteration');
  for (let i = 0; i < 1000; i++) {
    const k = 'stable:' + i;
    if (((await value('EXISTS', k)) as number) === 1) assert.ok(seen.has(k), `${k} was not returned`);
  }
  for (const k of seen.keys()) assert.ok(k.startsWith('stable:') || k.startsWith('new:'), k);
});

test('active expiry and lazy expiry over a chunked expires dict', async () => {
  await value('FLUSHALL');
  await value('DEBUG', 'POPULATE', 3000);
  const cmds: (string | number)[][] = [];
  for (let i = 0; i < 2000; i++) cmds.push(['PEXPIRE', 'key:' + i, 50 + (i % 50)]);
  assert.deepEqual(new Set(await pipeline(cmds)), new Set([':1\r\n']));
  assert.ok(s.server.keyspace.dbs[0].expires.capacity >= 4096);
  // Keys still in the dict but past their TTL are hidden from every reader.
  await new Promise((r) => setTimeout(r, 120));
  assert.equal(await value('EXISTS', 'key:0'), 0);
  assert.equal(((await value('KEYS', '*')) as string[]).length, 1000);
  const deadline = Date.now() + 10000;
  while (Date.now() < deadline && ((await value('DBSIZE')) as number) > 1000) await new Promise((r) => setTimeout(r, 50));
  assert.equal(await value('DBSIZE'), 1000);
  assert.equal(s.server.keyspace.dbs[0].expires.size, 0);
  for (let i = 0; i < 30; i++) assert.match((await value('RANDOMKEY')) as string, /^key:(2\d\d\d)$/);
});

test('SWAPDB and MOVE between chunked dbs', async () => {
  await value('FLUSHALL');
  await value('DEBUG', 'POPULATE', 3000, 'a');
  await value('SELECT', 1);
  await value('DEBUG', 'POPULATE', 2000, 'b');
  await value('SELECT', 0);
  assert.equal(await value('SWAPDB', 0, 1), 'OK');
  assert.equal(await value('DBSIZE'), 2000);
  assert.equal(await value('GET', 'b:1999'), 'value:1999');
  assert.equal(await value('MOVE', 'b:7', 1), 1);
  assert.equal(await value('DBSIZE'), 1999);
  await value('SELECT', 1);
  assert.equal(await value('DBSIZE'), 3001);
  assert.equal(await value('GET', 'b:7'), 'value:7');
  const seen = await scanAll(['SCAN'], 100);
  assert.equal(seen.size, 3001);
  await value('SELECT', 0);
});

test('a list in a chunked ring: pushes and pops at both ends, LRANGE, LINDEX, LSET, LINSERT, LTRIM', async () => {
  await value('FLUSHALL');
  const model: string[] = [];
  const cmds: (string | number)[][] = [];
  // Grows to thousands of elements (hundreds of 16-element chunks), then shrinks back.
  for (let i = 0; i < 3000; i++) {
    if (i % 3 === 0) {
      cmds.push(['LPUSH', 'mylist', `h${i}`]);
      model.unshift(`h${i}`);
    } else {
      cmds.push(['RPUSH', 'mylist', `t${i}`, `u${i}`]);
      model.push(`t${i}`, `u${i}`);
    }
  }
  await pipeline(cmds);
  assert.equal(await value('LLEN', 'mylist'), model.length);
  assert.deepEqual(await value('LRANGE', 'mylist', 0, -1), model);
  assert.deepEqual(await value('LRANGE', 'mylist', 1234, 1300), model.slice(1234, 1301));
  assert.equal(await value('LINDEX', 'mylist', 2500), model[2500]);
  assert.equal(await value('LSET', 'mylist', 3333, 'changed'), 'OK');
  model[3333] = 'changed';
  assert.equal(await value('LINSERT', 'mylist', 'BEFORE', 'changed', 'inserted'), model.length + 1);
  model.splice(3333, 0, 'inserted');
  assert.deepEqual(await value('LPOP', 'mylist', 1500), model.splice(0, 1500));
  assert.deepEqual(await value('RPOP', 'mylist', 2000), model.splice(model.length - 2000, 2000).reverse());
  assert.deepEqual(await value('LRANGE', 'mylist', 0, -1), model);
  assert.equal(await value('LTRIM', 'mylist', 100, -101), 'OK');
  assert.deepEqual(await value('LRANGE', 'mylist', 0, -1), model.slice(100, model.length - 100));
});

test('a set and a hash in chunked tables', async () => {
  await value('FLUSHALL');
  const M = 4000;
  const sadd: (string | number)[][] = [];
  const hset: (string | number)[][] = [];
  for (let i = 0; i < M; i += 100) {
    const members: string[] = [];
    const pairs: string[] = [];
    for (let j = i; j < i + 100; j++) {
      members.push('m' + j);
      pairs.push('f' + j, 'v' + j);
    }
    sadd.push(['SADD', 'set', ...members]);
    hset.push(['HSET', 'hash', ...pairs]);
  }
  await pipeline(sadd);
  await pipeline(hset);
  const set = s.server.keyspace.dbs[0].dict.get('set')!.value as SetValue;
  const hash = s.server.keyspace.dbs[0].dict.get('hash')!.value as HashValue;
  assert.ok(set.idx!.capacity >= M, `set: ${set.idx!.capacity} slots`);
  assert.ok(hash.size === M);

  assert.equal(await value('SCARD', 'set'), M);
  assert.equal(await value('SISMEMBER', 'set', 'm3999'), 1);
  assert.equal(await value('SISMEMBER', 'set', 'm4000'), 0);
  const sseen = await scanAll(['SSCAN', 'set'], 25);
  assert.equal(sseen.size, M);
  for (const [m, n] of sseen) assert.equal(n, 1, m);
  const rand = (await value('SRANDMEMBER', 'set', 3000)) as string[];
  assert.equal(new Set(rand).size, 3000);
  for (const m of rand) assert.match(m, /^m\d+$/);
  const popped = (await value('SPOP', 'set', 1500)) as string[];
  assert.equal(new Set(popped).size, 1500);
  assert.equal(await value('SCARD', 'set'), M - 1500);
  const rest = await scanAll(['SSCAN', 'set'], 50);
  assert.equal(rest.size, M - 1500);
  for (const m of popped) assert.ok(!rest.has(m), m);

  assert.equal(await value('HLEN', 'hash'), M);
  assert.equal(await value('HGET', 'hash', 'f1234'), 'v1234');
  const hseen = await scanAll(['HSCAN', 'hash'], 25);
  assert.equal(hseen.size, M);
  const fields = (await value('HRANDFIELD', 'hash', 3000)) as string[];
  assert.equal(new Set(fields).size, 3000);
  const draws = await pipeline(Array.from({ length: 20000 }, () => ['HRANDFIELD', 'hash']));
  assert.ok(new Set(draws).size > M * 0.95);
  assert.equal(await value('HDEL', 'hash', 'f0', 'f1', 'f2'), 3);
  assert.equal(await value('HLEN', 'hash'), M - 3);
});

test('a sorted set in a chunked table', async () => {
  await value('FLUSHALL');
  const M = 4000;
  const zadd: (string | number)[][] = [];
  for (let i = 0; i < M; i += 100) {
    const args: (string | number)[] = ['ZADD', 'z'];
    for (let j = i; j < i + 100; j++) args.push(j % 97, 'm' + j);
    zadd.push(args);
  }
  await pipeline(zadd);
  const z = s.server.keyspace.dbs[0].dict.get('z')!.value as { d: { dict: { capacity: number } } };
  assert.ok(z.d.dict.capacity >= M, `zset: ${z.d.dict.capacity} slots`);
  assert.equal(await value('ZCARD', 'z'), M);
  assert.equal(await value('ZSCORE', 'z', 'm3999'), String(3999 % 97));
  assert.equal(await value('ZSCORE', 'z', 'm4000'), null);
  // Rank: members sort by (score, member); m0 (score 0) comes first.
  assert.equal(await value('ZRANK', 'z', 'm0'), 0);
  const seen = await scanAll(['ZSCAN', 'z'], 25);
  // ZSCAN returns member, score pairs: count the members only.
  let members = 0;
  for (const k of seen.keys()) if (k.startsWith('m')) members++;
  assert.equal(members, M);
  const rand = (await value('ZRANDMEMBER', 'z', 3000)) as string[];
  assert.equal(new Set(rand).size, 3000);
  assert.equal(await value('ZREM', 'z', 'm1', 'm2', 'nope'), 2);
  assert.equal(await value('ZCARD', 'z'), M - 2);
  assert.equal(await value('ZUNIONSTORE', 'u', 2, 'z', 'z'), M - 2);
  assert.equal(await value('ZSCORE', 'u', 'm3999'), String(2 * (3999 % 97)));
});

const slow = process.env.SPINEL_SLOW_TESTS === '1';

test('17,000,000 keys and a set of 17,000,000 members with the default chunks', { skip: !slow && 'set SPINEL_SLOW_TESTS=1' }, async () => {
  setDictChunkBits(savedBits);
  try {
    await value('FLUSHALL');
    const big = 17_000_000;
    const t0 = Date.now();
    assert.equal(await value('DEBUG', 'POPULATE', big), 'OK');
    const populateMs = Date.now() - t0;
    assert.equal(await value('DBSIZE'), big);
    assert.equal(await value('GET', 'key:16999999'), 'value:16999999');
    assert.match((await value('RANDOMKEY')) as string, /^key:\d+$/);
    const [cursor, first] = (await value('SCAN', 0, 'COUNT', 1000)) as [string, string[]];
    assert.notEqual(cursor, '0');
    assert.ok(first.length >= 1000);
    const heapAfterKeys = process.memoryUsage().heapUsed;
    await value('FLUSHALL');

    // The set: SADD in batches of 1000 members, pipelined.
    const t1 = Date.now();
    for (let i = 0; i < big; ) {
      const batch: (string | number)[][] = [];
      for (let b = 0; b < 100 && i < big; b++) {
        const cmd: string[] = ['SADD', 'bigset'];
        for (let j = 0; j < 1000 && i < big; j++, i++) cmd.push('m' + i);
        batch.push(cmd);
      }
      await pipeline(batch);
    }
    const saddMs = Date.now() - t1;
    assert.equal(await value('SCARD', 'bigset'), big);
    assert.equal(await value('SISMEMBER', 'bigset', 'm16999999'), 1);
    assert.match((await value('SRANDMEMBER', 'bigset')) as string, /^m\d+$/);
    assert.match((await value('SPOP', 'bigset')) as string, /^m\d+$/);
    assert.equal(await value('SCARD', 'bigset'), big - 1);
    const heapAfterSet = process.memoryUsage().heapUsed;
    console.log(
      `# 17M keys: DEBUG POPULATE ${populateMs} ms, heap ${(heapAfterKeys / 2 ** 30).toFixed(2)} GiB; ` +
        `17M-member set: SADD ${saddMs} ms, heap ${(heapAfterSet / 2 ** 30).toFixed(2)} GiB`,
    );
    await value('FLUSHALL');
  } finally {
    setDictChunkBits(CHUNK_BITS);
  }
});
