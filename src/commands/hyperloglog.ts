// HyperLogLog commands (Redis's hyperloglog.c): PFADD, PFCOUNT, PFMERGE,
// PFDEBUG, PFSELFTEST. An HLL is a string value in Redis's byte layout
// (src/types/hyperloglog.ts); commands that change it (PFADD, PFMERGE, and
// PFCOUNT refreshing the cached cardinality) first make the value a
// ByteString, like Redis's dbUnshareStringValue.
//
// As in Redis, PFCOUNT of one key that recomputes the cached cardinality is
// a change (dirty, WATCH) without a keyspace event, and PFMERGE announces
// itself as "pfadd".

import type { HandlerMap } from './types.js';
import type { Client } from '../server/client.js';
import { RObj, ObjType, Enc } from '../db/robj.js';
import { Notify } from '../db/keyspace.js';
import { ERR_WRONGTYPE } from './util.js';
import { bytesOf, lengthOf, type StringValue, type ByteString } from '../types/bytes.js';
import { unshareString } from './strings.js';
import {
  HLL_REGISTERS,
  HLL_SPARSE,
  HLL_DENSE,
  validHeader,
  validHeaderString,
  createHll,
  hllAdd,
  hllMerge,
  hllCount,
  cachedCount,
  setCachedCount,
  invalidateCache,
  sparseToDense,
  sparseSet,
  denseSet,
  denseGet,
  decodeSparse,
  selfTest,
  setSparseMaxBytes,
} from '../types/hyperloglog.js';

const ERR_INVALID_HLL = 'INVALIDOBJ Corrupted HLL object detected';
const ERR_NOT_HLL = 'WRONGTYPE Key is not a valid HyperLogLog string value.';

/** isHLLObjectOrReply(): a string holding a valid HLL header; replies the error otherwise. */
function isHll(c: Client, o: RObj): boolean {
  if (o.type !== ObjType.String) {
    c.reply.error(ERR_WRONGTYPE);
    return false;
  }
  const v = o.value as StringValue;
  let ok: boolean;
  if (o.enc === Enc.Int) ok = false; // not an sds string
  else if (typeof v === 'string') ok = validHeaderString(v);
  else ok = typeof v === 'object' && validHeader(v.buf, v.len);
  if (!ok) c.reply.error(ERR_NOT_HLL);
  return ok;
}

/** hll-sparse-max-bytes, read at each command (the HLL code keeps it in a module variable). */
function loadConfig(c: Client): void {
  setSparseMaxBytes(Number(c.server.config.get('hll-sparse-max-bytes')));
}

/** The bytes of an HLL value for reading (a view of a ByteString, a copy of a JS string). */
function hllBytes(v: StringValue): Uint8Array {
  return bytesOf(v, 0, lengthOf(v));
}

function pfadd(c: Client, argv: string[]): void {
  loadConfig(c);
  const key = argv[1];
  const db = c.db;
  const o = db.lookupWrite(key);
  let h: ByteString;
  let updated = 0;
  if (o === undefined) {
    h = createHll();
    db.add(key, new RObj(ObjType.String, Enc.Raw, h, 0));
    updated++;
  } else {
    if (!isHll(c, o)) return;
    h = unshareString(o);
  }
  for (let j = 2; j < argv.length; j++) {
    const r = hllAdd(h, argv[j]);
    if (r === 1) updated++;
    else if (r === -1) {
      c.reply.error(ERR_INVALID_HLL);
      return;
    }
  }
  if (updated !== 0) {
    db.modified(key);
    db.notify(Notify.String, 'pfadd', key);
    c.server.dirty += updated;
    invalidateCache(h.buf);
  }
  c.reply.int(updated !== 0 ? 1 : 0);
}

