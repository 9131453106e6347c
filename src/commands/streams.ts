// Stream commands (Redis's t_stream.c): XADD, XRANGE/XREVRANGE, XLEN, XDEL,
// XTRIM, XSETID, XREAD, and the consumer groups: XGROUP, XREADGROUP, XACK,
// XPENDING, XCLAIM, XAUTOCLAIM, XINFO. The data structure is
// src/types/stream.ts.
//
// Argument checks come in Redis's order (some before the key lookup, some
// after), with its error texts. Propagation follows Redis 7.2: XADD goes out
// with the ID it generated and approximate trims made exact (`=` and the
// resulting length or first ID); XREADGROUP, XCLAIM and XAUTOCLAIM are not
// propagated themselves but as their effects: one XCLAIM ... FORCE JUSTID
// per pending entry created, moved or dropped, XGROUP SETID for the group's
// last ID, XGROUP CREATECONSUMER for a consumer NOACK created.
//
// Blocking XREAD/XREADGROUP use src/server/blocking.ts: the command runs
// again when a stream key gets new data (XREADGROUP also when the key is
// deleted or changes type, or its group is destroyed: it then fails as a
// new call would, with -NOGROUP or -WRONGTYPE); `$` is replaced by the
// stream's last ID before blocking, so that re-execution sees only newer
// entries.

import { ClientFlag, type Client } from '../server/client.js';
import type { HandlerMap } from './types.js';
import type { Reply } from '../protocol/reply.js';
import { RObj, ObjType, Enc } from '../db/robj.js';
import { Notify } from '../db/keyspace.js';
import { parseInt64 } from '../protocol/format.js';
import { ERR_SYNTAX, isArg, checkType, replyHelp, getInt64Arg } from './util.js';
import { arityError, NO_PROPAGATION } from './dispatch.js';
import { getTimeoutArgMs, canBlock, blockForKeys } from '../server/blocking.js';
import {
  Stream,
  StreamId,
  StreamIter,
  ConsumerGroup,
  Consumer,
  Nack,
  Trim,
  ZERO_ID,
  MAX_ID,
  U64_MAX,
  INVALID_ENTRIES_READ,
  STREAM_LISTPACK_MAX_SIZE,
  parseStreamId,
  nextId,
  prevId,
  add1,
  cmpId,
  type U64,
} from '../types/stream.js';

// ---------------------------------------------------------------------------
// Helpers

const ERR_INVALID_ID = 'ERR Invalid stream ID specified as stream command argument';
const ERR_NO_SUCH_KEY = 'ERR no such key';

/** Looks a stream up for reading: the stream, undefined if missing, null after replying WRONGTYPE. */
function readStream(c: Client, key: string): Stream | undefined | null {
  const o = c.db.lookupRead(key);
  if (checkType(c, o, ObjType.Stream)) return null;
  return o === undefined ? undefined : (o.value as Stream);
}

/** Looks a stream up for writing (no hit/miss stats). */
function writeStream(c: Client, key: string): Stream | undefined | null {
  const o = c.db.lookupWrite(key);
  if (checkType(c, o, ObjType.Stream)) return null;
  return o === undefined ? undefined : (o.value as Stream);
}

function newStreamObject(): RObj {
  return new RObj(ObjType.Stream, Enc.Stream, new Stream(), 0);
}

/** A strict ID argument (no `-`/`+`), or null after replying the error. */
function strictIdArg(c: Client, s: string): StreamId | null {
  const id = parseStreamId(s, 0, true);
  if (id === null) c.reply.error(ERR_INVALID_ID);
  return id;
}

/** A range bound (streamParseIntervalIDOrReply): `(` makes it exclusive. Returns null after replying. */
function intervalArg(c: Client, s: string, missingSeq: U64, isStart: boolean): StreamId | null {
  const exclusive = s.length > 1 && s.charCodeAt(0) === 40; /* ( */
  const id = exclusive ? parseStreamId(s.slice(1), missingSeq, true) : parseStreamId(s, missingSeq, false);
  if (id === null) {
    c.reply.error(ERR_INVALID_ID);
    return null;
  }
  if (!exclusive) return id;
  const moved = isStart ? nextId(id) : prevId(id);
  if (moved === null) c.reply.error(isStart ? 'ERR invalid start ID for the interval' : 'ERR invalid end ID for the interval');
  return moved;
}

/** A count as a JS number (anything past 2^53 is as good as unlimited). */
function countOf(v: number | bigint): number {
  return typeof v === 'bigint' ? (v < 0n ? 0 : Number.MAX_SAFE_INTEGER) : v;
}

/** A signed 64-bit reply for a U64 counter (Redis prints them with addReplyLongLong). */
function replyInt64(r: Reply, v: U64): void {
  if (typeof v === 'bigint' && v > 9223372036854775807n) r.int(v - 18446744073709551616n);
  else r.int(v);
}

function idString(ms: U64, seq: U64): string {
  return ms + '-' + seq;
}

function replyId(r: Reply, id: StreamId): void {
  r.bulkIdPair(id.ms, id.seq);
}

/** One entry: [id, [field, value, ...]]. */
function replyEntry(r: Reply, it: StreamIter): void {
  r.array(2);
  r.bulkIdPair(it.ms, it.seq);
  const nf = it.nf;
  r.array(nf * 2);
  const b = it.buf;
  for (let k = 0; k < nf; k++) {
    it.readPair();
    r.bulkBytes(b, it.fOff, it.fOff + it.fLen);
    r.bulkBytes(b, it.vOff, it.vOff + it.vLen);
  }
}

/** streamReplyWithRange without a group: entries of [start, end], at most count (0: all). */
function replyRange(r: Reply, s: Stream, start: StreamId | null, end: StreamId | null, count: number, rev: boolean): number {
  const mark = r.deferLen();
  let n = 0;
  const it = s.iter(start, end, rev);
  while (it.next()) {
    replyEntry(r, it);
    if (++n === count) break;
  }
  r.setDeferredArray(mark, n);
  return n;
}

/** Emits one entry found by ID (STREAM_RWR_RAWENTRIES); false if it is not there. */
function replyEntryById(r: Reply, s: Stream, id: StreamId): boolean {
  const it = s.iter(id, id, false);
  if (!it.next()) return false;
  replyEntry(r, it);
  return true;
}

/** True if propagation has anywhere to go (building the commands costs). */
function propagating(c: Client): boolean {
  return c.server.propagateTargets.length !== 0;
}

/** Propagates an effect now, in order (Redis's alsoPropagate). */
function alsoPropagate(c: Client, argv: string[]): void {
  c.server.propagate(c.db.id, argv);
}

/** Tells the dispatcher not to propagate the command itself (preventCommandPropagation). */
function preventPropagation(c: Client): void {
  c.propagateArgv = NO_PROPAGATION;
}

