// Generic keyspace commands: DEL, UNLINK, EXISTS, TYPE, RENAME, RENAMENX, KEYS,
// SCAN, RANDOMKEY, TOUCH, OBJECT, the EXPIRE family, TTL family, PERSIST,
// SWAPDB, MOVE, COPY, DBSIZE, FLUSHDB, FLUSHALL. Behaviour follows Redis 7.2's
// db.c, expire.c and object.c; the comments name the Redis function copied.
//
// Notes on design choices:
// - Lookups: Redis's lookupKeyReadWithFlags(LOOKUP_NOTOUCH) (EXISTS, TYPE, TTL,
//   OBJECT) counts keyspace hits/misses but does not touch the LRU; Db has no
//   such lookup, so lookupNoTouch() below is peek() plus the stats.
// - FLUSHDB/FLUSHALL/SWAPDB signal WATCH through the optional keyspace hook
//   `flushed(db, replacedWith)`, called once per db before the change (not
//   `modified` per key: that would be O(keys)); FLUSHDB/FLUSHALL also call
//   `emptied(dbid)` once (client-side caching's null invalidation).
// - RANDOMKEY draws a uniformly random key from the dict (Dict.randomKey).
// - Expire times beyond 2^53 ms (e.g. PEXPIREAT k 9223372036854775807) are kept
//   exact beside db.expires (src/db/expire.ts, setExpireExact/getExpireExact)
//   so TTL/PEXPIRETIME reply the exact 64-bit values.

import { NO_PROPAGATION } from './dispatch.js';
import type { HandlerMap } from './types.js';
import { ClientFlag, type Client } from '../server/client.js';
import { Notify, type Db } from '../db/keyspace.js';
import { rdbSave } from '../persistence/persistence.js';
import { RObj, ObjType, Enc, TYPE_NAMES, ENC_NAMES, unsharedInts } from '../db/robj.js';
import { ERR_SYNTAX, ERR_NOT_INT, ERR_NO_SUCH_KEY, replyHelp } from './util.js';
import { parseInt64 } from '../protocol/format.js';
import { parseCursor, scanBatch } from '../db/scan.js';
import { globMatch } from '../util/glob.js';
import { getExpireExact, setExpireExact, copyExpire } from '../db/expire.js';
import { Chunked } from '../types/chunked.js';

const ERR_SAME_OBJECT = 'ERR source and destination objects are the same';
const ERR_DB_RANGE = 'ERR DB index is out of range';
const LLONG_MAX = 9223372036854775807n;
const LLONG_MIN = -9223372036854775808n;

// ---------------------------------------------------------------------------
// Helpers

/** lookupKeyReadWithFlags(LOOKUP_NOTOUCH[|LOOKUP_NONOTIFY]): lazy expiry and hit/miss stats, no LRU update. */
function lookupNoTouch(db: Db, key: string, notifyMiss: boolean): RObj | undefined {
  const o = db.peek(key);
  const ks = db.ks;
  if (o === undefined) {
    ks.stats.keyspaceMisses++;
    if (notifyMiss) ks.hooks.notify(Notify.KeyMiss, 'keymiss', key, db.id);
  } else {
    ks.stats.keyspaceHits++;
  }
  return o;
}

/** getIntFromObjectOrReply: a 32-bit signed integer argument (`msg` replaces both errors when given). */
function getInt32(c: Client, s: string, msg?: string): number | null {
  const v = parseInt64(s);
  if (v === null) {
    c.reply.error(msg ?? ERR_NOT_INT);
    return null;
  }
  if (typeof v === 'bigint' || v < -2147483648 || v > 2147483647) {
    c.reply.error(msg ?? 'ERR value is out of range, value must between -2147483648 and 2147483647');
    return null;
  }
  return v;
}

function maxmemoryPolicy(c: Client): string {
  const p = c.server.config.get<string | undefined>('maxmemory-policy');
  return typeof p === 'string' ? p : 'noeviction';
}

function isLfu(c: Client): boolean {
  return c.server.keyspace.lfu;
}

