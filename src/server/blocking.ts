// Blocking operations: clients waiting on keys (BLPOP, BLMOVE, BZPOPMIN,
// XREAD BLOCK, ...) or on other events (WAIT), with timeouts.
//
// The model is Redis 7's "reprocessing" one:
//
// - A blocking command that cannot be served calls blockForKeys(): the client
//   gets ClientFlag.Blocked (its further pipelined input waits, CLIENT LIST
//   shows flag b) and joins a FIFO queue per db+key.
// - Writes that may serve a waiter signal the key as ready (Db.ready(), or
//   Db.add/setKey for list/zset/stream values). The keyspace `ready` hook only
//   records keys that have waiters.
// - After the command that made keys ready completes (an afterCommand task
//   that runs only when callDepth === 0, so a push inside MULTI/EXEC or a
//   script wakes waiters only once it finished), each waiter of each ready key,
//   first come first served, is unblocked and its command re-executed through
//   the dispatcher's call() with the same argv. If it still cannot be served it
//   blocks again (keeping its original deadline) at the tail of the queue.
//   A waiter is only woken when the key holds the type it waits for (a list
//   for BLPOP, ...), or on any change when it asked for unblockOnNoKey
//   (XREADGROUP): re-execution then replies what a fresh command would.
// - Timeouts: one min-heap of deadlines and a single timer armed for the
//   earliest one. A timed-out client gets the timeout reply of its command.
// - CLIENT UNBLOCK (commands/blocking.ts) unblocks as a timeout or with an
//   -UNBLOCKED error; a disconnecting client is removed from every queue.
//
// Command stats count a blocked command once: the dispatcher skips stats while
// the client is Blocked; the execution that serves it, or the timeout/unblock
// here, counts it (Redis 7.2).
//
// State lives per Server (several servers may share a process), created on
// first use together with its hooks.

import { ClientFlag, type Client } from './client.js';
import type { Server } from './server.js';
import type { Db } from '../db/keyspace.js';
import { ObjType } from '../db/robj.js';
import { call, recordUnblocked, reject } from '../commands/dispatch.js';
import { OOM_ERROR, oomRejects } from './memory.js';
import { isPausedFor } from '../commands/client.js';
import type { Command } from '../commands/types.js';
import { strtod, parseInt64 } from '../protocol/format.js';
import { wallMs } from '../util/clock.js';

/** What a blocked client waits for (Redis's BLOCKED_*). */
export const enum BlockType {
  None = 0,
  List = 1,
  ZSet = 2,
  Stream = 3,
  /** WAIT / WAITAOF and other non-key waits. */
  Wait = 4,
  Other = 5,
}

/** The reply a client gets when its blocking command times out. */
export type TimeoutReply = 'nullArray' | 'null' | ((c: Client) => void);

export interface BlockOptions {
  /** Value type that can serve the waiter; derived from the command's ACL category (@list, @sortedset, @stream) if absent. */
  type?: BlockType;
  /** Also wake the client when the key is deleted or changes type (XREADGROUP). */
  unblockOnNoKey?: boolean;
}

/** The blocked state of one client (Client.blocking). */
export class BlockState {
  /** Position in the timeout heap, -1 when not in it. */
  heapIndex = -1;
  constructor(
    readonly client: Client,
    readonly type: BlockType,
    readonly db: Db,
    readonly keys: string[],
    readonly deadline: number,
    readonly timeoutReply: TimeoutReply,
    readonly cmd: Command | null,
    readonly argv: string[],
    readonly unblockOnNoKey: boolean,
    readonly onUnblock: ((c: Client) => void) | null,
  ) {}
}

/** Waiters of one key, in arrival order. */
interface KeyQueue {
  list: BlockState[];
  /** Waiters that also wake on deletion (for total_blocking_keys_on_nokey). */
  nokey: number;
}

interface ReadyKey {
  db: Db;
  key: string;
}