/** streamPropagateXCLAIM: the idempotent XCLAIM that recreates a pending entry on a replica. */
function propagateXclaim(c: Client, key: string, group: ConsumerGroup, groupName: string, id: string, nack: Nack): void {
  alsoPropagate(c, [
    'XCLAIM',
    key,
    groupName,
    nack.consumer!.name,
    '0',
    id,
    'TIME',
    String(nack.deliveryTime),
    'RETRYCOUNT',
    int64String(nack.deliveryCount),
    'FORCE',
    'JUSTID',
    'LASTID',
    String(group.lastId),
  ]);
}

/** streamPropagateGroupID: XGROUP SETID with the group's last ID and reads counter. */
function propagateGroupId(c: Client, key: string, group: ConsumerGroup, groupName: string): void {
  alsoPropagate(c, ['XGROUP', 'SETID', key, groupName, String(group.lastId), 'ENTRIESREAD', String(group.entriesRead)]);
}

function int64String(v: U64): string {
  if (typeof v === 'bigint' && v > 9223372036854775807n) return String(v - 18446744073709551616n);
  return String(v);
}

/** streamCreateConsumer: a new consumer, with its dirty count and notification. */
function createConsumer(c: Client, g: ConsumerGroup, name: string, key: string): Consumer {
  const cons = new Consumer(name, c.server.keyspace.now, -1);
  g.addConsumer(cons);
  c.server.dirty++;
  c.db.notify(Notify.Stream, 'xgroup-createconsumer', key);
  return cons;
}

function lookupGroup(s: Stream, name: string): ConsumerGroup | undefined {
  return s.groups === null ? undefined : s.groups.get(name);
}

function subcommandSyntaxError(c: Client, argv: string[], container: string): void {
  c.reply.error(`ERR unknown subcommand or wrong number of arguments for '${argv[1].slice(0, 128)}'. Try ${container} HELP.`);
}

// ---------------------------------------------------------------------------
// XADD, XTRIM

interface AddTrimArgs {
  /** Position of the ID argument (XADD). */
  idpos: number;
  id: StreamId | null;
  seqGiven: boolean;
  noMkstream: boolean;
  strategy: Trim;
  /** Position of the MAXLEN/MINID value (rewritten for propagation). */
  strategyArgIdx: number;
  approx: boolean;
  limit: U64;
  maxlen: U64;
  minid: StreamId;
}

/** streamParseAddOrTrimArgsOrReply: XADD/XTRIM options; null after replying an error. */
function parseAddTrimArgs(c: Client, argv: string[], xadd: boolean): AddTrimArgs | null {
  const a: AddTrimArgs = {
    idpos: 0,
    id: null,
    seqGiven: true,
    noMkstream: false,
    strategy: Trim.None,
    strategyArgIdx: 0,
    approx: false,
    limit: 0,
    maxlen: 0,
    minid: ZERO_ID,
  };
  const argc = argv.length;
  let limitGiven = false;
  let i = 2;
  for (; i < argc; i++) {
    const more = argc - 1 - i;
    const opt = argv[i];
    if (xadd && opt === '*') break;
    if (more > 0 && isArg(opt, 'MAXLEN')) {
      if (a.strategy !== Trim.None) {
        c.reply.error('ERR syntax error, MAXLEN and MINID options at the same time are not compatible');
        return null;
      }
      a.approx = false;
      const next = argv[i + 1];
      if (more >= 2 && next === '~') {
        a.approx = true;
        i++;
      } else if (more >= 2 && next === '=') {
        i++;
      }
      const v = getInt64Arg(c, argv[i + 1]);
      if (v === null) return null;
      if (v < 0) {
        c.reply.error('ERR The MAXLEN argument must be >= 0.');
        return null;
      }
      a.maxlen = v;
      i++;
      a.strategy = Trim.MaxLen;
      a.strategyArgIdx = i;
    } else if (more > 0 && isArg(opt, 'MINID')) {
      if (a.strategy !== Trim.None) {
        c.reply.error('ERR syntax error, MAXLEN and MINID options at the same time are not compatible');
        return null;
      }
      a.approx = false;
      const next = argv[i + 1];
      if (more >= 2 && next === '~') {
        a.approx = true;
        i++;
      } else if (more >= 2 && next === '=') {
        i++;
      }
      const id = strictIdArg(c, argv[i + 1]);
      if (id === null) return null;
      a.minid = id;
      i++;
      a.strategy = Trim.MinId;
      a.strategyArgIdx = i;
    } else if (more > 0 && isArg(opt, 'LIMIT')) {
      const v = getInt64Arg(c, argv[i + 1]);
      if (v === null) return null;
      if (v < 0) {
        c.reply.error('ERR The LIMIT argument must be >= 0.');
        return null;
      }
      a.limit = v;
      limitGiven = true;
      i++;
    } else if (xadd && isArg(opt, 'NOMKSTREAM')) {
      a.noMkstream = true;
    } else if (xadd) {
      const seq = { given: true };
      const id = parseStreamId(opt, 0, true, seq);
      if (id === null) {
        c.reply.error(ERR_INVALID_ID);
        return null;
      }
      a.id = id;
      a.seqGiven = seq.given;
      break;
    } else {
      c.reply.error(ERR_SYNTAX);
      return null;
    }
  }
  a.idpos = i;
  if (a.limit !== 0 && a.strategy === Trim.None) {
    c.reply.error('ERR syntax error, LIMIT cannot be used without specifying a trimming strategy');
    return null;
  }
  if (!xadd && a.strategy === Trim.None) {
    c.reply.error('ERR syntax error, XTRIM must be called with a trimming strategy');
    return null;
  }
  if (limitGiven) {
    if (!a.approx) {
      c.reply.error('ERR syntax error, LIMIT cannot be used without the special ~ option');
      return null;
    }
  } else if (a.approx) {
    // Approximate trimming does at most 100 nodes' worth of work unless told otherwise.
    let limit = 100 * c.server.config.num('stream-node-max-entries');
    if (limit <= 0) limit = 10000;
    if (limit > 1000000) limit = 1000000;
    a.limit = limit;
  } else {
    a.limit = 0;
  }
  return a;
}

/**
 * Trims after XADD or for XTRIM: returns the entries removed. An approximate
 * trim is propagated as an exact one to where it stopped: `=` and the
 * resulting length (MAXLEN) or first entry ID, tombstones included (MINID).
 */
function applyTrim(s: Stream, a: AddTrimArgs, prop: string[] | null): U64 {
  const deleted = s.trim(a.strategy, a.maxlen, a.minid, a.approx, a.limit);
  if (a.approx && prop !== null) {
    prop[a.strategyArgIdx - 1] = '=';
    prop[a.strategyArgIdx] = a.strategy === Trim.MaxLen ? String(s.length) : String(s.edgeId(true, false));
  }
  return deleted;
}