/**
 * A fresh copy of a value for COPY: JS-string values are immutable (new RObj,
 * same encoding), ByteStrings and collections clone().
 */
function dupObject(o: RObj): RObj {
  if (o.type === ObjType.String) {
    const v = o.value;
    const d = new RObj(ObjType.String, o.enc, typeof v === 'object' ? v.clone() : v, o.lru);
    if (o.enc === Enc.Int) unsharedInts.add(d);
    return d;
  }
  return new RObj(o.type, o.enc, o.value.clone(), o.lru);
}

// ---------------------------------------------------------------------------
// DEL, UNLINK, EXISTS, TYPE, TOUCH, DBSIZE

/** delGenericCommand */
function del(c: Client, argv: string[]): void {
  const db = c.db;
  let n = 0;
  for (let j = 1; j < argv.length; j++) {
    if (db.del(argv[j])) {
      c.server.dirty++;
      n++;
    }
  }
  c.reply.int(n);
}

function exists(c: Client, argv: string[]): void {
  const db = c.db;
  let n = 0;
  for (let j = 1; j < argv.length; j++) if (lookupNoTouch(db, argv[j], true) !== undefined) n++;
  c.reply.int(n);
}

function type(c: Client, argv: string[]): void {
  const o = lookupNoTouch(c.db, argv[1], true);
  c.reply.simple(o === undefined ? 'none' : (TYPE_NAMES[o.type] ?? 'unknown'));
}

function touch(c: Client, argv: string[]): void {
  const db = c.db;
  let n = 0;
  for (let j = 1; j < argv.length; j++) if (db.lookupRead(argv[j]) !== undefined) n++;
  c.reply.int(n);
}

function dbsize(c: Client): void {
  c.reply.int(c.db.dict.size);
}

// ---------------------------------------------------------------------------
// RENAME, RENAMENX, MOVE, COPY, SWAPDB

/** renameGenericCommand */
function renameGeneric(c: Client, argv: string[], nx: boolean): void {
  const db = c.db;
  const src = argv[1];
  const dst = argv[2];
  const o = db.lookupWrite(src);
  if (o === undefined) {
    c.reply.error(ERR_NO_SUCH_KEY);
    return;
  }
  if (src === dst) {
    if (nx) c.reply.int(0);
    else c.reply.ok();
    return;
  }
  if (db.lookupWrite(dst) !== undefined) {
    if (nx) {
      c.reply.int(0);
      return;
    }
    db.remove(dst);
  }
  const exp = getExpireExact(db, src);
  db.remove(src);
  db.add(dst, o); // 7.2's dbAdd gives the renamed object a fresh LRU/LFU field
  if (exp !== undefined) setExpireExact(db, dst, exp);
  db.modified(src);
  db.modified(dst);
  db.notify(Notify.Generic, 'rename_from', src);
  db.notify(Notify.Generic, 'rename_to', dst);
  c.server.dirty++;
  if (nx) c.reply.int(1);
  else c.reply.ok();
}

function rename(c: Client, argv: string[]): void {
  renameGeneric(c, argv, false);
}

function renamenx(c: Client, argv: string[]): void {
  renameGeneric(c, argv, true);
}

function clusterEnabled(c: Client): boolean {
  return c.server.config.get('cluster-enabled') === true;
}

/** moveCommand */
function move(c: Client, argv: string[]): void {
  if (clusterEnabled(c)) {
    c.reply.error('ERR MOVE is not allowed in cluster mode');
    return;
  }
  const dbid = getInt32(c, argv[2]);
  if (dbid === null) return;
  const dbs = c.server.keyspace.dbs;
  if (dbid < 0 || dbid >= dbs.length) {
    c.reply.error(ERR_DB_RANGE);
    return;
  }
  const src = c.db;
  const dst = dbs[dbid];
  if (src === dst) {
    c.reply.error(ERR_SAME_OBJECT);
    return;
  }
  const key = argv[1];
  const o = src.lookupWrite(key);
  if (o === undefined || dst.lookupWrite(key) !== undefined) {
    c.reply.int(0);
    return;
  }
  const exp = getExpireExact(src, key);
  src.remove(key);
  dst.add(key, o); // a fresh LRU/LFU field, as 7.2's dbAdd
  if (exp !== undefined) setExpireExact(dst, key, exp);
  src.modified(key);
  dst.modified(key);
  src.notify(Notify.Generic, 'move_from', key);
  dst.notify(Notify.Generic, 'move_to', key);
  c.server.dirty++;
  c.reply.int(1);
}