class BlockingState {
  /** Per db id: key -> waiters. */
  readonly waiting: (Map<string, KeyQueue> | undefined)[] = [];
  ready: ReadyKey[] = [];
  readonly readySet = new Set<string>();
  /** Min-heap of timed blocks by deadline. */
  readonly heap: BlockState[] = [];
  timer: NodeJS.Timeout | null = null;
  timerAt = 0;
  handling = false;
  immediate = false;
  /** Clients unblocked whose pending input must be processed. */
  unblocked: Client[] = [];
  /** Original deadline of the blocked command being re-executed (its client has ClientFlag.Reprocessing). */
  reprocessingDeadline = 0;
  /** The function installed as keyspace.hooks.ready. */
  readyHook: ((db: Db, key: string) => void) | null = null;
  /** The function installed as keyspace.hooks.modified once a waiter asked for unblockOnNoKey. */
  modifiedHook: ((db: Db, key: string) => void) | null = null;

  constructor(readonly server: Server) {}
}

const states = new WeakMap<Server, BlockingState>();

function state(server: Server): BlockingState {
  let st = states.get(server);
  if (st === undefined) {
    const s = new BlockingState(server);
    st = s;
    states.set(server, s);
    server.afterCommandTasks.push(() => {
      if (server.callDepth === 0 && (s.ready.length !== 0 || s.unblocked.length !== 0)) handleReady(s);
    });
    server.clientCloseHooks.push((c) => {
      if (c.blocking instanceof BlockState) removeBlock(s, c);
    });
  }
  installReadyHook(st);
  return st;
}

/** Chains our ready hook after the keyspace's (again if someone replaced the hooks object). */
function installReadyHook(st: BlockingState): void {
  const hooks = st.server.keyspace.hooks;
  if (hooks.ready === st.readyHook) return;
  const prev = hooks.ready;
  st.readyHook = (db, key) => {
    prev(db, key);
    signalReady(st, db, key);
  };
  hooks.ready = st.readyHook;
}

/**
 * Waiters with unblockOnNoKey (XREADGROUP) must also wake when their key is
 * deleted or overwritten (Redis's signalDeletedKeyAsReady): chain a check on
 * the keyspace `modified` hook, installed only once such a waiter exists.
 */
function installModifiedHook(st: BlockingState): void {
  const hooks = st.server.keyspace.hooks;
  if (hooks.modified === st.modifiedHook) return;
  const prev = hooks.modified;
  st.modifiedHook = (db, key) => {
    prev(db, key);
    const q = st.waiting[db.id]?.get(key);
    if (q !== undefined && q.nokey !== 0) signalReady(st, db, key);
  };
  hooks.modified = st.modifiedHook;
}

// ---------------------------------------------------------------------------
// Public API

/**
 * Parses a blocking timeout argument (seconds as a double, 0 = forever) like
 * Redis: 'ERR timeout is not a float or out of range', 'ERR timeout is
 * negative', 'ERR timeout is out of range'. Returns an absolute deadline in
 * ms (0 = forever), or null after replying the error.
 */
export function getTimeoutArg(c: Client, s: string): number | null {
  const v = parseLongDouble(s);
  if (v === null) {
    c.reply.error('ERR timeout is not a float or out of range');
    return null;
  }
  const ms = v * 1000;
  if (ms > 9223372036854775807) {
    c.reply.error('ERR timeout is out of range');
    return null;
  }
  return finishTimeout(c, Math.ceil(ms));
}

/**
 * Redis's string2ld (strtold over the whole string): no spaces, no NaN,
 * ERANGE rejected. A long double reaches about 1e4932 and, subnormal, 1e-4950,
 * far past a double: a decimal that a double rounds to 0 or Infinity keeps
 * its sign and direction here (±Number.MIN_VALUE or ±Infinity), so a timeout
 * of 1e-400 s is 1 ms, as in Redis, and not 0 (forever); one beyond the long
 * double range is an error.
 */
function parseLongDouble(s: string): number | null {
  const n = s.length;
  if (n === 0 || n > 5 * 1024) return null;
  const c0 = s.charCodeAt(0);
  if (c0 === 32 || (c0 >= 9 && c0 <= 13)) return null;
  const v = strtod(s);
  if (v === null || Number.isNaN(v)) return null;
  if (v !== 0 && Number.isFinite(v)) return v;
  const mag = decimalMagnitude(s);
  if (mag === null) return v;
  if (mag > 4932 || mag < -4950) return null;
  if (v !== 0) return v;
  return c0 === 45 ? -Number.MIN_VALUE : Number.MIN_VALUE;
}

/**
 * The decimal exponent of the first significant digit of a decimal number
 * (1e-400: -400, 0.012: -2), or null for a zero mantissa or any other form
 * (hex, inf).
 */