function xadd(c: Client, argv: string[]): void {
  const a = parseAddTrimArgs(c, argv, true);
  if (a === null) return;
  const fieldPos = a.idpos + 1;
  const nfv = argv.length - fieldPos;
  if (nfv < 2 || nfv % 2 === 1) {
    c.reply.error(arityError(c.cmd!));
    return;
  }
  // 0-0 is refused before the key is looked up (or created).
  if (a.id !== null && a.seqGiven && a.id.isZero()) {
    c.reply.error('ERR The ID specified in XADD must be greater than 0-0');
    return;
  }
  const key = argv[1];
  const db = c.db;
  let s = writeStream(c, key);
  if (s === null) return;
  if (s === undefined) {
    if (a.noMkstream) {
      c.reply.null();
      return;
    }
    const o = newStreamObject();
    db.add(key, o);
    s = o.value as Stream;
  }
  const last = s.lastId;
  if (last.ms === U64_MAX && last.seq === U64_MAX) {
    c.reply.error('ERR The stream has exhausted the last possible ID, unable to add more items');
    return;
  }
  let id: StreamId;
  if (a.id === null) {
    const now = c.server.keyspace.now;
    id = now > last.ms ? new StreamId(now, 0) : nextId(last)!;
  } else if (a.seqGiven || a.id.ms !== last.ms) {
    id = a.id;
  } else if (last.seq === U64_MAX) {
    c.reply.error('ERR The ID specified in XADD is equal or smaller than the target stream top item');
    return;
  } else {
    id = new StreamId(last.ms, add1(last.seq));
  }
  if (id.cmp(last) <= 0) {
    c.reply.error('ERR The ID specified in XADD is equal or smaller than the target stream top item');
    return;
  }
  let totelelen = 0;
  for (let i = fieldPos; i < argv.length; i++) totelelen += argv[i].length;
  if (totelelen > STREAM_LISTPACK_MAX_SIZE) {
    c.reply.error('ERR Elements are too large to be stored');
    return;
  }
  const config = c.server.config;
  s.append(id, argv, fieldPos, nfv / 2, config.num('stream-node-max-bytes'), config.num('stream-node-max-entries'));
  c.reply.bulkIdPair(id.ms, id.seq);
  db.notify(Notify.Stream, 'xadd', key);
  c.server.dirty++;
  const rewriteId = a.id === null || !a.seqGiven;
  const prop = propagating(c) && (rewriteId || a.approx) ? argv.slice() : null;
  if (a.strategy !== Trim.None) {
    if (applyTrim(s, a, prop) !== 0) db.notify(Notify.Stream, 'xtrim', key);
  }
  db.modified(key);
  if (prop !== null) {
    if (rewriteId) prop[a.idpos] = idString(id.ms, id.seq);
    c.propagateArgv = prop;
  }
  db.ready(key);
}

function xtrim(c: Client, argv: string[]): void {
  const a = parseAddTrimArgs(c, argv, false);
  if (a === null) return;
  const key = argv[1];
  const s = writeStream(c, key);
  if (s === null) return;
  if (s === undefined) {
    c.reply.int(0);
    return;
  }
  const prop = propagating(c) && a.approx ? argv.slice() : null;
  const deleted = applyTrim(s, a, prop);
  if (deleted !== 0) {
    c.db.notify(Notify.Stream, 'xtrim', key);
    if (prop !== null) c.propagateArgv = prop;
    c.db.modified(key);
    c.server.dirty += Number(deleted);
  }
  c.reply.int(deleted);
}

// ---------------------------------------------------------------------------
// XRANGE, XREVRANGE, XLEN, XDEL, XSETID

function xrangeGeneric(c: Client, argv: string[], rev: boolean): void {
  const start = intervalArg(c, rev ? argv[3] : argv[2], 0, true);
  if (start === null) return;
  const end = intervalArg(c, rev ? argv[2] : argv[3], U64_MAX, false);
  if (end === null) return;
  let count = -1;
  for (let j = 4; j < argv.length; j++) {
    if (j + 1 < argv.length && isArg(argv[j], 'COUNT')) {
      const v = getInt64Arg(c, argv[j + 1]);
      if (v === null) return;
      count = v < 0 ? 0 : countOf(v);
      j++;
    } else {
      c.reply.error(ERR_SYNTAX);
      return;
    }
  }
  const s = readStream(c, argv[1]);
  if (s === null) return;
  if (s === undefined) {
    c.reply.array(0);
    return;
  }
  if (count === 0) {
    c.reply.nullArray();
    return;
  }
  replyRange(c.reply, s, start, end, count === -1 ? 0 : count, rev);
}

function xrange(c: Client, argv: string[]): void {
  xrangeGeneric(c, argv, false);
}

function xrevrange(c: Client, argv: string[]): void {
  xrangeGeneric(c, argv, true);
}

function xlen(c: Client, argv: string[]): void {
  const s = readStream(c, argv[1]);
  if (s === null) return;
  c.reply.int(s === undefined ? 0 : s.length);
}

function xdel(c: Client, argv: string[]): void {
  const key = argv[1];
  const s = writeStream(c, key);
  if (s === null) return;
  if (s === undefined) {
    c.reply.int(0);
    return;
  }
  // Every ID is checked before anything is deleted.
  const ids: StreamId[] = [];
  for (let j = 2; j < argv.length; j++) {
    const id = strictIdArg(c, argv[j]);
    if (id === null) return;
    ids.push(id);
  }
  let deleted = 0;
  let firstEntry = false;
  for (const id of ids) {
    if (!s.deleteEntry(id)) continue;
    if (id.cmp(s.firstId) === 0) firstEntry = true;
    if (id.cmp(s.maxDeletedId) > 0) s.maxDeletedId = id;
    deleted++;
  }
  if (deleted !== 0) {
    if (s.length === 0) s.firstId = ZERO_ID;
    else if (firstEntry) s.firstId = s.edgeId(true, true);
    c.db.modified(key);
    c.db.notify(Notify.Stream, 'xdel', key);
    c.server.dirty += deleted;
  }
  c.reply.int(deleted);
}

function xsetid(c: Client, argv: string[]): void {
  const id = strictIdArg(c, argv[2]);
  if (id === null) return;
  let entriesAdded: U64 = -1;
  let maxXdel = ZERO_ID;
  for (let i = 3; i < argv.length; i++) {
    const more = argv.length - 1 - i;
    if (more > 0 && isArg(argv[i], 'ENTRIESADDED')) {
      const v = getInt64Arg(c, argv[i + 1]);
      if (v === null) return;
      if (v < 0) {
        c.reply.error('ERR entries_added must be positive');
        return;
      }
      entriesAdded = v;
      i++;
    } else if (more > 0 && isArg(argv[i], 'MAXDELETEDID')) {
      const m = strictIdArg(c, argv[i + 1]);
      if (m === null) return;
      if (id.cmp(m) < 0) {
        c.reply.error('ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id');
        return;
      }
      maxXdel = m;
      i++;
    } else {
      c.reply.error(ERR_SYNTAX);
      return;
    }
  }
  const key = argv[1];
  const s = writeStream(c, key);
  if (s === null) return;
  if (s === undefined) {
    c.reply.error(ERR_NO_SUCH_KEY);
    return;
  }
  if (id.cmp(s.maxDeletedId) < 0) {
    c.reply.error('ERR The ID specified in XSETID is smaller than current max_deleted_entry_id');
    return;
  }
  if (s.length > 0) {
    if (id.cmp(s.lastValidId()) < 0) {
      c.reply.error('ERR The ID specified in XSETID is smaller than the target stream top item');
      return;
    }
    if (entriesAdded !== -1 && s.length > entriesAdded) {
      c.reply.error('ERR The entries_added specified in XSETID is smaller than the target stream length');
      return;
    }
  }
  s.lastId = id;
  if (entriesAdded !== -1) s.entriesAdded = entriesAdded;
  if (!maxXdel.isZero()) s.maxDeletedId = maxXdel;
  c.reply.ok();
  c.server.dirty++;
  c.db.notify(Notify.Stream, 'xsetid', key);
}