/** copyCommand */
function copy(c: Client, argv: string[]): void {
  const dbs = c.server.keyspace.dbs;
  const src = c.db;
  let dst = c.db;
  let replace = false;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j].toLowerCase();
    if (opt === 'replace') {
      replace = true;
    } else if (opt === 'db' && j + 1 < argv.length) {
      const id = getInt32(c, argv[j + 1]);
      if (id === null) return;
      if (id < 0 || id >= dbs.length) {
        c.reply.error(ERR_DB_RANGE);
        return;
      }
      dst = dbs[id];
      j++;
    } else {
      c.reply.error(ERR_SYNTAX);
      return;
    }
  }
  if (clusterEnabled(c) && (src.id !== 0 || dst.id !== 0)) {
    c.reply.error('ERR Copying to another database is not allowed in cluster mode');
    return;
  }
  const key = argv[1];
  const newkey = argv[2];
  if (src === dst && key === newkey) {
    c.reply.error(ERR_SAME_OBJECT);
    return;
  }
  const o = src.lookupRead(key);
  if (o === undefined) {
    c.reply.int(0);
    return;
  }
  let overwrite = false;
  if (dst.lookupWrite(newkey) !== undefined) {
    if (!replace) {
      c.reply.int(0);
      return;
    }
    overwrite = true;
  }
  const d = dupObject(o);
  if (overwrite) dst.remove(newkey);
  dst.add(newkey, d);
  copyExpire(src, key, dst, newkey);
  dst.modified(newkey);
  dst.notify(Notify.Generic, 'copy_to', newkey);
  c.server.dirty++;
  c.reply.int(1);
}

/** swapdbCommand / dbSwapDatabases: the Db objects stay (clients point at them); their contents swap. */
function swapdb(c: Client, argv: string[]): void {
  if (clusterEnabled(c)) {
    c.reply.error('ERR SWAPDB is not allowed in cluster mode');
    return;
  }
  const id1 = getInt32(c, argv[1], 'ERR invalid first DB index');
  if (id1 === null) return;
  const id2 = getInt32(c, argv[2], 'ERR invalid second DB index');
  if (id2 === null) return;
  const ks = c.server.keyspace;
  const n = ks.dbs.length;
  if (id1 < 0 || id1 >= n || id2 < 0 || id2 >= n) {
    c.reply.error(ERR_DB_RANGE);
    return;
  }
  if (id1 !== id2) {
    const db1 = ks.dbs[id1];
    const db2 = ks.dbs[id2];
    const flushed = ks.hooks.flushed;
    if (flushed !== undefined) {
      flushed.call(ks.hooks, db1, db2);
      flushed.call(ks.hooks, db2, db1);
    }
    const dict = db1.dict;
    const expires = db1.expires;
    const avg = db1.avgTtl;
    db1.dict = db2.dict;
    db1.expires = db2.expires;
    db1.avgTtl = db2.avgTtl;
    db2.dict = dict;
    db2.expires = expires;
    db2.avgTtl = avg;
    // scanDatabaseForReadyKeys / scanDatabaseForDeletedKeys: clients blocked
    // on keys of either db may be served now (or must see their key gone).
    // O(keys), only while some client is blocked on a key.
    if (c.server.blockingKeys > 0) {
      for (const k of db1.dict.keys()) {
        db1.ready(k);
        db2.ready(k);
      }
      for (const k of db2.dict.keys()) {
        db1.ready(k);
        db2.ready(k);
      }
    }
  }
  c.server.dirty++;
  c.reply.ok();
}

