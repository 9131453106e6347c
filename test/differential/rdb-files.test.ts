// RDB files between Spinel and the reference server: a dataset saved by
// Redis's SAVE loads into spinel-server with the same DEBUG DIGEST, per-key
// encodings, TTLs and stream metadata, and Spinel's dump.rdb loads into
// redis-server the same way; Redis's sample files of older formats load
// into both alike.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { skipReason } from '../helpers/differential.js';
import { startRedis, spawnSpinel, redisServerPath, type Running, type SpinelProcess } from '../helpers/servers.js';
import { RawClient, decode, type RespValue } from '../helpers/resp.js';

const skip = skipReason();
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'spinel-rdbfiles-'));
const ASSETS = process.env.REDIS_SERVER ? path.resolve(path.dirname(process.env.REDIS_SERVER), '../tests/assets') : '';
const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups) await c();
  fs.rmSync(TMP, { recursive: true, force: true });
});

let dirs = 0;
function freshDir(): string {
  const d = path.join(TMP, `d${dirs++}`);
  fs.mkdirSync(d);
  return d;
}

interface Side {
  c: RawClient;
  close(): Promise<void>;
}

async function redisWith(dir: string, dbfilename = 'dump.rdb'): Promise<Side> {
  const r: Running = await startRedis(['--dir', dir, '--dbfilename', dbfilename]);
  const c = await RawClient.connect(r.port);
  const side = { c, close: async () => (c.close(), await r.close()) };
  cleanups.push(side.close);
  return side;
}

async function spinelWith(dir: string, dbfilename = 'dump.rdb'): Promise<Side> {
  const s: SpinelProcess = await spawnSpinel(['--dir', dir, '--dbfilename', dbfilename, '--save', '', '--enable-debug-command', 'yes'], dir);
  await s.ready();
  const c = await RawClient.connect(s.port);
  const side = { c, close: async () => (c.close(), await s.kill()) };
  cleanups.push(side.close);
  return side;
}

const v = (reply: string): RespValue => decode(Buffer.from(reply, 'latin1'))[0];

/** A dataset of every type and encoding, expires, several dbs. */
async function populate(c: RawClient): Promise<void> {
  const n = (k: number, f: (i: number) => string): string[] => Array.from({ length: k }, (_, i) => f(i));
  const cmds: (string | Buffer)[][] = [
    ['DEBUG', 'POPULATE', '300', 'key', '30'],
    ['SET', 'int', '12345'],
    ['SET', 'bigint', '12345678901234567890'],
    ['SET', 'compressible', 'z'.repeat(1000)],
    ['SET', 'binary', Buffer.from(n(256, (i) => String.fromCharCode(i)).join(''), 'latin1')],
    ['SETBIT', 'bits', '5000', '1'],
    ['PFADD', 'hll', ...n(50, (i) => `e${i}`)],
    ['RPUSH', 'smalllist', 'a', '1', 'b'],
    ['RPUSH', 'biglist', ...n(2000, (i) => `element-${i}`)],
    ['RPUSH', 'plainlist', 'x'.repeat(20000), 'y'],
    ['SADD', 'intset', '1', '2', '-3'],
    ['SADD', 'lpset', 'a', 'b', 'c'],
    ['SADD', 'htset', ...n(300, (i) => `m${i}`)],
    ['ZADD', 'smallz', '1', 'a', '2.5', 'b', '-inf', 'c'],
    ['ZADD', 'bigz', ...n(400, (i) => (i % 2 === 0 ? String(i * 1.5) : `member${i}`))],
    ['HSET', 'smallh', 'f', 'v', 'g', '1'],
    ['HSET', 'bigh', ...n(1200, (i) => `x${i}`)],
    ['XADD', 'stream', '1-1', 'f', 'v'],
    ['XADD', 'stream', '1-2', 'f', 'w', 'g', 'x'],
    ['XADD', 'stream', '2-0', 'f', 'y'],
    ['XDEL', 'stream', '1-2'],
    ['XGROUP', 'CREATE', 'stream', 'grp', '0'],
    ['XREADGROUP', 'GROUP', 'grp', 'alice', 'COUNT', '1', 'STREAMS', 'stream', '>'],
    ['XREADGROUP', 'GROUP', 'grp', 'bob', 'STREAMS', 'stream', '>'],
    ['XGROUP', 'CREATE', 'stream', 'late', '$'],
    ...n(300, (i) => `${5 + i}-0`).map((id, i) => ['XADD', 'bigstream', id, 'a', String(i)]),
    ['SET', 'ttl', 'v', 'EX', '5000'],
    ['HSET', 'ttlh', 'a', 'b'],
    ['PEXPIRE', 'ttlh', '9000000'],
    ['SELECT', '5'],
    ['SET', 'in5', 'five'],
    ['RPUSH', 'l5', 'x'],
    ['SELECT', '0'],
  ];
  for (const cmd of cmds) {
    const r = await c.call(...cmd);
    assert.ok(!r.startsWith('-'), `${String(cmd[0])}: ${r}`);
  }
}