// ---------------------------------------------------------------------------
// XREAD, XREADGROUP

/**
 * Delivers new entries to a consumer (streamReplyWithRange with a group):
 * moves the group's last ID and reads counter, creates or reassigns the
 * pending entries (unless NOACK), and propagates those effects.
 */
function replyGroupRange(
  c: Client,
  s: Stream,
  key: string,
  groupName: string,
  start: StreamId,
  count: number,
  group: ConsumerGroup,
  consumer: Consumer,
  noack: boolean,
): void {
  const r = c.reply;
  const now = c.server.keyspace.now;
  const prop = propagating(c);
  const mark = r.deferLen();
  let n = 0;
  let propagateLastId = false;
  const it = s.iter(start, null, false);
  while (it.next()) {
    const ms = it.ms;
    const seq = it.seq;
    if (cmpId(ms, seq, group.lastId.ms, group.lastId.seq) > 0) {
      const id = new StreamId(ms, seq);
      if (group.entriesRead !== INVALID_ENTRIES_READ && !s.rangeHasTombstones(id, null)) group.entriesRead = add1(group.entriesRead);
      else if (s.entriesAdded !== 0) group.entriesRead = s.estimateDistance(id);
      group.lastId = id;
      // Without NOACK the XCLAIMs carry the last ID (Redis 7.2 propagates no SETID then).
      if (noack) propagateLastId = true;
    }
    replyEntry(r, it);
    if (!noack) {
      // Deliveries come in ID order: usually past the end of the pending list, no lookup needed.
      let nack = group.pel.allBelow(ms, seq) ? undefined : group.pel.get(ms, seq);
      if (nack === undefined) {
        nack = new Nack(now, 1, consumer);
        group.pel.set(ms, seq, nack);
        consumer.pel.set(ms, seq, nack);
      } else {
        nack.consumer!.pel.delete(ms, seq);
        nack.consumer = consumer;
        nack.deliveryTime = now;
        nack.deliveryCount = 1;
        consumer.pel.set(ms, seq, nack);
      }
      consumer.activeTime = now;
      if (prop) propagateXclaim(c, key, group, groupName, idString(ms, seq), nack);
    }
    if (++n === count) break;
  }
  if (prop && propagateLastId) propagateGroupId(c, key, group, groupName);
  r.setDeferredArray(mark, n);
}

/**
 * streamReplyWithRangeFromConsumerPEL: a consumer's own history from
 * `start`: each pending entry again (its delivery count and time updated),
 * or [id, nil] when the entry was deleted meanwhile.
 */
function replyConsumerHistory(c: Client, s: Stream, start: StreamId, count: number, consumer: Consumer): void {
  const r = c.reply;
  const now = c.server.keyspace.now;
  const mark = r.deferLen();
  let n = 0;
  const cur = consumer.pel.seekGE(start.ms, start.seq);
  for (; cur.valid && (count === 0 || n < count); cur.next()) {
    const id = new StreamId(cur.ms, cur.seq);
    if (!replyEntryById(r, s, id)) {
      r.array(2);
      replyId(r, id);
      r.nullArray();
    } else {
      const nack = cur.value;
      nack.deliveryTime = now;
      nack.deliveryCount = add1(nack.deliveryCount);
    }
    n++;
  }
  r.setDeferredArray(mark, n);
}

function xreadGeneric(c: Client, argv: string[], xreadgroup: boolean): void {
  const argc = argv.length;
  let deadline = -1;
  let count = 0;
  let streamsArg = 0;
  let nstreams = 0;
  let noack = false;
  let groupName: string | null = null;
  let consumerName = '';
  for (let i = 1; i < argc; i++) {
    const more = argc - i - 1;
    const o = argv[i];
    if (more > 0 && isArg(o, 'BLOCK')) {
      i++;
      const d = getTimeoutArgMs(c, argv[i]);
      if (d === null) return;
      // Redis refuses BLOCK from scripts outright (blocking makes no sense there).
      if ((c.flags & ClientFlag.Script) !== 0) {
        c.reply.error(`ERR ${c.cmd!.fullName} command is not allowed with BLOCK option from scripts`);
        return;
      }
      deadline = d;
    } else if (more > 0 && isArg(o, 'COUNT')) {
      i++;
      const v = getInt64Arg(c, argv[i]);
      if (v === null) return;
      count = v < 0 ? 0 : countOf(v);
    } else if (more > 0 && isArg(o, 'STREAMS')) {
      streamsArg = i + 1;
      nstreams = argc - streamsArg;
      if (nstreams % 2 !== 0) {
        const name = xreadgroup ? 'xreadgroup' : 'xread';
        c.reply.error(`ERR Unbalanced '${name}' list of streams: for each stream key an ID or '${xreadgroup ? '>' : '$'}' must be specified.`);
        return;
      }
      nstreams /= 2;
      break;
    } else if (more >= 2 && isArg(o, 'GROUP')) {
      if (!xreadgroup) {
        c.reply.error('ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.');
        return;
      }
      groupName = argv[i + 1];
      consumerName = argv[i + 2];
      i += 2;
    } else if (isArg(o, 'NOACK')) {
      if (!xreadgroup) {
        c.reply.error('ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.');
        return;
      }
      noack = true;
    } else {
      c.reply.error(ERR_SYNTAX);
      return;
    }
  }
  if (streamsArg === 0) {
    c.reply.error(ERR_SYNTAX);
    return;
  }
  if (xreadgroup && groupName === null) {
    c.reply.error('ERR Missing GROUP option for XREADGROUP');
    return;
  }
  const db = c.db;
  const ids: StreamId[] = new Array(nstreams);
  const groups: ConsumerGroup[] = groupName !== null ? new Array(nstreams) : [];
  let hasDollar = false;
  for (let i = streamsArg + nstreams; i < argc; i++) {
    const idx = i - streamsArg - nstreams;
    const key = argv[i - nstreams];
    const s = readStream(c, key);
    if (s === null) return;
    if (groupName !== null) {
      const g = s === undefined ? undefined : lookupGroup(s, groupName);
      if (g === undefined) {
        c.reply.error(`NOGROUP No such key '${key}' or consumer group '${groupName}' in XREADGROUP with GROUP option`);
        return;
      }
      groups[idx] = g;
    }
    const a = argv[i];
    if (a === '$') {
      if (xreadgroup) {
        c.reply.error(
          'ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by ' +
            'specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.',
        );
        return;
      }
      ids[idx] = s === undefined ? ZERO_ID : s.lastId;
      hasDollar = true;
      continue;
    }
    if (a === '>') {
      if (!xreadgroup) {
        c.reply.error('ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.');
        return;
      }
      ids[idx] = MAX_ID;
      continue;
    }
    const id = strictIdArg(c, a);
    if (id === null) return;
    ids[idx] = id;
  }

  // Serve what can be served now.
  const r = c.reply;
  const now = c.server.keyspace.now;
  let served = 0;
  let mark = -1;
  for (let i = 0; i < nstreams; i++) {
    const key = argv[streamsArg + i];
    const o = db.lookupRead(key);
    if (o === undefined) continue;
    const s = o.value as Stream;
    let gt = ids[i];
    let serve = false;
    let history = false;
    let consumer: Consumer | null = null;
    if (groupName !== null) {
      const g = groups[i];
      if (gt.ms !== U64_MAX || gt.seq !== U64_MAX) {
        serve = history = true;
      } else if (s.hasLiveAfter(g.lastId)) {
        serve = true;
        gt = g.lastId;
      }
      consumer = g.consumers.get(consumerName) ?? null;
      if (consumer === null) {
        consumer = createConsumer(c, g, consumerName, key);
        if (noack && propagating(c)) alsoPropagate(c, ['XGROUP', 'CREATECONSUMER', key, groupName, consumerName]);
      }
      consumer.seenTime = now;
    } else if (s.hasLiveAfter(gt)) {
      serve = true;
    }
    if (!serve) continue;
    if (served++ === 0) mark = r.deferLen();
    const start = nextId(gt) ?? ZERO_ID;
    if (r.resp === 2) r.array(2);
    r.bulk(key);
    if (groupName !== null) {
      if (history) replyConsumerHistory(c, s, start, count, consumer!);
      else replyGroupRange(c, s, key, groupName, start, count, groups[i], consumer!, noack);
      c.server.dirty++;
    } else {
      replyRange(r, s, start, null, count, false);
    }
  }
  if (xreadgroup) preventPropagation(c);
  if (served !== 0) {
    if (r.resp === 2) r.setDeferredArray(mark, served);
    else r.setDeferredMap(mark, served);
    return;
  }
  if (deadline !== -1) {
    // Not allowed to block (MULTI, scripts): as if the timeout expired.
    if (!canBlock(c)) {
      r.nullArray();
      return;
    }
    // `$` becomes the last ID now, or re-execution would wait forever.
    if (hasDollar) {
      const rewritten = c.argv.slice();
      for (let k = 0; k < nstreams; k++) {
        const at = streamsArg + nstreams + k;
        if (rewritten[at] === '$') rewritten[at] = String(ids[k]);
      }
      c.argv = rewritten;
    }
    blockForKeys(c, argv.slice(streamsArg, streamsArg + nstreams), deadline, 'nullArray', { unblockOnNoKey: xreadgroup });
    return;
  }
  r.nullArray();
}