function decimalMagnitude(s: string): number | null {
  const m = /^[+-]?0*(\d*)\.?(\d*)(?:[eE]([+-]?\d+))?$/.exec(s);
  if (m === null) return null;
  const exp = m[3] === undefined ? 0 : Number(m[3]);
  if (/[1-9]/.test(m[1])) return exp + m[1].length - 1;
  const lead = m[2].search(/[1-9]/);
  return lead < 0 ? null : exp - lead - 1;
}

/** Like getTimeoutArg for timeouts in milliseconds (XREAD BLOCK, WAIT): 'ERR timeout is not an integer or out of range'. */
export function getTimeoutArgMs(c: Client, s: string): number | null {
  const v = parseInt64(s);
  if (v === null) {
    c.reply.error('ERR timeout is not an integer or out of range');
    return null;
  }
  return finishTimeout(c, Number(v));
}

function finishTimeout(c: Client, tval: number): number | null {
  if (tval < 0) {
    c.reply.error('ERR timeout is negative');
    return null;
  }
  if (tval > 0) {
    const now = c.server.keyspace.now;
    if (tval > 9223372036854775807 - now) {
      c.reply.error('ERR timeout is out of range');
      return null;
    }
    tval += now;
  }
  return tval;
}

/**
 * True if the client may block now (not inside MULTI/EXEC, a script, or a
 * nested call). When false the command must reply as if the timeout expired.
 */
export function canBlock(c: Client): boolean {
  return (c.flags & (ClientFlag.Multi | ClientFlag.Script | ClientFlag.Fake)) === 0 && c.server.callDepth <= 1;
}

/**
 * Blocks the client on keys until one is signalled ready (c.db.ready(key) /
 * keyspace hooks.ready) or the deadline passes. On ready, the blocked command
 * is re-executed through the dispatch path's call() with the same argv (Redis
 * 7 reprocessing model), and stays blocked if it still cannot be served. On
 * timeout, replies `timeoutReply` ('nullArray' | 'null', or a function).
 *
 * The argv kept is c.argv (the array the handler received): a command may
 * rewrite its elements before blocking (XREAD replaces `$` by the last ID).
 */
export function blockForKeys(c: Client, keys: string[], deadline: number, timeoutReply: TimeoutReply, opts?: BlockOptions): void {
  const st = state(c.server);
  if ((c.flags & ClientFlag.Reprocessing) !== 0) deadline = st.reprocessingDeadline;
  let type = opts?.type;
  if (type === undefined) type = blockTypeOfCommand(c.cmd);
  const unique = keys.length === 1 ? keys : [...new Set(keys)];
  const nokey = opts?.unblockOnNoKey === true;
  if (nokey) installModifiedHook(st);
  const bs = new BlockState(c, type, c.db, unique, deadline, timeoutReply, c.cmd, c.argv, nokey, null);
  let m = st.waiting[c.db.id];
  if (m === undefined) m = st.waiting[c.db.id] = new Map();
  const server = c.server;
  for (let i = 0; i < unique.length; i++) {
    const k = unique[i];
    let q = m.get(k);
    if (q === undefined) {
      q = { list: [], nokey: 0 };
      m.set(k, q);
      server.blockingKeys++;
    }
    q.list.push(bs);
    if (nokey && q.nokey++ === 0) server.blockingKeysOnNokey++;
  }
  enterBlocked(st, bs);
}

/**
 * Blocks the client on something other than keys (WAIT): it stays blocked
 * until unblockClient() is called or the deadline passes (then `timeoutReply`
 * replies). `onUnblock` runs whenever it leaves the blocked state.
 */
export function blockClient(
  c: Client,
  deadline: number,
  timeoutReply: TimeoutReply,
  type: BlockType = BlockType.Wait,
  onUnblock: ((c: Client) => void) | null = null,
): void {
  const st = state(c.server);
  if ((c.flags & ClientFlag.Reprocessing) !== 0) deadline = st.reprocessingDeadline;
  enterBlocked(st, new BlockState(c, type, c.db, [], deadline, timeoutReply, c.cmd, c.argv, false, onUnblock));
}