// ---------------------------------------------------------------------------
// FLUSHDB, FLUSHALL

/** getFlushCommandFlags: [ASYNC|SYNC]; both flush synchronously here (values are freed by the GC). */
function flushArgsOk(c: Client, argv: string[]): boolean {
  if (argv.length === 1) return true;
  if (argv.length === 2) {
    const a = argv[1].toLowerCase();
    if (a === 'sync' || a === 'async') return true;
  }
  c.reply.error(ERR_SYNTAX);
  return false;
}

function flushOne(db: Db, blockedOnNokey: boolean): number {
  const hooks = db.ks.hooks;
  if (hooks.flushed !== undefined) hooks.flushed(db, null);
  // Clients that wake when their key is deleted (XREADGROUP) are signalled;
  // they run after this command, when the keys are gone.
  if (blockedOnNokey) for (const k of db.dict.keys()) db.ready(k);
  return db.flush();
}

function flushdb(c: Client, argv: string[]): void {
  if (!flushArgsOk(c, argv)) return;
  c.server.keyspace.hooks.emptied?.(c.db.id);
  const removed = flushOne(c.db, c.server.blockingKeysOnNokey > 0);
  c.server.dirty += removed;
  // forceCommandPropagation: propagated even when nothing was removed.
  if (removed === 0) c.server.propagate(c.db.id, argv);
  c.reply.ok();
}

/**
 * FLUSHALL (flushAllDataAndResetRDB): with save points configured, the
 * emptied dataset is saved at once (an RDB file of nothing), which resets
 * the dirty counter; the command is always propagated.
 */
function flushall(c: Client, argv: string[]): void {
  if (!flushArgsOk(c, argv)) return;
  let removed = 0;
  const server = c.server;
  server.keyspace.hooks.emptied?.(-1);
  const nokey = server.blockingKeysOnNokey > 0;
  for (const db of server.keyspace.dbs) removed += flushOne(db, nokey);
  server.dirty += removed;
  if (server.config.get<unknown[]>('save').length > 0) rdbSave(server);
  server.propagate(c.db.id, argv);
  c.propagateArgv = NO_PROPAGATION;
  c.reply.ok();
}


// ---------------------------------------------------------------------------
// KEYS, SCAN, RANDOMKEY

function keys(c: Client, argv: string[]): void {
  const db = c.db;
  const pattern = argv[1];
  const all = pattern === '*';
  const expires = db.expires;
  const checkTtl = expires.size !== 0;
  const now = db.ks.now;
  // Chunked: the reply may list more keys than a JavaScript array holds.
  const out = new Chunked<string>();
  for (const k of db.dict.keys()) {
    if (!all && !globMatch(pattern, k)) continue;
    if (checkTtl) {
      const w = expires.get(k);
      if (w !== undefined && now > w) continue; // keyIsExpired: listed keys are not deleted
    }
    out.push(k);
  }
  const r = c.reply;
  r.array(out.length);
  // A client cut off by its output limit stops getting keys.
  for (let i = 0; i < out.length && (c.flags & ClientFlag.CloseAsap) === 0; i++) r.bulk(out.at(i));
}

