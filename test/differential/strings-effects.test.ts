// Side effects of the string commands compared with the reference server:
// keyspace notifications (a PSUBSCRIBE'd client on the reference, the
// keyspace notify hook in Spinel), the dirty counter (rdb_changes_since_last_save
// vs server.dirty) and the propagated command (the reference's replication
// stream read through SYNC vs Spinel's propagate targets).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPair, skipReason, type DiffPair, type Args } from '../helpers/differential.js';
import { RawClient, decode } from '../helpers/resp.js';
import { ReplStream } from '../helpers/effects.js';
import { Notify } from '../../src/db/keyspace.js';
import { RObj, ObjType, Enc } from '../../src/db/robj.js';

let pair: DiffPair;
let sub: RawClient;
let repl: ReplStream;
let dir = '';
const skip = skipReason();

/** Spinel-side records. */
let events: string[] = [];
let propagated: string[][] = [];

/** Classes in notify-keyspace-events "A" (everything but keymiss and new). */
const CLASS_A = Notify.Generic | Notify.String | Notify.List | Notify.Set | Notify.Hash | Notify.ZSet | Notify.Expired | Notify.Evicted | Notify.Stream | Notify.Module;

before(async () => {
  if (skip) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spinel-strings-'));
  pair = (await startPair({}, ['--dir', dir, '--notify-keyspace-events', 'EA', '--repl-diskless-sync', 'no']))!;
  const ks = pair.spinelServer.server.keyspace;
  const hooks = ks.hooks;
  const orig = hooks.notify;
  hooks.notify = (type, event, key, dbid) => {
    if ((type & CLASS_A) !== 0) events.push(`${event} ${key}`);
    orig.call(hooks, type, event, key, dbid);
  };
  pair.spinelServer.server.propagateTargets.push((_db, argv) => propagated.push(argv.slice()));
  sub = await RawClient.connect(pair.redisServer.port);
  await sub.call('PSUBSCRIBE', '__keyevent@0__:*');
  await sub.call('SUBSCRIBE', 'sync');
  repl = await ReplStream.connect(pair.redisServer.port);
});
after(async () => {
  if (sub) sub.close();
  if (repl) repl.close();
  if (pair) await pair.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

let markerSeq = 0;

/** Notifications the reference sent since the last call (as "event key"). */
async function redisEvents(marker: string): Promise<string[]> {
  const out: string[] = [];
  for (;;) {
    const m = decode(Buffer.from(await sub.read(), 'latin1'))[0] as string[];
    if (m[0] === 'message' && m[1] === 'sync' && m[2] === marker) return out;
    if (m[0] === 'pmessage') out.push(`${m[2].slice('__keyevent@0__:'.length)} ${m[3]}`);
  }
}

async function redisDirty(): Promise<number> {
  const info = await pair.redis.call('INFO', 'persistence');
  return Number(/rdb_changes_since_last_save:(\d+)/.exec(info)![1]);
}

/** Drains both servers' side channels and clears Spinel's records. */
async function sync(): Promise<{ ev: string[]; prop: string[][] }> {
  const marker = String(++markerSeq);
  await pair.redis.call('PUBLISH', 'sync', marker);
  const ev = await redisEvents(marker);
  const prop = await repl.until(marker);
  return { ev, prop };
}

async function reset(): Promise<void> {
  // Keys set with a past expire time must not be reaped by either server's
  // active expiry between two commands: that would race the comparison.
  await pair.both('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
  const [s] = await pair.both('FLUSHALL');
  if (s.startsWith('-')) for (const db of pair.spinelServer.server.keyspace.dbs) db.flush();
  await sync();
  events = [];
  propagated = [];
}

/** Large absolute times (expire timestamps) may differ by the delay between the two servers. */
function sameArgs(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    if (/^\d{13}$/.test(a[i]) && /^\d{13}$/.test(b[i]) && Math.abs(Number(a[i]) - Number(b[i])) < 3000) continue;
    return false;
  }
  return true;
}

/** Runs one command on both and compares the reply, the dirty delta, the notifications and the propagation. */
async function effect(...args: Args): Promise<void> {
  const d0 = await redisDirty();
  const s0 = pair.spinelServer.server.dirty;
  await pair.check(...args);
  const d1 = await redisDirty();
  const s1 = pair.spinelServer.server.dirty;
  const what = args.map(String).join(' ');
  assert.equal(s1 - s0, d1 - d0, `dirty delta of ${what}`);
  const { ev, prop } = await sync();
  assert.deepEqual(events, ev, `notifications of ${what}`);
  const ok = propagated.length === prop.length && propagated.every((p, i) => sameArgs(p, prop[i]));
  assert.ok(ok, `propagation of ${what}: spinel ${JSON.stringify(propagated)} redis ${JSON.stringify(prop)}`);
  events = [];
  propagated = [];
}

const future = () => String(Math.floor(Date.now() / 1000) + 10000);
const futureMs = () => String(Date.now() + 10000000);

test('SET family: notifications, dirty and propagation', { skip }, async () => {
  await reset();
  const cmds: Args[] = [
    ['SET', 'k', 'v'],
    ['SET', 'k', 'v2', 'EX', '100'],
    ['SET', 'k', 'v3', 'PX', '100000'],
    ['SET', 'k', 'v4', 'EXAT', future()],
    ['SET', 'k', 'v5', 'PXAT', futureMs()],
    ['SET', 'k', 'v5', 'PXAT', futureMs(), 'GET', 'XX'],
    ['set', 'k', 'v5', 'pxat', futureMs(), 'nx', 'get'],
    ['SET', 'k', 'v5', 'EX', '100', 'GET', 'XX'],
    ['SET', 'k', 'v6', 'GET'],
    ['SET', 'k', 'v6', 'get', 'KEEPTTL', 'GET'],
    ['SET', 'k', 'v7', 'NX', 'GET'],
    ['SET', 'k', 'v7', 'NX'],
    ['SET', 'nokey', 'v', 'XX'],
    ['SET', 'k', 'v8', 'XX', 'KEEPTTL'],
    ['SET', 'k', 'v', 'EX', '0'],
    ['SET', 'k', 'v', 'BAD'],
    ['SET', 'gone', 'v', 'EXAT', '1'],
    ['GET', 'gone'],
    ['SET', 'gone2', 'v', 'PXAT', '1000'],
    ['SET', 'gone2', 'new'],
    ['SETNX', 'n', '1'],
    ['SETNX', 'n', '2'],
    ['SETEX', 'e', '100', 'v'],
    ['SETEX', 'e', '0', 'v'],
    ['PSETEX', 'p', '100000', 'v'],
    ['GETSET', 'k', 'g'],
    ['GETSET', 'newg', 'g'],
    ['GETDEL', 'k'],
    ['GETDEL', 'k'],
    ['MSET', 'a', '1', 'b', '2', 'a', '3'],
    ['MSETNX', 'c', '1', 'd', '2'],
    ['MSETNX', 'c', '1', 'x', '2'],
    ['MGET', 'a', 'b', 'nokey'],
  ];
  for (const c of cmds) await effect(...c);
});

test('GETEX: notifications, dirty and propagation', { skip }, async () => {
  await reset();
  const cmds: Args[] = [
    ['SET', 'k', 'v'],
    ['GETEX', 'k'],
    ['GETEX', 'k', 'PERSIST'],
    ['GETEX', 'k', 'EX', '100'],
    ['GETEX', 'k', 'PX', '100000'],
    ['GETEX', 'k', 'EXAT', future()],
    ['GETEX', 'k', 'PXAT', futureMs()],
    ['GETEX', 'k', 'PERSIST'],
    ['GETEX', 'k', 'PERSIST'],
    ['GETEX', 'k', 'EX', '0'],
    ['GETEX', 'nokey', 'EX', '10'],
    ['GETEX', 'k', 'EXAT', '1'],
    ['GET', 'k'],
    ['SET', 'k2', 'v'],
    ['GETEX', 'k2', 'PXAT', '1'],
  ];
  for (const c of cmds) await effect(...c);
});

test('APPEND, SETRANGE, counters, INCRBYFLOAT, reads: notifications, dirty and propagation', { skip }, async () => {
  await reset();
  const [l] = await pair.both('RPUSH', 'list', 'a');
  if (l.startsWith('-')) pair.spinelServer.server.keyspace.dbs[0].setKey('list', new RObj(ObjType.List, Enc.Listpack, ['a'], 0));
  await sync();
  events = [];
  propagated = [];
  const cmds: Args[] = [
    ['APPEND', 'a', 'x'],
    ['APPEND', 'a', 'yz'],
    ['APPEND', 'a', ''],
    ['APPEND', 'list', 'x'],
    ['SETRANGE', 'a', '1', 'Q'],
    ['SETRANGE', 'a', '1', ''],
    ['SETRANGE', 'new', '3', 'x'],
    ['SETRANGE', 'new2', '3', ''],
    ['SETRANGE', 'a', '-1', 'x'],
    ['INCR', 'i'],
    ['INCRBY', 'i', '10'],
    ['DECR', 'i'],
    ['DECRBY', 'i', '5'],
    ['INCRBY', 'i', 'x'],
    ['INCR', 'a'],
    ['SET', 'max', '9223372036854775807'],
    ['INCR', 'max'],
    ['INCRBYFLOAT', 'f', '1.5'],
    ['INCRBYFLOAT', 'f', '0.1'],
    ['SET', 'ft', '1', 'EX', '100'],
    ['INCRBYFLOAT', 'ft', '2.5'],
    ['INCRBYFLOAT', 'f', 'inf'],
    ['INCRBYFLOAT', 'f', 'x'],
    ['INCRBYFLOAT', 'list', '1'],
    ['GET', 'a'],
    ['STRLEN', 'a'],
    ['GETRANGE', 'a', '0', '-1'],
    ['SUBSTR', 'a', '0', '1'],
    ['LCS', 'a', 'new'],
  ];
  for (const c of cmds) await effect(...c);
});

test('bitmap commands: notifications, dirty and propagation (only when a bit changed or the string grew)', { skip }, async () => {
  await reset();
  await pair.both('RPUSH', 'list', 'a');
  await sync();
  events = [];
  propagated = [];
  const cmds: Args[] = [
    ['SETBIT', 'b', '7', '0'],
    ['SETBIT', 'b', '7', '0'],
    ['SETBIT', 'b', '7', '1'],
    ['SETBIT', 'b', '7', '1'],
    ['SETBIT', 'b', '100', '0'],
    ['SETBIT', 'b', 'x', '1'],
    ['SETBIT', 'list', '1', '1'],
    ['SET', 's', '7'],
    ['SETBIT', 's', '0', '0'],
    ['GETBIT', 'b', '7'],
    ['BITCOUNT', 'b'],
    ['BITPOS', 'b', '1'],
    ['BITOP', 'AND', 'd', 'b', 's'],
    ['BITOP', 'NOT', 'd', 'b'],
    ['BITOP', 'OR', 'd', 'nokey'],
    ['BITOP', 'OR', 'd', 'nokey'],
    ['BITOP', 'OR', 'list', 'nokey'],
    ['BITFIELD', 'f', 'GET', 'u8', '0'],
    ['BITFIELD', 'f', 'SET', 'u8', '0', '0'],
    ['BITFIELD', 'f', 'SET', 'u8', '0', '0'],
    ['BITFIELD', 'f', 'SET', 'u8', '0', '5', 'INCRBY', 'u8', '0', '1', 'SET', 'u8', '8', '0'],
    ['BITFIELD', 'f', 'OVERFLOW', 'FAIL', 'INCRBY', 'u8', '0', '1000'],
    ['BITFIELD', 'f', 'INCRBY', 'u8', '0', '0'],
    ['BITFIELD_RO', 'f', 'GET', 'u8', '0'],
  ];
  for (const c of cmds) await effect(...c);
});

test('HyperLogLog commands: notifications, dirty and propagation', { skip }, async () => {
  await reset();
  await pair.both('RPUSH', 'list', 'a');
  await sync();
  events = [];
  propagated = [];
  const cmds: Args[] = [
    ['PFADD', 'h'],
    ['PFADD', 'h'],
    ['PFADD', 'h', 'a', 'b'],
    ['PFADD', 'h', 'a', 'b'],
    ['PFADD', 'h', 'c', 'd', 'e'],
    ['PFCOUNT', 'h'],
    ['PFCOUNT', 'h'],
    ['PFCOUNT', 'h', 'nokey'],
    ['PFMERGE', 'm', 'h'],
    ['PFMERGE', 'm', 'h'],
    ['PFADD', 'list', 'a'],
    ['SET', 'bad', 'HYLLnotreallyanhll'],
    ['PFADD', 'bad', 'a'],
    ['PFDEBUG', 'ENCODING', 'h'],
    ['PFDEBUG', 'TODENSE', 'h'],
    ['PFDEBUG', 'TODENSE', 'h'],
    ['PFADD', 'g', 'x'],
    ['PFDEBUG', 'GETREG', 'g'],
    ['PFDEBUG', 'DECODE', 'h'],
  ];
  for (const c of cmds) await effect(...c);
});