/**
 * Unblocks a client without replying (the caller has replied, e.g. WAIT got
 * its acks) and counts the command in the stats; its pending input is
 * processed after the current command. Returns false if it was not blocked.
 */
export function unblockClient(c: Client): boolean {
  if (!(c.blocking instanceof BlockState)) return false;
  const st = state(c.server);
  const bs = c.blocking;
  removeBlock(st, c);
  if (bs.cmd !== null) recordUnblocked(c, bs.cmd, bs.argv, false);
  queueUnblocked(st, c);
  return true;
}

/** The error CLIENT UNBLOCK ... ERROR gives the unblocked client. */
export const UNBLOCKED_ERROR = 'UNBLOCKED client unblocked via CLIENT UNBLOCK';

/**
 * Unblocks a client as if its timeout expired (error = false), or with
 * '-UNBLOCKED client unblocked via CLIENT UNBLOCK' (error = true). Returns
 * false if the client is not blocked.
 */
export function unblockClientByRequest(c: Client, error: boolean): boolean {
  if (!(c.blocking instanceof BlockState)) return false;
  const st = state(c.server);
  if (error) finishBlocked(st, c, UNBLOCKED_ERROR);
  else finishBlocked(st, c, null);
  return true;
}

/** Replies -UNBLOCKED to every blocked client and closes them (the instance turned into a replica). */
export function disconnectAllBlockedClients(server: Server): void {
  const st = states.get(server);
  if (st === undefined) return;
  for (const c of server.clients.values()) {
    if (!(c.blocking instanceof BlockState)) continue;
    removeBlock(st, c);
    c.reply.raw('-UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)\r\n');
    c.flags |= ClientFlag.CloseAfterReply;
    server.markPendingWrite(c);
  }
}

/** True while the client is blocked by this module. */
export function isBlocked(c: Client): boolean {
  return c.blocking instanceof BlockState;
}

/** Numbers for INFO: also kept in server.blockedClients / blockingKeys / blockingKeysOnNokey. */
export function blockingStats(server: Server): { blockedClients: number; blockingKeys: number; blockingKeysOnNokey: number; clientsInTimeoutTable: number } {
  const st = states.get(server);
  return {
    blockedClients: server.blockedClients,
    blockingKeys: server.blockingKeys,
    blockingKeysOnNokey: server.blockingKeysOnNokey,
    clientsInTimeoutTable: st === undefined ? 0 : st.heap.length,
  };
}

/**
 * Signals every key of `db` that has waiters and now holds a value (Redis's
 * scanDatabaseForReadyKeys): for changes that bring values under waited keys
 * without Db.add/setKey, such as SWAPDB swapping the contents of two dbs.
 */
export function signalReadyKeysOf(server: Server, db: Db): void {
  const st = states.get(server);
  const m = st?.waiting[db.id];
  if (st === undefined || m === undefined) return;
  for (const key of m.keys()) if (db.dict.has(key)) signalReady(st, db, key);
}

/** Serves clients blocked on keys signalled ready (normally run after each top-level command). */
export function handleClientsBlockedOnKeys(server: Server): void {
  const st = states.get(server);
  if (st !== undefined && server.callDepth === 0) handleReady(st);
}

// ---------------------------------------------------------------------------
// Internals

function blockTypeOfCommand(cmd: Command | null): BlockType {
  if (cmd === null) return BlockType.Other;
  const acl = cmd.meta.acl;
  if (acl.includes('list')) return BlockType.List;
  if (acl.includes('sortedset')) return BlockType.ZSet;
  if (acl.includes('stream')) return BlockType.Stream;
  return BlockType.Other;
}

function blockTypeOfValue(t: ObjType): BlockType {
  switch (t) {
    case ObjType.List:
      return BlockType.List;
    case ObjType.ZSet:
      return BlockType.ZSet;
    case ObjType.Stream:
      return BlockType.Stream;
    default:
      return BlockType.None;
  }
}

function enterBlocked(st: BlockingState, bs: BlockState): void {
  const c = bs.client;
  c.blocking = bs;
  c.flags |= ClientFlag.Blocked;
  st.server.blockedClients++;
  if (bs.deadline > 0) {
    heapPush(st.heap, bs);
    armTimer(st);
  }
}

