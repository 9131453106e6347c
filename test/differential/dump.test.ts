// DUMP and RESTORE compared with the reference server: payloads byte for
// byte where Redis's encoding is deterministic, payloads carried both ways
// (each server restores the other's and dumps it back unchanged), every type
// and encoding, the errors, and RESTORE's side effects.

import { test, beforeEach, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { usePair, skipReason, type DiffPair, type Args } from '../helpers/differential.js';
import { EffectsPair } from '../helpers/effects.js';
import { decode } from '../helpers/resp.js';

let pair: DiffPair | null = null;
const skip = usePair((p) => (pair = p));
beforeEach(async () => {
  if (!pair) return;
  await pair.resp(2);
  await pair.both('SELECT', '0');
  await pair.both('FLUSHALL');
  await pair.both('CONFIG', 'SET', 'list-max-listpack-size', '-2', 'hash-max-listpack-entries', '128', 'zset-max-listpack-entries', '128', 'set-max-intset-entries', '512', 'set-max-listpack-entries', '128');
});

const many = (n: number, f: (i: number) => string): string[] => Array.from({ length: n }, (_, i) => f(i));

/** Datasets whose encodings Redis chooses deterministically: same commands, same DUMP bytes. */
const DETERMINISTIC: Record<string, Args[]> = {
  ints: [['SET', 'k', '0'], ['SET', 'k2', '-128'], ['SET', 'k3', '70000'], ['SET', 'k4', '-2147483648'], ['SET', 'k5', '9223372036854775807'], ['SET', 'k6', '-9223372036854775808'], ['SET', 'k7', '007']],
  strings: [['SET', 'k', ''], ['SET', 'k2', 'hello'], ['SET', 'k3', 'a'.repeat(100)], ['SET', 'k4', 'x'.repeat(44)], ['SET', 'k5', Buffer.from(many(300, (i) => String.fromCharCode(i % 256)).join(''), 'latin1')], ['SET', 'k6', '12345678901'], ['APPEND', 'k7', 'ab'.repeat(40)], ['SETRANGE', 'k8', '30', 'zz'], ['SETBIT', 'k9', '1000', '1'], ['PFADD', 'k10', 'a', 'b', 'c']],
  lists: [['RPUSH', 'k', 'a', '1', '-5', '300', '70000', '5000000000', 'x'.repeat(70)], ['RPUSH', 'k2', ...many(500, (i) => `element-${i}`)], ['LPUSH', 'k3', ...many(300, (i) => String(i * 7))], ['RPUSH', 'k4', ...many(20, (i) => 'y'.repeat(i * 30))]],
  sets: [['SADD', 'k', '1', '2', '3'], ['SADD', 'k2', '-40000', '5'], ['SADD', 'k3', '-5000000000', '1'], ['SADD', 'k4', 'a', 'b', 'c', '1'], ['SADD', 'k5', ...many(400, (i) => String(i))]],
  zsets: [['ZADD', 'k', '1.5', 'a', '0', 'b', '-0', 'c', '3', 'd', '1e20', 'e', 'inf', 'f', '-inf', 'g', '0.1', 'h', '123456789012', 'i'], ['ZADD', 'k2', ...many(300, (i) => (i % 2 === 0 ? String(i / 7) : `m${i}`))], ['ZADD', 'k3', '1', 'x'.repeat(100)]],
  hashes: [['HSET', 'k', 'f', 'v', '1', '2', 'x', ''], ['HSET', 'k2', ...many(200, (i) => (i % 2 ? `v${i}` : `f${i}`))]],
  streams: [
    ['XADD', 'k', '1-1', 'f', 'v', 'g', '1'],
    ['XADD', 'k', '1-2', 'f', 'w', 'g', '2'],
    ['XADD', 'k', '2-0', 'other', 'x'],
    ['XADD', 'k', '3-0', 'f', 'v', 'g', '1'],
    ['XDEL', 'k', '1-2'],
    ['XGROUP', 'CREATE', 'k', 'g0', '$'],
    ['XGROUP', 'CREATE', 'k', 'g1', '0', 'ENTRIESREAD', '2'],
    ...many(120, (i) => `${10 + i}-0`).map((id) => ['XADD', 'k2', id, 'a', 'b'] as Args),
    ['XTRIM', 'k2', 'MAXLEN', '50'],
    ['XADD', 'k3', '5-5', 'x', 'y'],
    ['XDEL', 'k3', '5-5'],
  ],
};

/** The bulk string of a reply (a DUMP payload). */
function bulk(reply: string): string {
  return decode(Buffer.from(reply, 'latin1'))[0] as string;
}

async function keysOf(p: DiffPair): Promise<string[]> {
  return (decode(Buffer.from(await p.redis.call('KEYS', '*'), 'latin1'))[0] as string[]).sort();
}

test('DUMP: the same bytes as Redis for every deterministic encoding', { skip }, async () => {
  const p = pair!;
  for (const fill of ['-2', '5', '-1']) {
    await p.both('CONFIG', 'SET', 'list-max-listpack-size', fill);
    for (const [what, cmds] of Object.entries(DETERMINISTIC)) {
      await p.both('FLUSHALL');
      for (const c of cmds) await p.check(...c);
      for (const k of await keysOf(p)) {
        await p.check('OBJECT', 'ENCODING', k);
        const [a, b] = await p.both('DUMP', k);
        assert.ok(a === b, `DUMP of ${what} ${k} (list-max-listpack-size ${fill}): ${JSON.stringify(a.slice(0, 100))} vs ${JSON.stringify(b.slice(0, 100))}`);
      }
    }
  }
  await p.check('DUMP', 'nosuchkey');
});

test('DUMP with rdbcompression no', { skip }, async () => {
  const p = pair!;
  await p.both('CONFIG', 'SET', 'rdbcompression', 'no');
  try {
    await p.check('SET', 'k', 'a'.repeat(100));
    await p.check('RPUSH', 'l', ...many(100, () => 'same'));
    await p.check('DUMP', 'k');
    await p.check('DUMP', 'l');
  } finally {
    await p.both('CONFIG', 'SET', 'rdbcompression', 'yes');
  }
});

/**
 * Restores `payload` under `key` on `to`, dumps it back there: it must be the
 * payload itself, except that Redis writes a hashtable in its own dict order
 * (Spinel keeps the order it loaded).
 */
async function carry(p: DiffPair, key: string, payload: string, toSpinel: boolean): Promise<void> {
  const to = toSpinel ? p.spinel : p.redis;
  assert.equal(await to.call('RESTORE', key, '0', Buffer.from(payload, 'latin1'), 'REPLACE'), '+OK\r\n');
  if (!toSpinel && (await to.call('OBJECT', 'ENCODING', key)) === '$9\r\nhashtable\r\n') return;
  const back = bulk(await to.call('DUMP', key));
  assert.ok(back === payload, `${key} dumped back ${toSpinel ? 'by Spinel' : 'by Redis'}: ${JSON.stringify(back.slice(0, 80))} for ${JSON.stringify(payload.slice(0, 80))}`);
}

test("RESTORE of each other's payloads, every type and encoding (hashtables and consumer groups too)", { skip }, async () => {
  const p = pair!;
  const cmds: Args[] = [
    ...Object.values(DETERMINISTIC).flat(),
    ['SADD', 'hs', ...many(300, (i) => `member${i}`)],
    ['HSET', 'hh', ...many(1200, (i) => `x${i}`)],
    ['HSET', 'hl', 'f', 'v'.repeat(200)],
    ['XADD', 'st', '1-1', 'f', 'v'],
    ['XADD', 'st', '2-1', 'f', 'w'],
    ['XGROUP', 'CREATE', 'st', 'grp', '0'],
    ['XREADGROUP', 'GROUP', 'grp', 'alice', 'COUNT', '1', 'STREAMS', 'st', '>'],
    ['XREADGROUP', 'GROUP', 'grp', 'bob', 'STREAMS', 'st', '>'],
    ['XGROUP', 'CREATECONSUMER', 'st', 'grp', 'carol'],
  ];
  // Built on Redis, carried to Spinel and back; built on Spinel, carried to Redis and back.
  // Each dataset in a db of its own (they reuse key names).
  const sets = [...Object.values(DETERMINISTIC), cmds];
  let total = 0;
  for (let db = 0; db < sets.length; db++) {
    await p.both('SELECT', String(db));
    await p.both('FLUSHDB');
    for (const c of sets[db]) await p.both(...c);
    total += await carryAll(p);
  }
  assert.ok(total > 30, `${total} keys`);
  await p.check('DEBUG', 'DIGEST');
});

/** Carries every key of the current db both ways; returns how many keys there were. */
async function carryAll(p: DiffPair): Promise<number> {
  const keys = await keysOf(p);
  for (const k of keys) {
    const [fromSpinel, fromRedis] = (await p.both('DUMP', k)).map(bulk);
    await carry(p, `r:${k}`, fromRedis, true);
    await carry(p, `s:${k}`, fromSpinel, false);
    await p.spinel.call('DEL', `r:${k}`);
    await p.redis.call('DEL', `s:${k}`);
    // The restored values are the same data with the same encoding on both sides.
    await p.both('RESTORE', `x:${k}`, '0', Buffer.from(fromRedis, 'latin1'));
    await p.check('OBJECT', 'ENCODING', `x:${k}`);
    await p.check('DEBUG', 'DIGEST-VALUE', `x:${k}`);
  }
  return keys.length;
}

test('RESTORE: old RDB versions and encodings Redis 7.2 still reads', { skip }, async () => {
  const p = pair!;
  // Payloads of Redis's own tests: a ziplist hash (version 9), quicklist v1 of ziplists, zipmap-era ints.
  const payloads = [
    '\x0D\x19\x19\x00\x00\x00\x16\x00\x00\x00\x06\x00\x00\xF1\x02\xF1\x02\xF2\x02\x02\x5F\x31\x04\xF3\x02\xF3\xFF\x09\x00\x38\xB8\x10\xC0\x8A\xF9\x16\xDF',
  ];
  for (const [i, pl] of payloads.entries()) {
    await p.check('RESTORE', `old${i}`, '0', Buffer.from(pl, 'latin1'));
    await p.check('OBJECT', 'ENCODING', `old${i}`);
    await p.check('HGETALL', `old${i}`);
    await p.check('DUMP', `old${i}`);
  }
});

test('RESTORE: options, errors and expiry as Redis', { skip }, async () => {
  const p = pair!;
  await p.check('SET', 'src', 'value');
  const payload = Buffer.from(bulk((await p.both('DUMP', 'src'))[1]), 'latin1');
  await p.checkAll([
    ['RESTORE', 'src', '0', payload],
    ['RESTORE', 'dst', 'x', payload],
    ['RESTORE', 'dst', '-1', payload],
    ['RESTORE', 'dst', '0', payload, 'BADOPT'],
    ['RESTORE', 'dst', '0', payload, 'IDLETIME'],
    ['RESTORE', 'dst', '0', payload, 'IDLETIME', 'x'],
    ['RESTORE', 'dst', '0', payload, 'IDLETIME', '-1'],
    ['RESTORE', 'dst', '0', payload, 'FREQ', '256'],
    ['RESTORE', 'dst', '0', payload, 'FREQ', '-1'],
    ['RESTORE', 'dst', '0', payload, 'FREQ', '5', 'IDLETIME', '5'],
    ['RESTORE', 'dst', '0', payload, 'IDLETIME', '5', 'FREQ', '5'],
    ['RESTORE', 'dst', '0', 'short'],
    ['RESTORE', 'dst', '0', Buffer.concat([payload.subarray(0, payload.length - 1), Buffer.from([payload[payload.length - 1] ^ 1])])],
    ['RESTORE', 'dst', '0', Buffer.from('\x00\x05hello\x0c\x00aaaaaaaa', 'latin1')],
    ['RESTORE', 'dst', '0', payload, 'REPLACE', 'ABSTTL', 'IDLETIME', '10'],
    ['GET', 'dst'],
    ['OBJECT', 'IDLETIME', 'dst'],
    ['RESTORE', 'dst', '0', payload],
    ['RESTORE', 'dst', '0', payload, 'replace'],
    ['RESTORE', 'past', '1', payload, 'ABSTTL'],
    ['EXISTS', 'past'],
    ['RESTORE', 'dst', '1000', payload, 'ABSTTL', 'REPLACE'],
    ['EXISTS', 'dst'],
    ['RESTORE', 'ttl', '100000', payload],
    ['RESTORE', 'abs', '99999999999999', payload, 'ABSTTL'],
    ['PEXPIRETIME', 'abs'],
    ['RESTORE', 'big', '2569591501', payload],
  ]);
  // Relative TTLs: within the time between the two calls.
  for (const [k, ms] of [['ttl', 100000], ['big', 2569591501]] as const) {
    const [a, b] = await p.both('PTTL', k);
    assert.ok(Math.abs(Number(a.slice(1)) - Number(b.slice(1))) < 2000 && Number(a.slice(1)) <= ms, `${a} ${b}`);
  }
  // A valid footer over a body that is not a value.
  await p.check('DEBUG', 'SET-SKIP-CHECKSUM-VALIDATION', '1');
  try {
    for (const body of ['\x00', '\x08abc', '\x16abc', '\x0e\x01\x00', '\x12\x01\x03\x05hello', '\x02\x02\x01a\x01a', '\x04\x01\x01f', '\x11\x07\x00\x00\x00\x00\x00\xff']) {
      await p.check('RESTORE', 'bad', '0', Buffer.from(body + '\x0b\x00' + '\x00'.repeat(8), 'latin1'), 'REPLACE');
    }
  } finally {
    await p.check('DEBUG', 'SET-SKIP-CHECKSUM-VALIDATION', '0');
  }
  await p.check('EXISTS', 'bad');
});

test('RESTORE IDLETIME and FREQ under LRU and LFU policies', { skip }, async () => {
  const p = pair!;
  await p.check('SET', 'src', 'v');
  const payload = Buffer.from(bulk((await p.both('DUMP', 'src'))[1]), 'latin1');
  await p.check('RESTORE', 'idle', '0', payload, 'IDLETIME', '1000');
  const [a] = await p.both('OBJECT', 'IDLETIME', 'idle');
  const idle = Number(a.slice(1));
  assert.ok(idle >= 1000 && idle <= 1002, a);
  await p.both('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu');
  try {
    await p.check('RESTORE', 'freq', '0', payload, 'FREQ', '100');
    await p.check('OBJECT', 'FREQ', 'freq');
  } finally {
    await p.both('CONFIG', 'SET', 'maxmemory-policy', 'noeviction');
  }
});

// Side effects: notifications, dirty counter, propagation.
const fxSkip = skipReason();
let fx: EffectsPair;
before(async () => {
  if (!fxSkip) fx = await EffectsPair.start();
});
after(async () => {
  if (fx) await fx.close();
});

test('RESTORE: notifications, dirty counter and propagation (relative TTLs as ABSTTL)', { skip: fxSkip }, async () => {
  await fx.reset();
  await fx.pair.both('SET', 'src', 'value');
  await fx.pair.both('RPUSH', 'lsrc', 'a', 'b');
  const payload = Buffer.from(bulk((await fx.pair.both('DUMP', 'src'))[1]), 'latin1');
  const lpayload = Buffer.from(bulk((await fx.pair.both('DUMP', 'lsrc'))[1]), 'latin1');
  await fx.sync();
  fx.events = [];
  fx.propagated = [];
  const cmds: Args[] = [
    ['RESTORE', 'a', '0', payload],
    ['RESTORE', 'a', '0', payload],
    ['RESTORE', 'a', '0', payload, 'REPLACE'],
    ['RESTORE', 'l', '0', lpayload],
    ['RESTORE', 'b', '100000', payload],
    ['RESTORE', 'c', '99999999999999', payload, 'ABSTTL'],
    ['RESTORE', 'a', '1', payload, 'ABSTTL', 'REPLACE'],
    ['RESTORE', 'gone', '1', payload, 'ABSTTL'],
    ['RESTORE', 'bad', '0', 'xx'],
    ['DUMP', 'b'],
  ];
  for (const c of cmds) await fx.effect(c, { reply: c[0] !== 'DUMP' });
});
