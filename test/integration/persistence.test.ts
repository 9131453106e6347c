// RDB persistence against spinel-server child processes: SAVE, the load at
// start-up, DEBUG RELOAD, FLUSHALL with save points, INFO persistence,
// rdbcompression/rdbchecksum, LRU/LFU metadata, corrupt files.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSpinel, type SpinelProcess } from '../helpers/servers.js';
import { RawClient } from '../helpers/resp.js';

const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'spinel-persist-'));
const running: SpinelProcess[] = [];
after(async () => {
  for (const s of running) await s.kill();
  fs.rmSync(TMP, { recursive: true, force: true });
});

let dirs = 0;
function freshDir(): string {
  const d = path.join(TMP, `d${dirs++}`);
  fs.mkdirSync(d);
  return d;
}

async function start(dir: string, ...args: string[]): Promise<{ s: SpinelProcess; c: RawClient }> {
  const s = await spawnSpinel(['--dir', dir, '--enable-debug-command', 'yes', ...args], dir);
  running.push(s);
  await s.ready();
  const c = await RawClient.connect(s.port);
  return { s, c };
}

async function stop(s: SpinelProcess, c: RawClient): Promise<void> {
  c.close();
  await s.kill();
}

function info(text: string, field: string): string {
  return new RegExp(`${field}:([^\\r]*)\\r\\n`).exec(text)![1];
}