/** Leaves the blocked state: out of every key queue and the timeout heap. No reply, no stats. */
function removeBlock(st: BlockingState, c: Client): void {
  const bs = c.blocking as BlockState;
  c.blocking = null;
  c.flags &= ~ClientFlag.Blocked;
  const server = st.server;
  server.blockedClients--;
  const keys = bs.keys;
  if (keys.length !== 0) {
    const m = st.waiting[bs.db.id]!;
    for (let i = 0; i < keys.length; i++) {
      const q = m.get(keys[i]);
      if (q === undefined) continue;
      const list = q.list;
      const idx = list.indexOf(bs);
      if (idx >= 0) {
        if (idx === 0) list.shift();
        else list.splice(idx, 1);
      }
      if (bs.unblockOnNoKey && --q.nokey === 0) server.blockingKeysOnNokey--;
      if (list.length === 0) {
        m.delete(keys[i]);
        server.blockingKeys--;
      }
    }
  }
  if (bs.heapIndex >= 0) {
    heapRemove(st.heap, bs);
    if (st.heap.length === 0) armTimer(st);
  }
  if (bs.onUnblock !== null) bs.onUnblock(c);
}


/** Ends a block with the timeout reply (err === null) or an error reply. */
function finishBlocked(st: BlockingState, c: Client, err: string | null): void {
  const bs = c.blocking as BlockState;
  removeBlock(st, c);
  if (err !== null) {
    c.reply.error(err);
  } else {
    const r = bs.timeoutReply;
    if (r === 'nullArray') c.reply.nullArray();
    else if (r === 'null') c.reply.null();
    else r(c);
  }
  if (bs.cmd !== null) recordUnblocked(c, bs.cmd, bs.argv, err !== null);
  queueUnblocked(st, c);
  st.server.markPendingWrite(c);
}

function queueUnblocked(st: BlockingState, c: Client): void {
  if ((c.flags & ClientFlag.Unblocked) !== 0) return;
  c.flags |= ClientFlag.Unblocked;
  st.unblocked.push(c);
  scheduleImmediate(st);
}

/**
 * A client that stopped waiting some other way (its command held by CLIENT
 * PAUSE was dropped) has its pipelined input read after the current command,
 * like an unblocked client.
 */
export function resumeInputAfterCommand(c: Client): void {
  queueUnblocked(state(c.server), c);
}

/** Resumes the pipelined input of clients that left the blocked state. */
function processUnblocked(st: BlockingState): void {
  const server = st.server;
  while (st.unblocked.length !== 0) {
    const list = st.unblocked;
    st.unblocked = [];
    for (let i = 0; i < list.length; i++) {
      const c = list[i];
      c.flags &= ~ClientFlag.Unblocked;
      if (c.closed || (c.flags & ClientFlag.Blocked) !== 0) continue;
      c.processInput();
      if (c.reply.size > 0 || (c.flags & ClientFlag.CloseAfterReply) !== 0) server.markPendingWrite(c);
    }
  }
}

/** For ready signals or unblocks outside any command (timers, cron): handle them on the next turn. */
function scheduleImmediate(st: BlockingState): void {
  if (st.immediate) return;
  st.immediate = true;
  setImmediate(() => {
    st.immediate = false;
    if (st.server.callDepth === 0) {
      handleReady(st);
      st.server.flushPending();
    }
  });
}

function signalReady(st: BlockingState, db: Db, key: string): void {
  const m = st.waiting[db.id];
  if (m === undefined || !m.has(key)) return;
  const id = db.id + '\0' + key;
  if (st.readySet.has(id)) return;
  st.readySet.add(id);
  st.ready.push({ db, key });
  if (st.server.callDepth === 0) scheduleImmediate(st);
}

/** Serves the waiters of every ready key, then resumes unblocked clients' input. */
function handleReady(st: BlockingState): void {
  if (st.handling) return;
  st.handling = true;
  try {
    while (st.ready.length !== 0) {
      const list = st.ready;
      st.ready = [];
      st.readySet.clear();
      for (let i = 0; i < list.length; i++) {
        const { db, key } = list[i];
        const q = st.waiting[db.id]?.get(key);
        if (q === undefined) continue;
        // Only the clients waiting now: one that blocks again goes to the tail and waits for the next signal.
        const waiters = q.list.slice();
        for (let j = 0; j < waiters.length; j++) {
          const bs = waiters[j];
          const c = bs.client;
          if (c.blocking !== bs) continue;
          const o = db.peek(key);
          if ((o !== undefined && blockTypeOfValue(o.type) === bs.type) || bs.unblockOnNoKey) reprocess(st, bs);
        }
      }
    }
  } finally {
    st.handling = false;
  }
  processUnblocked(st);
}