function xread(c: Client, argv: string[]): void {
  xreadGeneric(c, argv, false);
}

function xreadgroup(c: Client, argv: string[]): void {
  xreadGeneric(c, argv, true);
}

// ---------------------------------------------------------------------------
// XGROUP

const XGROUP_HELP = [
  'CREATE <key> <groupname> <id|$> [option]',
  '    Create a new consumer group. Options are:',
  '    * MKSTREAM',
  '      Create the empty stream if it does not exist.',
  '    * ENTRIESREAD entries_read',
  "      Set the group's entries_read counter (internal use).",
  'CREATECONSUMER <key> <groupname> <consumer>',
  '    Create a new consumer in the specified group.',
  'DELCONSUMER <key> <groupname> <consumer>',
  '    Remove the specified consumer.',
  'DESTROY <key> <groupname>',
  '    Remove the specified group.',
  'SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]',
  '    Set the current group ID and entries_read counter.',
];

/** The shared part of the XGROUP subcommands (xgroupCommand): options, key and group checks, then the subcommand. */
function xgroupGeneric(c: Client, argv: string[]): void {
  const sub = argv[1].toUpperCase();
  const argc = argv.length;
  let mkstream = false;
  let entriesRead: U64 = INVALID_ENTRIES_READ;
  let s: Stream | undefined;
  let g: ConsumerGroup | undefined;
  const key = argv[2];
  const groupName = argv[3];
  for (let i = 5; i < argc; ) {
    if (sub === 'CREATE' && isArg(argv[i], 'MKSTREAM')) {
      mkstream = true;
      i++;
    } else if ((sub === 'CREATE' || sub === 'SETID') && isArg(argv[i], 'ENTRIESREAD') && i + 1 < argc) {
      const v = getInt64Arg(c, argv[i + 1]);
      if (v === null) return;
      if (v < 0 && v !== INVALID_ENTRIES_READ) {
        c.reply.error('ERR value for ENTRIESREAD must be positive or -1');
        return;
      }
      entriesRead = v;
      i += 2;
    } else {
      subcommandSyntaxError(c, argv, 'XGROUP');
      return;
    }
  }
  const found = writeStream(c, key);
  if (found === null) return;
  s = found;
  if (!mkstream) {
    if (s === undefined) {
      c.reply.error(
        'ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.',
      );
      return;
    }
    g = lookupGroup(s, groupName);
    if (g === undefined && (sub === 'SETID' || sub === 'CREATECONSUMER' || sub === 'DELCONSUMER')) {
      c.reply.error(`NOGROUP No such consumer group '${groupName}' for key name '${key}'`);
      return;
    }
  }
  const db = c.db;
  if (sub === 'CREATE' && argc >= 5 && argc <= 8) {
    let id: StreamId;
    if (argv[4] === '$') {
      id = s === undefined ? ZERO_ID : s.lastId;
    } else {
      const p = strictIdArg(c, argv[4]);
      if (p === null) return;
      id = p;
    }
    if (s === undefined) {
      const o = newStreamObject();
      db.add(key, o);
      s = o.value as Stream;
      db.modified(key);
    }
    if (lookupGroup(s, groupName) !== undefined) {
      c.reply.error('BUSYGROUP Consumer Group name already exists');
      return;
    }
    s.addGroup(groupName, new ConsumerGroup(id, entriesRead));
    c.reply.ok();
    c.server.dirty++;
    db.notify(Notify.Stream, 'xgroup-create', key);
  } else if (sub === 'SETID' && (argc === 5 || argc === 7)) {
    let id: StreamId;
    if (argv[4] === '$') {
      id = s!.lastId;
    } else {
      const p = parseStreamId(argv[4], 0, false);
      if (p === null) {
        c.reply.error(ERR_INVALID_ID);
        return;
      }
      id = p;
    }
    g!.lastId = id;
    g!.entriesRead = entriesRead;
    c.reply.ok();
    c.server.dirty++;
    db.notify(Notify.Stream, 'xgroup-setid', key);
  } else if (sub === 'DESTROY' && argc === 4) {
    if (g !== undefined) {
      s!.deleteGroup(groupName);
      c.reply.int(1);
      c.server.dirty++;
      db.notify(Notify.Stream, 'xgroup-destroy', key);
      // Consumers blocked in XREADGROUP on this group get -NOGROUP.
      db.ready(key);
    } else {
      c.reply.int(0);
    }
  } else if (sub === 'CREATECONSUMER' && argc === 5) {
    if (g!.consumers.has(argv[4])) {
      c.reply.int(0);
    } else {
      createConsumer(c, g!, argv[4], key);
      c.reply.int(1);
    }
  } else if (sub === 'DELCONSUMER' && argc === 5) {
    const cons = g!.consumers.get(argv[4]);
    let pending = 0;
    if (cons !== undefined) {
      pending = cons.pel.size;
      for (const [ms, seq] of cons.pel.entries()) g!.pel.delete(ms, seq);
      g!.deleteConsumer(argv[4]);
      c.server.dirty++;
      db.notify(Notify.Stream, 'xgroup-delconsumer', key);
    }
    c.reply.int(pending);
  } else {
    subcommandSyntaxError(c, argv, 'XGROUP');
  }
}

