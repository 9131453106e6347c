// DUMP and RESTORE (cluster.c's dumpCommand / restoreCommand): a value
// serialized as an RDB value with a 2-byte RDB version and a CRC-64, byte for
// byte the payload Redis 7.2 makes for the same data.

import type { Client } from '../server/client.js';
import { ClientFlag } from '../server/client.js';
import type { HandlerMap } from './types.js';
import { ERR_SYNTAX, getInt64Arg, isArg } from './util.js';
import { Notify, lruClock } from '../db/keyspace.js';
import type { RObj } from '../db/robj.js';
import { dumpPayload } from '../persistence/rdb-save.js';
import { RdbReader, RdbError, readValue, objectLru, type LoadContext } from '../persistence/rdb-load.js';
import { crc64 } from '../persistence/crc64.js';
import { RDB_VERSION, isObjectType } from '../persistence/rdb.js';

function dump(c: Client, argv: string[]): void {
  const o = c.db.lookupRead(argv[1]);
  if (o === undefined) {
    c.reply.null();
    return;
  }
  const p = dumpPayload(o, c.server.config.bool('rdbcompression'));
  c.reply.bulkBytes(p, 0, p.length);
}

/**
 * verifyDumpPayload: at least the 10-byte footer, an RDB version this server
 * reads, and (unless DEBUG SET-SKIP-CHECKSUM-VALIDATION) the CRC-64 of all
 * before the checksum.
 */
export function verifyDumpPayload(p: Buffer, skipChecksum: boolean): boolean {
  const n = p.length;
  if (n < 10) return false;
  const version = p[n - 10] | (p[n - 9] << 8);
  if (version > RDB_VERSION) return false;
  if (skipChecksum) return true;
  return crc64(p, 0, n - 8).equalsLE(p, n - 8);
}

/** Whether RESTORE sanitizes payloads in depth (sanitize-dump-payload yes, or clients for non-master clients). */
function deepSanitize(c: Client): boolean {
  const mode = c.server.config.str('sanitize-dump-payload');
  return mode === 'yes' || (mode === 'clients' && (c.flags & ClientFlag.Master) === 0);
}

/** RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency] */
function restore(c: Client, argv: string[]): void {
  let replace = false;
  let absttl = false;
  let lfuFreq = -1;
  let lruIdle = -1;
  let clock = -1;
  for (let j = 4; j < argv.length; j++) {
    const more = argv.length - j - 1;
    const a = argv[j];
    if (isArg(a, 'REPLACE')) replace = true;
    else if (isArg(a, 'ABSTTL')) absttl = true;
    else if (isArg(a, 'IDLETIME') && more >= 1 && lfuFreq === -1) {
      const v = getInt64Arg(c, argv[j + 1]);
      if (v === null) return;
      if (v < 0) {
        c.reply.error('ERR Invalid IDLETIME value, must be >= 0');
        return;
      }
      lruIdle = Number(v);
      clock = lruClock();
      j++;
    } else if (isArg(a, 'FREQ') && more >= 1 && lruIdle === -1) {
      const v = getInt64Arg(c, argv[j + 1]);
      if (v === null) return;
      if (v < 0 || v > 255) {
        c.reply.error('ERR Invalid FREQ value, must be >= 0 and <= 255');
        return;
      }
      lfuFreq = Number(v);
      j++;
    } else {
      c.reply.error(ERR_SYNTAX);
      return;
    }
  }
  const key = argv[1];
  const db = c.db;
  if (!replace && db.lookupWrite(key) !== undefined) {
    c.reply.error('BUSYKEY Target key name already exists.');
    return;
  }
  const ttlArg = getInt64Arg(c, argv[2]);
  if (ttlArg === null) return;
  if (ttlArg < 0) {
    c.reply.error('ERR Invalid TTL value, must be >= 0');
    return;
  }
  let ttl = Number(ttlArg);
  const server = c.server;
  const payload = Buffer.from(argv[3], 'latin1');
  if (!verifyDumpPayload(payload, server.persistence.skipChecksumValidation)) {
    c.reply.error('ERR DUMP payload version or checksum are wrong');
    return;
  }
  const obj = loadPayload(c, payload, deepSanitize(c));
  if (obj === null) {
    c.reply.error('ERR Bad data format');
    return;
  }
  const deleted = replace && db.remove(key);
  const ks = db.ks;
  if (ttl !== 0 && !absttl) ttl += ks.now;
  if (ttl !== 0 && ttl <= ks.now && !server.isReplica) {
    // checkAlreadyExpired: nothing to create; a replaced key is gone (propagated as DEL).
    if (deleted) {
      c.propagateArgv = ['DEL', key];
      db.modified(key);
      db.notify(Notify.Generic, 'del', key);
      server.dirty++;
    }
    c.reply.ok();
    return;
  }
  db.add(key, obj);
  if (ttl !== 0) {
    db.setExpire(key, ttl);
    // A relative TTL is propagated as an absolute one.
    if (!absttl) c.propagateArgv = [argv[0], key, String(ttl), ...argv.slice(3), 'ABSTTL'];
  }
  if (ks.lfu) {
    if (lfuFreq >= 0) obj.lru = objectLru(lfuFreq, -1, 0, (n) => ((Math.floor(ks.now / 60000) & 65535) << 8) | n, obj.lru);
  } else if (lruIdle >= 0) obj.lru = objectLru(-1, lruIdle, clock, null, obj.lru);
  db.modified(key);
  db.notify(Notify.Generic, 'restore', key);
  c.reply.ok();
  server.dirty++;
}

/** rdbLoadObjectType + rdbLoadObject over a payload; null (logged at verbose) when it is not a valid value. */
function loadPayload(c: Client, payload: Buffer, deep: boolean): RObj | null {
  const server = c.server;
  const p = server.persistence;
  const ctx: LoadContext = { limits: server.encoding, onSanitize: deep ? () => p.dumpPayloadSanitizations++ : null };
  try {
    const r = RdbReader.ofBuffer(payload);
    const type = r.u8();
    if (!isObjectType(type)) return null;
    return readValue(r, type, ctx);
  } catch (e) {
    if (!(e instanceof RdbError)) throw e;
    server.log.verbose(`Internal error in RDB reading offset 0, function at rdb-load.ts -> ${e.message}`);
    return null;
  }
}

export const handlers: HandlerMap = {
  dump,
  restore,
};