/** Unblocks the client and runs its command again; it may block again. */
function reprocess(st: BlockingState, bs: BlockState): void {
  const c = bs.client;
  const server = st.server;
  removeBlock(st, c);
  if (bs.cmd === null) return;
  // Redis runs the woken command through processCommand's checks again: out
  // of memory, a deny-oom one (BLMOVE, BRPOPLPUSH) is refused.
  // ACL rules may have changed while it waited.
  const aclCheck = server.dispatchHooks.checkAcl;
  const aclError = aclCheck !== null ? aclCheck(c, bs.cmd, bs.argv) : null;
  if (aclError !== null || (server.memory.oom && oomRejects(c, bs.cmd))) {
    c.blockedUsec = 0;
    reject(c, bs.cmd, aclError ?? OOM_ERROR);
    queueUnblocked(st, c);
    server.markPendingWrite(c);
    return;
  }
  if (server.pauseType !== 0 && isPausedFor(c, bs.cmd)) {
    // CLIENT PAUSE: the command is parked like a new one and runs again at unpause (Redis 7.2 postpones it).
    c.flags |= ClientFlag.Paused;
    server.pausedClients.push({ c, cmd: bs.cmd, argv: bs.argv });
    return;
  }
  const prevDeadline = st.reprocessingDeadline;
  st.reprocessingDeadline = bs.deadline;
  c.flags |= ClientFlag.Reprocessing;
  try {
    call(c, bs.cmd, bs.argv);
  } finally {
    c.flags &= ~ClientFlag.Reprocessing;
    st.reprocessingDeadline = prevDeadline;
  }
  if ((c.flags & ClientFlag.Blocked) === 0) {
    server.afterCommand(c);
    queueUnblocked(st, c);
  }
  server.markPendingWrite(c);
}

// --- timeouts --------------------------------------------------------------

function armTimer(st: BlockingState): void {
  const heap = st.heap;
  if (heap.length === 0) {
    if (st.timer !== null) {
      clearTimeout(st.timer);
      st.timer = null;
      st.timerAt = 0;
    }
    return;
  }
  const first = heap[0].deadline;
  if (st.timer !== null && st.timerAt <= first) return;
  if (st.timer !== null) clearTimeout(st.timer);
  st.timerAt = first;
  st.timer = setTimeout(onTimer, Math.max(0, first - wallMs()), st);
  st.timer.unref();
}

function onTimer(st: BlockingState): void {
  st.timer = null;
  st.timerAt = 0;
  const heap = st.heap;
  const now = wallMs();
  while (heap.length !== 0 && heap[0].deadline <= now) finishBlocked(st, heap[0].client, null);
  armTimer(st);
  if (st.server.callDepth === 0) {
    handleReady(st);
    st.server.flushPending();
  }
}

function heapPush(h: BlockState[], bs: BlockState): void {
  bs.heapIndex = h.length;
  h.push(bs);
  siftUp(h, bs.heapIndex);
}

function heapRemove(h: BlockState[], bs: BlockState): void {
  const i = bs.heapIndex;
  bs.heapIndex = -1;
  const last = h.pop()!;
  if (last === bs) return;
  h[i] = last;
  last.heapIndex = i;
  siftDown(h, i);
  siftUp(h, last.heapIndex);
}

function siftUp(h: BlockState[], i: number): void {
  const x = h[i];
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (h[p].deadline <= x.deadline) break;
    h[i] = h[p];
    h[i].heapIndex = i;
    i = p;
  }
  h[i] = x;
  x.heapIndex = i;
}

function siftDown(h: BlockState[], i: number): void {
  const n = h.length;
  const x = h[i];
  for (;;) {
    let m = 2 * i + 1;
    if (m >= n) break;
    if (m + 1 < n && h[m + 1].deadline < h[m].deadline) m++;
    if (h[m].deadline >= x.deadline) break;
    h[i] = h[m];
    h[i].heapIndex = i;
    i = m;
  }
  h[i] = x;
  x.heapIndex = i;
}