function xgroupHelp(c: Client): void {
  replyHelp(c, 'XGROUP', XGROUP_HELP);
}

// ---------------------------------------------------------------------------
// XACK, XPENDING

function xack(c: Client, argv: string[]): void {
  const s = readStream(c, argv[1]);
  if (s === null) return;
  const g = s === undefined ? undefined : lookupGroup(s, argv[2]);
  if (g === undefined) {
    c.reply.int(0);
    return;
  }
  // All IDs are checked first: the reply cannot be an error once something was acknowledged.
  const ids: StreamId[] = [];
  for (let j = 3; j < argv.length; j++) {
    const id = strictIdArg(c, argv[j]);
    if (id === null) return;
    ids.push(id);
  }
  let acked = 0;
  for (const id of ids) {
    const nack = g.pel.delete(id.ms, id.seq);
    if (nack === undefined) continue;
    nack.consumer!.pel.delete(id.ms, id.seq);
    acked++;
    c.server.dirty++;
  }
  c.reply.int(acked);
}

function xpending(c: Client, argv: string[]): void {
  const argc = argv.length;
  const key = argv[1];
  const groupName = argv[2];
  if (argc !== 3 && (argc < 6 || argc > 9)) {
    c.reply.error(ERR_SYNTAX);
    return;
  }
  let start = ZERO_ID;
  let end = MAX_ID;
  let count = 0;
  let minIdle = 0;
  let consumerName: string | null = null;
  if (argc >= 6) {
    let startIdx = 3;
    if (isArg(argv[3], 'IDLE')) {
      const v = getInt64Arg(c, argv[4]);
      if (v === null) return;
      minIdle = Number(v);
      if (argc < 8) {
        c.reply.error(ERR_SYNTAX);
        return;
      }
      startIdx += 2;
    }
    const cv = getInt64Arg(c, argv[startIdx + 2]);
    if (cv === null) return;
    count = cv < 0 ? 0 : countOf(cv);
    const st = intervalArg(c, argv[startIdx], 0, true);
    if (st === null) return;
    const en = intervalArg(c, argv[startIdx + 1], U64_MAX, false);
    if (en === null) return;
    start = st;
    end = en;
    if (startIdx + 3 < argc) consumerName = argv[startIdx + 3];
  }
  const s = readStream(c, key);
  if (s === null) return;
  const g = s === undefined ? undefined : lookupGroup(s, groupName);
  if (g === undefined) {
    c.reply.error(`NOGROUP No such key '${key}' or consumer group '${groupName}'`);
    return;
  }
  const r = c.reply;
  if (argc === 3) {
    r.array(4);
    r.int(g.pel.size);
    if (g.pel.size === 0) {
      r.null();
      r.null();
      r.nullArray();
      return;
    }
    const first = g.pel.first();
    r.bulkIdPair(first.ms, first.seq);
    const last = g.pel.last();
    r.bulkIdPair(last.ms, last.seq);
    const owners = g.sortedConsumers().filter((cons) => cons.pel.size !== 0);
    r.array(owners.length);
    for (const cons of owners) {
      r.array(2);
      r.bulk(cons.name);
      r.bulk(String(cons.pel.size));
    }
    return;
  }
  let pel = g.pel;
  if (consumerName !== null) {
    const cons = g.consumers.get(consumerName);
    if (cons === undefined) {
      r.array(0);
      return;
    }
    pel = cons.pel;
  }
  const now = c.server.keyspace.now;
  const mark = r.deferLen();
  let n = 0;
  for (const cur = pel.seekGE(start.ms, start.seq); count > 0 && cur.valid && cmpId(cur.ms, cur.seq, end.ms, end.seq) <= 0; cur.next()) {
    const nack = cur.value;
    if (minIdle !== 0 && now - nack.deliveryTime < minIdle) continue;
    n++;
    count--;
    r.array(4);
    r.bulkIdPair(cur.ms, cur.seq);
    r.bulk(nack.consumer!.name);
    const elapsed = now - nack.deliveryTime;
    r.int(elapsed < 0 ? 0 : elapsed);
    replyInt64(r, nack.deliveryCount);
  }
  r.setDeferredArray(mark, n);
}

// ---------------------------------------------------------------------------
// XCLAIM, XAUTOCLAIM