function scan(c: Client, argv: string[]): void {
  const cursor = parseCursor(argv[1]);
  if (cursor === null) {
    c.reply.error('ERR invalid cursor');
    return;
  }
  let count = 10;
  let pat: string | null = null;
  let typeName: string | null = null;
  for (let i = 2; i < argv.length; ) {
    const more = argv.length - i;
    const opt = argv[i].toLowerCase();
    if (opt === 'count' && more >= 2) {
      const v = parseInt64(argv[i + 1]);
      if (v === null) {
        c.reply.error(ERR_NOT_INT);
        return;
      }
      if (v < 1) {
        c.reply.error(ERR_SYNTAX);
        return;
      }
      count = typeof v === 'bigint' ? Number.MAX_SAFE_INTEGER : v;
      i += 2;
    } else if (opt === 'match' && more >= 2) {
      pat = argv[i + 1];
      if (pat === '*') pat = null;
      i += 2;
    } else if (opt === 'type' && more >= 2) {
      typeName = argv[i + 1].toLowerCase();
      i += 2;
    } else {
      c.reply.error(ERR_SYNTAX);
      return;
    }
  }
  const db = c.db;
  const dict = db.dict;
  const found: string[] = [];
  const next = scanBatch(c.server.scanCursors, cursor, dict, () => dict.keys(), count, found);
  let n = 0;
  for (let i = 0; i < found.length; i++) {
    const k = found[i];
    if (!dict.has(k)) continue; // deleted since it was looked ahead
    if (pat !== null && !globMatch(pat, k)) continue;
    if (typeName !== null) {
      const o = lookupNoTouch(db, k, true);
      const tn = o === undefined ? 'none' : (TYPE_NAMES[o.type] ?? 'unknown');
      if (tn !== typeName) continue;
    }
    if (db.expires.size !== 0 && db.expireIfNeeded(k)) continue;
    found[n++] = k;
  }
  found.length = n;
  c.reply.array(2);
  c.reply.bulk(String(next));
  c.reply.bulks(found);
}

/** dbRandomKey */
function randomkey(c: Client): void {
  const db = c.db;
  let maxtries = 100;
  const allVolatile = db.dict.size === db.expires.size;
  for (;;) {
    const k = db.dict.randomKey(); // uniform over the dict's keys (Dict.randomKey)
    if (k === undefined) {
      c.reply.null();
      return;
    }
    if (db.expires.has(k)) {
      if (allVolatile && !db.ks.deleteExpired && --maxtries === 0) {
        // Replica whose keys all expired logically: give up like Redis.
        c.reply.bulk(k);
        return;
      }
      if (db.expireIfNeeded(k)) continue; // expired (and deleted, on a master): draw again
    }
    c.reply.bulk(k);
    return;
  }
}

// ---------------------------------------------------------------------------
// OBJECT

function objectLookup(c: Client, key: string): RObj | undefined {
  const o = lookupNoTouch(c.db, key, false);
  if (o === undefined) c.reply.null();
  return o;
}

function objectEncoding(c: Client, argv: string[]): void {
  const o = objectLookup(c, argv[2]);
  if (o !== undefined) c.reply.bulk(ENC_NAMES[o.enc] ?? 'unknown');
}

/** OBJ_SHARED_REFCOUNT: what OBJECT REFCOUNT and DEBUG OBJECT say for Redis's shared integers. */
export const SHARED_REFCOUNT = 2147483647;

function objectRefcount(c: Client, argv: string[]): void {
  const o = objectLookup(c, argv[2]);
  if (o === undefined) return;
  c.reply.int(isSharedInteger(c, o) ? SHARED_REFCOUNT : 1);
}

/**
 * Redis stores int-encoded strings 0..9999 as shared objects unless maxmemory
 * is set with an LRU/LFU policy (MAXMEMORY_FLAG_NO_SHARED_INTEGERS).
 */
export function isSharedInteger(c: Client, o: RObj): boolean {
  if (o.type !== ObjType.String || o.enc !== Enc.Int) return false;
  const v = o.value;
  if (typeof v !== 'number' || v < 0 || v >= 10000 || unsharedInts.has(o)) return false;
  const maxmemory = c.server.config.get<number | bigint | undefined>('maxmemory') ?? 0;
  if (Number(maxmemory) === 0) return true;
  const p = maxmemoryPolicy(c);
  return !(p.endsWith('-lru') || p.endsWith('-lfu'));
}

const LRU_CLOCK_MAX = (1 << 24) - 1;

function objectIdletime(c: Client, argv: string[]): void {
  const o = objectLookup(c, argv[2]);
  if (o === undefined) return;
  if (isLfu(c)) {
    c.reply.error(
      'ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
    );
    return;
  }
  // estimateObjectIdleTime, in seconds (the LRU clock's resolution).
  const clock = c.server.keyspace.lru;
  c.reply.int(clock >= o.lru ? clock - o.lru : clock + (LRU_CLOCK_MAX - o.lru));
}