async function populate(c: RawClient): Promise<void> {
  await c.call('DEBUG', 'POPULATE', '500', 'key', '20');
  await c.call('RPUSH', 'list', ...Array.from({ length: 3000 }, (_, i) => `element-${i}`));
  await c.call('ZADD', 'z', '1', 'a', '2.5', 'b', 'inf', 'c');
  await c.call('HSET', 'h', 'f', 'v');
  await c.call('SADD', 's', '1', '2', '3');
  await c.call('XADD', 'st', '1-1', 'f', 'v');
  await c.call('XGROUP', 'CREATE', 'st', 'g', '0');
  await c.call('XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 'st', '>');
  await c.call('SET', 'ttl', 'x', 'EX', '1000');
  await c.call('SELECT', '7');
  await c.call('SET', 'db7', 'y');
  await c.call('SELECT', '0');
}

test('SAVE writes the file atomically; INFO and LASTSAVE follow; the next start loads everything', async () => {
  const dir = freshDir();
  const { s, c } = await start(dir);
  await populate(c);
  const digest = await c.call('DEBUG', 'DIGEST');
  const before = await c.call('INFO', 'persistence');
  assert.notEqual(info(before, 'rdb_changes_since_last_save'), '0');
  assert.equal(info(before, 'rdb_saves'), '0');
  const last0 = Number((await c.call('LASTSAVE')).slice(1));
  await new Promise((r) => setTimeout(r, 1100));
  assert.equal(await c.call('SAVE'), '+OK\r\n');
  const after1 = await c.call('INFO', 'persistence');
  assert.equal(info(after1, 'rdb_changes_since_last_save'), '0');
  assert.equal(info(after1, 'rdb_saves'), '1');
  assert.equal(info(after1, 'rdb_last_bgsave_status'), 'ok');
  const last1 = Number((await c.call('LASTSAVE')).slice(1));
  assert.ok(last1 > last0);
  assert.equal(info(after1, 'rdb_last_save_time'), String(last1));
  assert.deepEqual(fs.readdirSync(dir), ['dump.rdb']);
  const file = fs.readFileSync(path.join(dir, 'dump.rdb'));
  assert.equal(file.subarray(0, 9).toString('latin1'), 'REDIS0011');
  assert.match(s.out(), /\* DB saved on disk\n/);
  await stop(s, c);

  const { s: s2, c: c2 } = await start(dir);
  assert.equal(await c2.call('DEBUG', 'DIGEST'), digest);
  const ttl = Number((await c2.call('TTL', 'ttl')).slice(1));
  assert.ok(ttl > 990 && ttl <= 1000);
  assert.equal(await c2.call('OBJECT', 'ENCODING', 'list'), '$9\r\nquicklist\r\n');
  const inf = await c2.call('INFO', 'persistence');
  assert.equal(info(inf, 'rdb_last_load_keys_loaded'), '507');
  assert.equal(info(inf, 'rdb_last_load_keys_expired'), '0');
  const out = s2.out();
  assert.match(out, /\* Loading RDB produced by version 7\.2\.6\n/);
  assert.match(out, /\* Done loading RDB, keys loaded: 507, keys expired: 0\.\n/);
  assert.match(out, /\* DB loaded from disk: [0-9.]+ seconds\n.*Ready to accept connections tcp/s);
  await stop(s2, c2);
});

test('keys that expired while the server was down are not loaded', async () => {
  const dir = freshDir();
  const { s, c } = await start(dir);
  await c.call('SET', 'short', 'x', 'PX', '300');
  await c.call('SET', 'long', 'x', 'EX', '100');
  assert.equal(await c.call('SAVE'), '+OK\r\n');
  await stop(s, c);
  await new Promise((r) => setTimeout(r, 400));
  const { s: s2, c: c2 } = await start(dir);
  assert.equal(await c2.call('EXISTS', 'short', 'long'), ':1\r\n');
  const inf = await c2.call('INFO', 'persistence');
  assert.equal(info(inf, 'rdb_last_load_keys_expired'), '1');
  assert.equal(info(inf, 'rdb_last_load_keys_loaded'), '1');
  await stop(s2, c2);
});

test('DEBUG RELOAD: save, flush and load back; NOSAVE, NOFLUSH and MERGE; a bad file leaves the data alone', async () => {
  const dir = freshDir();
  const { s, c } = await start(dir);
  await populate(c);
  const digest = await c.call('DEBUG', 'DIGEST');
  assert.equal(await c.call('DEBUG', 'RELOAD'), '+OK\r\n');
  assert.equal(await c.call('DEBUG', 'DIGEST'), digest);
  assert.match(s.out(), /\* DB reloaded by DEBUG RELOAD\n/);
  // NOSAVE: the file's contents replace the dataset.
  await c.call('SET', 'extra', '1');
  assert.equal(await c.call('DEBUG', 'RELOAD', 'NOSAVE'), '+OK\r\n');
  assert.equal(await c.call('EXISTS', 'extra'), ':0\r\n');
  assert.equal(await c.call('DEBUG', 'DIGEST'), digest);
  // NOFLUSH without MERGE: a key in both is refused; with MERGE the file's value wins.
  await c.call('SET', 'h', 'replaced');
  await c.call('SET', 'extra', '1');
  assert.equal(await c.call('DEBUG', 'RELOAD', 'NOSAVE', 'NOFLUSH'), '-ERR Error trying to load the RDB dump, check server logs.\r\n');
  assert.equal(await c.call('TYPE', 'h'), '+string\r\n');
  assert.match(s.out(), /# RDB has duplicated key '[^']+' in DB 0\n/);
  assert.equal(await c.call('DEBUG', 'RELOAD', 'NOSAVE', 'NOFLUSH', 'MERGE'), '+OK\r\n');
  assert.equal(await c.call('TYPE', 'h'), '+hash\r\n');
  assert.equal(await c.call('GET', 'extra'), '$1\r\n1\r\n');
  assert.equal(await c.call('DEBUG', 'RELOAD', 'BADOPT'), '-ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.\r\n');
  // A corrupt file: an error, and the dataset stays as it was.
  const d0 = await c.call('DEBUG', 'DIGEST');
  const f = path.join(dir, 'dump.rdb');
  const b = fs.readFileSync(f);
  b[b.length - 3] ^= 0xff;
  fs.writeFileSync(f, b);
  assert.equal(await c.call('DEBUG', 'RELOAD', 'NOSAVE'), '-ERR Error trying to load the RDB dump, check server logs.\r\n');
  assert.equal(await c.call('DEBUG', 'DIGEST'), d0);
  assert.match(s.out(), /Wrong RDB checksum expected: \([0-9a-f]+\) but got \([0-9a-f]+\)\. Aborting now\.\n.*RDB CRC error\n/s);
  fs.unlinkSync(f);
  assert.equal(await c.call('DEBUG', 'RELOAD', 'NOSAVE'), '-ERR Error trying to load the RDB dump, check server logs.\r\n');
  assert.equal(await c.call('DEBUG', 'DIGEST'), d0);
  await stop(s, c);
});

test('a corrupt file stops the start; a missing one starts empty; rdbchecksum no skips the check', async () => {
  const dir = freshDir();
  const { s, c } = await start(dir);
  assert.equal(await c.call('DBSIZE'), ':0\r\n');
  await c.call('SET', 'k', 'v');
  assert.equal(await c.call('SAVE'), '+OK\r\n');
  await stop(s, c);
  const f = path.join(dir, 'dump.rdb');
  const b = fs.readFileSync(f);
  b.write('foobar00', b.length - 8, 'latin1');
  fs.writeFileSync(f, b);
  const bad = await spawnSpinel(['--dir', dir], dir);
  running.push(bad);
  assert.equal(await bad.exited, 1);
  assert.match(bad.out(), /RDB CRC error\n.*# Terminating server after rdb file reading failure\.\n/s);
  // rdbchecksum no: the stored checksum is not checked.
  const { s: s2, c: c2 } = await start(dir, '--rdbchecksum', 'no');
  assert.equal(await c2.call('GET', 'k'), '$1\r\nv\r\n');
  await stop(s2, c2);
  // A truncated file.
  fs.writeFileSync(f, b.subarray(0, 20));
  const cut = await spawnSpinel(['--dir', dir], dir);
  running.push(cut);
  assert.equal(await cut.exited, 1);
  assert.match(cut.out(), /Short read or OOM loading DB\. Unrecoverable error, aborting now\.\n.*Unexpected EOF reading RDB file/s);
  // Not an RDB file at all.
  fs.writeFileSync(f, 'hello world, not a database');
  const junk = await spawnSpinel(['--dir', dir], dir);
  running.push(junk);
  assert.equal(await junk.exited, 1);
  assert.match(junk.out(), /Wrong signature trying to load DB from file/);
});

test('rdbcompression and rdbchecksum shape the file', async () => {
  const dir = freshDir();
  const { s, c } = await start(dir, '--save', '');
  await c.call('SET', 'k', 'a'.repeat(10000));
  assert.equal(await c.call('SAVE'), '+OK\r\n');
  const compressed = fs.readFileSync(path.join(dir, 'dump.rdb'));
  assert.equal(await c.call('CONFIG', 'SET', 'rdbcompression', 'no'), '+OK\r\n');
  assert.equal(await c.call('SAVE'), '+OK\r\n');
  const plain = fs.readFileSync(path.join(dir, 'dump.rdb'));
  assert.ok(plain.length > compressed.length + 9000);
  assert.notDeepEqual(compressed.subarray(compressed.length - 8), Buffer.alloc(8));
  // rdbchecksum is set at start-up only (an immutable parameter, as in Redis).
  assert.match(await c.call('CONFIG', 'SET', 'rdbchecksum', 'no'), /can't set immutable config/);
  await stop(s, c);
  const { s: s2, c: c2 } = await start(dir, '--save', '', '--rdbchecksum', 'no');
  assert.equal(await c2.call('SAVE'), '+OK\r\n');
  const unsummed = fs.readFileSync(path.join(dir, 'dump.rdb'));
  assert.deepEqual(unsummed.subarray(unsummed.length - 8), Buffer.alloc(8));
  await stop(s2, c2);
});

test('FLUSHALL with save points saves the empty dataset and resets the dirty counter', async () => {
  const dir = freshDir();
  const { s, c } = await start(dir, '--save', '3600 1');
  await c.call('SET', 'k', 'v');
  assert.equal(await c.call('SAVE'), '+OK\r\n');
  await c.call('SET', 'k2', 'v');
  assert.equal(await c.call('FLUSHALL'), '+OK\r\n');
  assert.equal(info(await c.call('INFO', 'persistence'), 'rdb_changes_since_last_save'), '0');
  await stop(s, c);
  const { s: s2, c: c2 } = await start(dir);
  assert.equal(await c2.call('DBSIZE'), ':0\r\n');
  // Without save points FLUSHALL leaves the file alone.
  await c2.call('CONFIG', 'SET', 'save', '');
  await c2.call('SET', 'k', 'v');
  assert.equal(await c2.call('SAVE'), '+OK\r\n');
  assert.equal(await c2.call('FLUSHALL'), '+OK\r\n');
  assert.equal(info(await c2.call('INFO', 'persistence'), 'rdb_changes_since_last_save'), '1');
  await stop(s2, c2);
  const { s: s3, c: c3 } = await start(dir);
  assert.equal(await c3.call('DBSIZE'), ':1\r\n');
  await stop(s3, c3);
});

test('LRU idle times and LFU counters are saved under those policies', async () => {
  const dir = freshDir();
  const { s, c } = await start(dir, '--maxmemory-policy', 'allkeys-lru');
  await c.call('SET', 'k', 'v');
  await c.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
  // RESTORE with IDLETIME sets an old access time; it survives a reload.
  const payload = await c.call('DUMP', 'k');
  const bytes = Buffer.from(payload.slice(payload.indexOf('\r\n') + 2, -2), 'latin1');
  await c.call('RESTORE', 'idle', '0', bytes, 'IDLETIME', '5000');
  assert.equal(await c.call('DEBUG', 'RELOAD'), '+OK\r\n');
  const idle = Number((await c.call('OBJECT', 'IDLETIME', 'idle')).slice(1));
  assert.ok(idle >= 5000 && idle < 5010, String(idle));
  await c.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu');
  await c.call('RESTORE', 'freq', '0', bytes, 'FREQ', '200');
  assert.equal(await c.call('DEBUG', 'RELOAD'), '+OK\r\n');
  const freq = Number((await c.call('OBJECT', 'FREQ', 'freq')).slice(1));
  assert.ok(freq >= 199 && freq <= 201, String(freq));
  await stop(s, c);
});