function xclaim(c: Client, argv: string[]): void {
  const key = argv[1];
  const groupName = argv[2];
  const s = readStream(c, key);
  if (s === null) return;
  const g = s === undefined ? undefined : lookupGroup(s, groupName);
  if (s === undefined || g === undefined) {
    c.reply.error(`NOGROUP No such key '${key}' or consumer group '${groupName}'`);
    return;
  }
  const mi = getInt64Arg(c, argv[4], 'ERR Invalid min-idle-time argument for XCLAIM');
  if (mi === null) return;
  const minIdle = mi < 0 ? 0 : Number(mi);
  // IDs up to the first argument that is not one; the rest are options.
  const ids: StreamId[] = [];
  let j = 5;
  for (; j < argv.length; j++) {
    const id = parseStreamId(argv[j], 0, true);
    if (id === null) break;
    ids.push(id);
  }
  const now = c.server.keyspace.now;
  let force = false;
  let justid = false;
  let retryCount: U64 = -1;
  let deliveryTime = -1;
  let lastId = ZERO_ID;
  for (; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    const opt = argv[j];
    if (isArg(opt, 'FORCE')) {
      force = true;
    } else if (isArg(opt, 'JUSTID')) {
      justid = true;
    } else if (more > 0 && isArg(opt, 'IDLE')) {
      const v = getInt64Arg(c, argv[++j], 'ERR Invalid IDLE option argument for XCLAIM');
      if (v === null) return;
      deliveryTime = now - Number(v);
    } else if (more > 0 && isArg(opt, 'TIME')) {
      const v = getInt64Arg(c, argv[++j], 'ERR Invalid TIME option argument for XCLAIM');
      if (v === null) return;
      deliveryTime = Number(v);
    } else if (more > 0 && isArg(opt, 'RETRYCOUNT')) {
      const v = getInt64Arg(c, argv[++j], 'ERR Invalid RETRYCOUNT option argument for XCLAIM');
      if (v === null) return;
      retryCount = v;
    } else if (more > 0 && isArg(opt, 'LASTID')) {
      const id = strictIdArg(c, argv[++j]);
      if (id === null) return;
      lastId = id;
    } else {
      c.reply.error(`ERR Unrecognized XCLAIM option '${opt}'`);
      return;
    }
  }
  let propagateLastId = false;
  if (lastId.cmp(g.lastId) > 0) {
    g.lastId = lastId;
    propagateLastId = true;
  }
  // A bogus delivery time (negative or in the future) means now, not an error.
  if (deliveryTime < 0 || deliveryTime > now || Number.isNaN(deliveryTime)) deliveryTime = now;
  let consumer = g.consumers.get(argv[3]);
  if (consumer === undefined) consumer = createConsumer(c, g, argv[3], key);
  consumer.seenTime = now;
  const r = c.reply;
  const mark = r.deferLen();
  let n = 0;
  for (let k = 0; k < ids.length; k++) {
    const id = ids[k];
    const idArg = argv[5 + k];
    let nack = g.pel.get(id.ms, id.seq);
    if (!s.has(id)) {
      // The entry is gone: drop it from the pending lists.
      if (nack !== undefined) {
        propagateXclaim(c, key, g, groupName, idArg, nack);
        propagateLastId = false;
        c.server.dirty++;
        g.pel.delete(id.ms, id.seq);
        nack.consumer!.pel.delete(id.ms, id.seq);
      }
      continue;
    }
    if (force && nack === undefined) {
      nack = new Nack(now, 1, null);
      g.pel.set(id.ms, id.seq, nack);
    }
    if (nack === undefined) continue;
    if (nack.consumer !== null && minIdle !== 0 && now - nack.deliveryTime < minIdle) continue;
    if (nack.consumer !== consumer && nack.consumer !== null) nack.consumer.pel.delete(id.ms, id.seq);
    nack.deliveryTime = deliveryTime;
    if (retryCount >= 0) nack.deliveryCount = retryCount;
    else if (!justid) nack.deliveryCount = add1(nack.deliveryCount);
    if (nack.consumer !== consumer) {
      consumer.pel.set(id.ms, id.seq, nack);
      nack.consumer = consumer;
    }
    if (justid) replyId(r, id);
    else replyEntryById(r, s, id);
    n++;
    consumer.activeTime = now;
    propagateXclaim(c, key, g, groupName, idArg, nack);
    propagateLastId = false;
    c.server.dirty++;
  }
  if (propagateLastId) {
    propagateGroupId(c, key, g, groupName);
    c.server.dirty++;
  }
  r.setDeferredArray(mark, n);
  preventPropagation(c);
}

/** ztrymalloc of COUNT IDs fails past the address space (x86-64: 128 TiB): Redis then refuses the COUNT. */
const AUTOCLAIM_MAX_BYTES = 2 ** 47;

function xautoclaim(c: Client, argv: string[]): void {
  const key = argv[1];
  const groupName = argv[2];
  const mi = getInt64Arg(c, argv[4], 'ERR Invalid min-idle-time argument for XAUTOCLAIM');
  if (mi === null) return;
  const minIdle = mi < 0 ? 0 : Number(mi);
  const start = intervalArg(c, argv[5], 0, true);
  if (start === null) return;
  let count = 100;
  let justid = false;
  for (let j = 6; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (more > 0 && isArg(argv[j], 'COUNT')) {
      const v = parseInt64(argv[j + 1]);
      // LONG_MAX / max(sizeof(streamID), attempts factor 10)
      if (v === null || v < 1 || v > 576460752303423487n) {
        c.reply.error('ERR COUNT must be > 0');
        return;
      }
      count = Number(v);
      j++;
    } else if (isArg(argv[j], 'JUSTID')) {
      justid = true;
    } else {
      c.reply.error(ERR_SYNTAX);
      return;
    }
  }
  const s = readStream(c, key);
  if (s === null) return;
  const g = s === undefined ? undefined : lookupGroup(s, groupName);
  if (s === undefined || g === undefined) {
    c.reply.error(`NOGROUP No such key '${key}' or consumer group '${groupName}'`);
    return;
  }
  if (count * 16 >= AUTOCLAIM_MAX_BYTES) {
    c.reply.error('ERR Insufficient memory, failed allocating transient memory, COUNT too high.');
    return;
  }
  const now = c.server.keyspace.now;
  let consumer = g.consumers.get(argv[3]);
  if (consumer === undefined) consumer = createConsumer(c, g, argv[3], key);
  consumer.seenTime = now;
  const r = c.reply;
  r.array(3);
  const cursorMark = r.deferLen();
  const claimedMark = r.deferLen();
  let attempts = count * 10;
  let claimed = 0;
  const deletedIds: StreamId[] = [];
  const cur = g.pel.seekGE(start.ms, start.seq);
  while (attempts-- > 0 && count > 0 && cur.valid) {
    const nack = cur.value;
    const id = new StreamId(cur.ms, cur.seq);
    if (!s.has(id)) {
      propagateXclaim(c, key, g, groupName, String(id), nack);
      c.server.dirty++;
      g.pel.delete(id.ms, id.seq);
      nack.consumer!.pel.delete(id.ms, id.seq);
      deletedIds.push(id);
      g.pel.seekGE(id.ms, id.seq, cur);
      count--;
      continue;
    }
    if (minIdle !== 0 && now - nack.deliveryTime < minIdle) {
      cur.next();
      continue;
    }
    if (nack.consumer !== consumer && nack.consumer !== null) nack.consumer.pel.delete(id.ms, id.seq);
    nack.deliveryTime = now;
    if (!justid) nack.deliveryCount = add1(nack.deliveryCount);
    if (nack.consumer !== consumer) {
      consumer.pel.set(id.ms, id.seq, nack);
      nack.consumer = consumer;
    }
    if (justid) replyId(r, id);
    else replyEntryById(r, s, id);
    claimed++;
    count--;
    consumer.activeTime = now;
    propagateXclaim(c, key, g, groupName, String(id), nack);
    c.server.dirty++;
    // The consumer's list changed, the group's did not: the cursor is still good.
    cur.next();
  }
  // The next entry is the cursor for the next call (0-0 at the end).
  const next = cur.valid ? new StreamId(cur.ms, cur.seq) : ZERO_ID;
  r.setDeferredArray(claimedMark, claimed);
  // The cursor goes where its mark was, before the claimed entries.
  insertCursor(r, cursorMark, next);
  r.array(deletedIds.length);
  for (const id of deletedIds) replyId(r, id);
  preventPropagation(c);
}

/** Writes a bulk ID at a deferred mark (setDeferredReplyStreamID). */
function insertCursor(r: Reply, mark: number, id: StreamId): void {
  const text = String(id);
  r.setDeferredBulk(mark, text);
}

// ---------------------------------------------------------------------------
// XINFO

const XINFO_HELP = [
  'CONSUMERS <key> <groupname>',
  '    Show consumers of <groupname>.',
  'GROUPS <key>',
  '    Show the stream consumer groups.',
  'STREAM <key> [FULL [COUNT <count>]',
  '    Show information about the stream.',
];