/** What must be equal on both sides: the digest, and per key (all dbs) the type, encoding and TTL. */
async function fingerprint(c: RawClient): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = { digest: await c.call('DEBUG', 'DIGEST') };
  for (let db = 0; db < 16; db++) {
    await c.call('SELECT', String(db));
    const keys = (v(await c.call('KEYS', '*')) as string[]).sort();
    for (const k of keys) {
      const pttl = Number((await c.call('PTTL', k)).slice(1));
      out[`${db}/${k}`] = [await c.call('TYPE', k), await c.call('OBJECT', 'ENCODING', k), pttl < 0 ? pttl : Math.round(pttl / 60000)];
    }
  }
  await c.call('SELECT', '0');
  out.xinfo = await c.call('XINFO', 'STREAM', 'stream', 'FULL');
  return out;
}

test("Redis's dump.rdb loads into Spinel: same digest, encodings, TTLs and stream metadata", { skip }, async () => {
  const dir = freshDir();
  const r = await redisWith(dir);
  await populate(r.c);
  const want = await fingerprint(r.c);
  assert.equal(await r.c.call('SAVE'), '+OK\r\n');
  const s = await spinelWith(dir);
  assert.deepEqual(await fingerprint(s.c), want);
  await s.close();
  await r.close();
});

test("Spinel's dump.rdb loads into Redis: same digest, encodings, TTLs and stream metadata", { skip }, async () => {
  const dir = freshDir();
  const s = await spinelWith(dir);
  await populate(s.c);
  const want = await fingerprint(s.c);
  assert.equal(await s.c.call('SAVE'), '+OK\r\n');
  await s.close();
  const r = await redisWith(dir);
  assert.deepEqual(await fingerprint(r.c), want);
  // And Redis's check tool finds nothing wrong with it.
  const checker = path.join(path.dirname(redisServerPath()!), 'redis-check-rdb');
  if (fs.existsSync(checker)) {
    const res = spawnSync(checker, [path.join(dir, 'dump.rdb')], { encoding: 'latin1' });
    assert.equal(res.status, 0, res.stdout);
    assert.match(res.stdout, /\\o\/ RDB looks OK! \\o\//);
  }
  await r.close();
});

test("Redis's sample files of older formats load into both alike", { skip: skip || (!fs.existsSync(ASSETS) && 'no assets') }, async () => {
  for (const f of fs.readdirSync(ASSETS).filter((x) => x.endsWith('.rdb') && x !== 'corrupt_ziplist.rdb')) {
    const dir = freshDir();
    fs.copyFileSync(path.join(ASSETS, f), path.join(dir, f));
    const r = await redisWith(dir, f);
    const want = await r.c.call('DEBUG', 'DIGEST');
    const encodings: Record<string, string> = {};
    for (const k of v(await r.c.call('KEYS', '*')) as string[]) encodings[k] = await r.c.call('OBJECT', 'ENCODING', k);
    await r.close();
    const s = await spinelWith(dir, f);
    assert.equal(await s.c.call('DEBUG', 'DIGEST'), want, f);
    for (const [k, e] of Object.entries(encodings)) assert.equal(await s.c.call('OBJECT', 'ENCODING', k), e, `${f} ${k}`);
    await s.close();
  }
  // A corrupt one stops both.
  const dir = freshDir();
  fs.copyFileSync(path.join(ASSETS, 'corrupt_ziplist.rdb'), path.join(dir, 'corrupt_ziplist.rdb'));
  const sp = await spawnSpinel(['--dir', dir, '--dbfilename', 'corrupt_ziplist.rdb'], dir);
  cleanups.push(() => sp.kill());
  assert.equal(await sp.exited, 1);
  assert.match(sp.out(), /Hash ziplist integrity check failed\./);
});