function pfcount(c: Client, argv: string[]): void {
  const db = c.db;
  if (argv.length > 2) {
    // The cardinality of the union: registers merged into one byte each.
    const max = new Uint8Array(HLL_REGISTERS);
    for (let j = 1; j < argv.length; j++) {
      const o = db.lookupRead(argv[j]);
      if (o === undefined) continue;
      if (!isHll(c, o)) return;
      const v = o.value as StringValue;
      if (!hllMerge(max, hllBytes(v), lengthOf(v))) {
        c.reply.error(ERR_INVALID_HLL);
        return;
      }
    }
    c.reply.int(hllCount(max, HLL_REGISTERS, true));
    return;
  }
  const key = argv[1];
  const o = db.lookupRead(key);
  if (o === undefined) {
    c.reply.int(0);
    return;
  }
  if (!isHll(c, o)) return;
  const h = unshareString(o);
  const cached = cachedCount(h.buf);
  if (cached !== -1) {
    c.reply.int(cached);
    return;
  }
  const n = hllCount(h.buf, h.len);
  if (n < 0) {
    c.reply.error(ERR_INVALID_HLL);
    return;
  }
  setCachedCount(h.buf, n);
  // The value changed (its cache): propagated like a write.
  db.modified(key);
  c.server.dirty++;
  c.reply.int(n);
}

function pfmerge(c: Client, argv: string[]): void {
  loadConfig(c);
  const db = c.db;
  const max = new Uint8Array(HLL_REGISTERS);
  let useDense = false;
  // The destination is the first source.
  for (let j = 1; j < argv.length; j++) {
    const o = db.lookupRead(argv[j]);
    if (o === undefined) continue;
    if (!isHll(c, o)) return;
    const v = o.value as StringValue;
    const b = hllBytes(v);
    if (b[4] === HLL_DENSE) useDense = true;
    if (!hllMerge(max, b, lengthOf(v))) {
      c.reply.error(ERR_INVALID_HLL);
      return;
    }
  }
  const key = argv[1];
  const o = db.lookupWrite(key);
  let h: ByteString;
  if (o === undefined) {
    h = createHll();
    db.add(key, new RObj(ObjType.String, Enc.Raw, h, 0));
  } else {
    h = unshareString(o);
  }
  if (useDense && !sparseToDense(h)) {
    c.reply.error(ERR_INVALID_HLL);
    return;
  }
  for (let j = 0; j < HLL_REGISTERS; j++) {
    if (max[j] === 0) continue;
    if (h.buf[4] === HLL_DENSE) denseSet(h.buf, j, max[j]);
    else sparseSet(h, j, max[j]);
  }
  invalidateCache(h.buf);
  db.modified(key);
  // A merge is announced as a mass add.
  db.notify(Notify.String, 'pfadd', key);
  c.server.dirty++;
  c.reply.ok();
}

function pfdebug(c: Client, argv: string[]): void {
  const sub = argv[1];
  const key = argv[2];
  const o = c.db.lookupWrite(key);
  if (o === undefined) {
    c.reply.error('ERR The specified key does not exist');
    return;
  }
  if (!isHll(c, o)) return;
  const h = unshareString(o);
  const name = cstr(sub).toLowerCase();
  if (name === 'getreg') {
    if (h.buf[4] === HLL_SPARSE) {
      if (!sparseToDense(h)) {
        c.reply.error(ERR_INVALID_HLL);
        return;
      }
      c.server.dirty++; // the encoding change is propagated
    }
    const r = c.reply;
    r.array(HLL_REGISTERS);
    for (let j = 0; j < HLL_REGISTERS; j++) r.int(denseGet(h.buf, j));
  } else if (name === 'decode') {
    if (h.buf[4] !== HLL_SPARSE) {
      c.reply.error('ERR HLL encoding is not sparse');
      return;
    }
    c.reply.bulk(decodeSparse(h.buf, h.len));
  } else if (name === 'encoding') {
    c.reply.simple(h.buf[4] === HLL_DENSE ? 'dense' : 'sparse');
  } else if (name === 'todense') {
    let converted = 0;
    if (h.buf[4] === HLL_SPARSE) {
      if (!sparseToDense(h)) {
        c.reply.error(ERR_INVALID_HLL);
        return;
      }
      converted = 1;
      c.server.dirty++;
    }
    c.reply.int(converted);
  } else {
    c.reply.error(`ERR Unknown PFDEBUG subcommand '${cstr(sub)}'`);
  }
}

function pfselftest(c: Client): void {
  loadConfig(c);
  const failure = selfTest();
  if (failure === null) c.reply.ok();
  else c.reply.error(failure);
}

/** C string semantics: Redis compares and prints the subcommand up to its first NUL. */
function cstr(s: string): string {
  const z = s.indexOf('\0');
  return z < 0 ? s : s.slice(0, z);
}

export const handlers: HandlerMap = {
  pfadd,
  pfcount,
  pfmerge,
  pfdebug,
  pfselftest,
};