function xinfoHelp(c: Client): void {
  replyHelp(c, 'XINFO', XINFO_HELP);
}

function xinfoConsumers(c: Client, argv: string[]): void {
  const key = argv[2];
  const s = readStream(c, key);
  if (s === null) return;
  if (s === undefined) {
    c.reply.error(ERR_NO_SUCH_KEY);
    return;
  }
  const g = lookupGroup(s, argv[3]);
  if (g === undefined) {
    c.reply.error(`NOGROUP No such consumer group '${argv[3]}' for key name '${key}'`);
    return;
  }
  const r = c.reply;
  const now = c.server.keyspace.now;
  const list = g.sortedConsumers();
  r.array(list.length);
  for (const cons of list) {
    const inactive = cons.activeTime !== -1 ? now - cons.activeTime : -1;
    const idle = now - cons.seenTime;
    r.map(4);
    r.bulk('name');
    r.bulk(cons.name);
    r.bulk('pending');
    r.int(cons.pel.size);
    r.bulk('idle');
    r.int(idle < 0 ? 0 : idle);
    r.bulk('inactive');
    r.int(inactive);
  }
}

function replyEntriesRead(r: Reply, g: ConsumerGroup): void {
  if (g.entriesRead !== INVALID_ENTRIES_READ) replyInt64(r, g.entriesRead);
  else r.null();
}

function replyLag(r: Reply, s: Stream, g: ConsumerGroup): void {
  const lag = s.groupLag(g);
  if (lag === null) r.null();
  else replyInt64(r, lag);
}

function xinfoGroups(c: Client, argv: string[]): void {
  const s = readStream(c, argv[2]);
  if (s === null) return;
  if (s === undefined) {
    c.reply.error(ERR_NO_SUCH_KEY);
    return;
  }
  const r = c.reply;
  const groups = s.sortedGroups();
  r.array(groups.length);
  for (const [name, g] of groups) {
    r.map(6);
    r.bulk('name');
    r.bulk(name);
    r.bulk('consumers');
    r.int(g.consumers.size);
    r.bulk('pending');
    r.int(g.pel.size);
    r.bulk('last-delivered-id');
    replyId(r, g.lastId);
    r.bulk('entries-read');
    replyEntriesRead(r, g);
    r.bulk('lag');
    replyLag(r, s, g);
  }
}

function xinfoStream(c: Client, argv: string[]): void {
  const s = readStream(c, argv[2]);
  if (s === null) return;
  if (s === undefined) {
    c.reply.error(ERR_NO_SUCH_KEY);
    return;
  }
  const optc = argv.length - 3;
  let full = false;
  let count = 10;
  if (optc !== 0) {
    if ((optc !== 1 && optc !== 3) || !isArg(argv[3], 'FULL') || (optc === 3 && !isArg(argv[4], 'COUNT'))) {
      subcommandSyntaxError(c, argv, 'XINFO');
      return;
    }
    full = true;
    if (optc === 3) {
      const v = getInt64Arg(c, argv[5]);
      if (v === null) return;
      count = v < 0 ? 10 : countOf(v);
    }
  }
  const r = c.reply;
  r.map(full ? 9 : 10);
  r.bulk('length');
  r.int(s.length);
  r.bulk('radix-tree-keys');
  r.int(s.nodes.size);
  r.bulk('radix-tree-nodes');
  r.int(s.raxNodes);
  r.bulk('last-generated-id');
  replyId(r, s.lastId);
  r.bulk('max-deleted-entry-id');
  replyId(r, s.maxDeletedId);
  r.bulk('entries-added');
  replyInt64(r, s.entriesAdded);
  r.bulk('recorded-first-entry-id');
  replyId(r, s.firstId);
  if (!full) {
    r.bulk('groups');
    r.int(s.groups === null ? 0 : s.groups.size);
    r.bulk('first-entry');
    if (!replyFirst(r, s, false)) r.null();
    r.bulk('last-entry');
    if (!replyFirst(r, s, true)) r.null();
    return;
  }
  r.bulk('entries');
  replyRange(r, s, null, null, count, false);
  r.bulk('groups');
  const groups = s.sortedGroups();
  r.array(groups.length);
  for (const [name, g] of groups) {
    r.map(7);
    r.bulk('name');
    r.bulk(name);
    r.bulk('last-delivered-id');
    replyId(r, g.lastId);
    r.bulk('entries-read');
    replyEntriesRead(r, g);
    r.bulk('lag');
    replyLag(r, s, g);
    r.bulk('pel-count');
    r.int(g.pel.size);
    r.bulk('pending');
    let mark = r.deferLen();
    let n = 0;
    for (const cur = g.pel.first(); cur.valid && (count === 0 || n < count); cur.next()) {
      const nack = cur.value;
      r.array(4);
      r.bulkIdPair(cur.ms, cur.seq);
      r.bulk(nack.consumer!.name);
      r.int(nack.deliveryTime);
      replyInt64(r, nack.deliveryCount);
      n++;
    }
    r.setDeferredArray(mark, n);
    r.bulk('consumers');
    const consumers = g.sortedConsumers();
    r.array(consumers.length);
    for (const cons of consumers) {
      r.map(5);
      r.bulk('name');
      r.bulk(cons.name);
      r.bulk('seen-time');
      r.int(cons.seenTime);
      r.bulk('active-time');
      r.int(cons.activeTime);
      r.bulk('pel-count');
      r.int(cons.pel.size);
      r.bulk('pending');
      mark = r.deferLen();
      n = 0;
      for (const cur = cons.pel.first(); cur.valid && (count === 0 || n < count); cur.next()) {
        const nack = cur.value;
        r.array(3);
        r.bulkIdPair(cur.ms, cur.seq);
        r.int(nack.deliveryTime);
        replyInt64(r, nack.deliveryCount);
        n++;
      }
      r.setDeferredArray(mark, n);
    }
  }
}

/** The first (or last) live entry, without an enclosing array; false if the stream is empty. */
function replyFirst(r: Reply, s: Stream, last: boolean): boolean {
  const it = s.iter(null, null, last);
  if (!it.next()) return false;
  replyEntry(r, it);
  return true;
}

// ---------------------------------------------------------------------------

export const handlers: HandlerMap = {
  xadd,
  xtrim,
  xrange,
  xrevrange,
  xlen,
  xdel,
  xsetid,
  xread,
  xreadgroup,
  'xgroup|create': xgroupGeneric,
  'xgroup|setid': xgroupGeneric,
  'xgroup|destroy': xgroupGeneric,
  'xgroup|createconsumer': xgroupGeneric,
  'xgroup|delconsumer': xgroupGeneric,
  'xgroup|help': xgroupHelp,
  xack,
  xpending,
  xclaim,
  xautoclaim,
  'xinfo|help': xinfoHelp,
  'xinfo|consumers': xinfoConsumers,
  'xinfo|groups': xinfoGroups,
  'xinfo|stream': xinfoStream,
};