function objectFreq(c: Client, argv: string[]): void {
  const o = objectLookup(c, argv[2]);
  if (o === undefined) return;
  if (!isLfu(c)) {
    c.reply.error(
      'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
    );
    return;
  }
  c.reply.int(c.server.keyspace.lfuDecrAndReturn(o.lru));
}

const OBJECT_HELP = [
  'ENCODING <key>',
  '    Return the kind of internal representation used in order to store the value',
  '    associated with a <key>.',
  'FREQ <key>',
  '    Return the access frequency index of the <key>. The returned integer is',
  '    proportional to the logarithm of the recent access frequency of the key.',
  'IDLETIME <key>',
  '    Return the idle time of the <key>, that is the approximated number of',
  '    seconds elapsed since the last access to the key.',
  'REFCOUNT <key>',
  '    Return the number of references of the value associated with the specified',
  '    <key>.',
];

function objectHelp(c: Client, argv: string[]): void {
  replyHelp(c, argv[0].toUpperCase(), OBJECT_HELP);
}

// ---------------------------------------------------------------------------
// EXPIRE family

const EXPIRE_NX = 1;
const EXPIRE_XX = 2;
const EXPIRE_GT = 4;
const EXPIRE_LT = 8;

/** Compares two 64-bit times that may be numbers or bigints. */
function cmpTime(a: number | bigint, b: number | bigint): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * expireGenericCommand: `basetime` 0 for the *AT forms, the command time
 * otherwise; `sec` when the argument is in seconds.
 */
function expireGeneric(c: Client, argv: string[], basetime: number, sec: boolean): void {
  let flags = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j].toLowerCase();
    if (opt === 'nx') flags |= EXPIRE_NX;
    else if (opt === 'xx') flags |= EXPIRE_XX;
    else if (opt === 'gt') flags |= EXPIRE_GT;
    else if (opt === 'lt') flags |= EXPIRE_LT;
    else {
      c.reply.error(`ERR Unsupported option ${argv[j]}`);
      return;
    }
  }
  if ((flags & EXPIRE_NX) !== 0 && (flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT)) !== 0) {
    c.reply.error('ERR NX and XX, GT or LT options at the same time are not compatible');
    return;
  }
  if ((flags & EXPIRE_GT) !== 0 && (flags & EXPIRE_LT) !== 0) {
    c.reply.error('ERR GT and LT options at the same time are not compatible');
    return;
  }
  const v = parseInt64(argv[2]);
  if (v === null) {
    c.reply.error(ERR_NOT_INT);
    return;
  }
  let when: number | bigint;
  if (typeof v === 'number' && v <= 4e12 && v >= -4e12) {
    // Exact in doubles: |v * 1000 + basetime| < 2^53.
    when = (sec ? v * 1000 : v) + basetime;
  } else {
    let b = BigInt(v);
    if (sec) {
      if (b > LLONG_MAX / 1000n || b < LLONG_MIN / 1000n) {
        c.reply.error(`ERR invalid expire time in '${c.cmd!.fullName}' command`);
        return;
      }
      b *= 1000n;
    }
    const base = BigInt(basetime);
    if (b > LLONG_MAX - base) {
      c.reply.error(`ERR invalid expire time in '${c.cmd!.fullName}' command`);
      return;
    }
    b += base;
    when = b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
  }
  const db = c.db;
  const key = argv[1];
  if (db.lookupWrite(key) === undefined) {
    c.reply.int(0);
    return;
  }
  if (flags !== 0) {
    const cur = getExpireExact(db, key);
    if ((flags & EXPIRE_NX) !== 0 && cur !== undefined) {
      c.reply.int(0);
      return;
    }
    if ((flags & EXPIRE_XX) !== 0 && cur === undefined) {
      c.reply.int(0);
      return;
    }
    if ((flags & EXPIRE_GT) !== 0 && (cur === undefined || cmpTime(when, cur) <= 0)) {
      c.reply.int(0);
      return;
    }
    if ((flags & EXPIRE_LT) !== 0 && cur !== undefined && cmpTime(when, cur) >= 0) {
      c.reply.int(0);
      return;
    }
  }
  const server = c.server;
  // checkAlreadyExpired: not on replicas (the master's DEL will come).
  if (cmpTime(when, db.ks.now) <= 0 && !server.isReplica) {
    db.remove(key);
    server.dirty++;
    c.propagateArgv = [server.config.get('lazyfree-lazy-expire') === true ? 'UNLINK' : 'DEL', key];
    db.modified(key);
    db.notify(Notify.Generic, 'del', key);
    c.reply.int(1);
    return;
  }
  setExpireExact(db, key, when);
  c.reply.int(1);
  // Propagate as PEXPIREAT <absolute ms> (PEXPIREAT itself goes as sent).
  if (c.cmd!.fullName !== 'pexpireat') {
    const pa = ['PEXPIREAT', key, String(when)];
    for (let j = 3; j < argv.length; j++) pa.push(argv[j]);
    c.propagateArgv = pa;
  }
  db.modified(key);
  db.notify(Notify.Generic, 'expire', key);
  server.dirty++;
}

function expire(c: Client, argv: string[]): void {
  expireGeneric(c, argv, c.server.keyspace.now, true);
}
function pexpire(c: Client, argv: string[]): void {
  expireGeneric(c, argv, c.server.keyspace.now, false);
}
function expireat(c: Client, argv: string[]): void {
  expireGeneric(c, argv, 0, true);
}
function pexpireat(c: Client, argv: string[]): void {
  expireGeneric(c, argv, 0, false);
}

/** ttlGenericCommand */
function ttlGeneric(c: Client, argv: string[], ms: boolean, abs: boolean): void {
  const db = c.db;
  const key = argv[1];
  if (lookupNoTouch(db, key, true) === undefined) {
    c.reply.int(-2);
    return;
  }
  const when = getExpireExact(db, key);
  if (when === undefined) {
    c.reply.int(-1);
    return;
  }
  if (typeof when === 'number') {
    let ttl = abs ? when : when - db.ks.now;
    if (ttl < 0) ttl = 0;
    c.reply.int(ms ? ttl : Math.floor((ttl + 500) / 1000));
    return;
  }
  let ttl = abs ? when : when - BigInt(db.ks.now);
  if (ttl < 0n) ttl = 0n;
  c.reply.int(ms ? ttl : (ttl + 500n) / 1000n);
}

function ttl(c: Client, argv: string[]): void {
  ttlGeneric(c, argv, false, false);
}
function pttl(c: Client, argv: string[]): void {
  ttlGeneric(c, argv, true, false);
}
function expiretime(c: Client, argv: string[]): void {
  ttlGeneric(c, argv, false, true);
}
function pexpiretime(c: Client, argv: string[]): void {
  ttlGeneric(c, argv, true, true);
}

function persist(c: Client, argv: string[]): void {
  const db = c.db;
  const key = argv[1];
  if (db.lookupWrite(key) === undefined || !db.removeExpire(key)) {
    c.reply.int(0);
    return;
  }
  db.modified(key);
  db.notify(Notify.Generic, 'persist', key);
  c.reply.int(1);
  c.server.dirty++;
}

export const handlers: HandlerMap = {
  del,
  unlink: del,
  exists,
  type,
  touch,
  dbsize,
  rename,
  renamenx,
  move,
  copy,
  swapdb,
  flushdb,
  flushall,
  keys,
  scan,
  randomkey,
  'object|encoding': objectEncoding,
  'object|refcount': objectRefcount,
  'object|idletime': objectIdletime,
  'object|freq': objectFreq,
  'object|help': objectHelp,
  expire,
  pexpire,
  expireat,
  pexpireat,
  ttl,
  pttl,
  expiretime,
  pexpiretime,
  persist,
};
