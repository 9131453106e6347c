// CLIENT subcommands (UNBLOCK lives in blocking.ts): ID, INFO, LIST, KILL,
// GETNAME, SETNAME, SETINFO, NO-EVICT, NO-TOUCH, PAUSE, UNPAUSE, REPLY, HELP.
// Also the CLIENT PAUSE machinery the dispatcher consults (isPausedFor) and
// the CLIENT REPLY SKIP step it runs before each command (replySkipStep).

import { ClientFlag, type Client } from '../server/client.js';
import type { Server } from '../server/server.js';
import { CmdFlag, type Command, type HandlerMap } from './types.js';
import { ERR_SYNTAX, isArg, replyHelp } from './util.js';
import { parseInt64 } from '../protocol/format.js';
import { validClientName } from './connection.js';
import { pendingBytes } from '../server/socket-io.js';
import { recordUnblocked } from './dispatch.js';
import { resumeInputAfterCommand } from '../server/blocking.js';
import { queuedCount, queuedMemory, runningCommand } from './multi.js';
import { TrackingOpt } from '../server/tracking.js';

// ------------------------------------------------------------- client info

const enum ClientType {
  Normal = 0,
  Replica = 1,
  PubSub = 2,
  Master = 3,
}

function clientTypeByName(name: string): ClientType | -1 {
  switch (name.toLowerCase()) {
    case 'normal':
      return ClientType.Normal;
    case 'slave':
    case 'replica':
      return ClientType.Replica;
    case 'pubsub':
      return ClientType.PubSub;
    case 'master':
      return ClientType.Master;
    default:
      return -1;
  }
}

function clientType(c: Client): ClientType {
  if ((c.flags & ClientFlag.Master) !== 0) return ClientType.Master;
  if ((c.flags & ClientFlag.Replica) !== 0 && (c.flags & ClientFlag.Monitor) === 0) return ClientType.Replica;
  if ((c.flags & ClientFlag.PubSub) !== 0) return ClientType.PubSub;
  return ClientType.Normal;
}

/** The flags column of CLIENT LIST, in Redis's letter order. */
export function flagString(c: Client): string {
  const f = c.flags;
  let s = '';
  if ((f & ClientFlag.Monitor) !== 0) s += 'O';
  else if ((f & ClientFlag.Replica) !== 0) s += 'S';
  if ((f & ClientFlag.Master) !== 0) s += 'M';
  if ((f & ClientFlag.PubSub) !== 0) s += 'P';
  if ((f & ClientFlag.Multi) !== 0) s += 'x';
  if ((f & (ClientFlag.Blocked | ClientFlag.Paused)) !== 0) s += 'b';
  if ((f & ClientFlag.Tracking) !== 0) s += 't';
  if ((c.tracking & TrackingOpt.BrokenRedir) !== 0) s += 'R';
  if ((c.tracking & TrackingOpt.Bcast) !== 0) s += 'B';
  if ((f & ClientFlag.DirtyCas) !== 0) s += 'd';
  if ((f & ClientFlag.CloseAfterReply) !== 0) s += 'c';
  if ((f & ClientFlag.Unblocked) !== 0) s += 'u';
  if ((f & ClientFlag.CloseAsap) !== 0) s += 'A';
  if ((f & ClientFlag.Unix) !== 0) s += 'U';
  if ((f & ClientFlag.Readonly) !== 0) s += 'r';
  if ((f & ClientFlag.NoEvict) !== 0) s += 'e';
  if ((f & ClientFlag.NoTouch) !== 0) s += 'T';
  return s === '' ? 'N' : s;
}

function socketFd(c: Client): number {
  const h = (c.socket as unknown as { _handle?: { fd?: number } } | null)?._handle;
  return typeof h?.fd === 'number' ? h.fd : -1;
}

/** Whole seconds from `then` to `now` (ms), never negative: the two may come from clocks a millisecond apart. */
function elapsedSeconds(now: number, then: number): number {
  return now > then ? Math.floor((now - then) / 1000) : 0;
}

/** One CLIENT LIST / CLIENT INFO line (without the newline), Redis 7.2 fields and order. */
export function clientInfoString(c: Client, self: Client | null): string {
  // The keyspace's clock, the one lastInteraction is read from; Date.now() may run ahead of it by a
  // fraction of a millisecond (idle=-1). Redis reads both from its cached unixtime.
  const now = c.server.keyspace.now;
  const ps = c.pubsub;
  let argvMem = 0;
  const waiting = (c.flags & (ClientFlag.Blocked | ClientFlag.Paused)) !== 0;
  if (c === self || waiting) for (const a of c.argv) argvMem += a.length;
  const r = c.reply;
  const qbuf = c.parser.queryLength;
  const qbufFree = Math.max(0, c.queryBuf.alloc - qbuf);
  const rbs = r.buf.length;
  const multiMem = queuedMemory(c);
  const omem = c.outputBytes();
  const totMem = qbuf + qbufFree + argvMem + multiMem + rbs + omem;
  const cmd = c === self || waiting ? runningCommand(c) : c.lastCmd;
  const events = c.socket && pendingBytes(c.socket) > 0 ? 'rw' : 'r';
  return (
    `id=${c.id} addr=${c.addr} laddr=${c.laddr} fd=${socketFd(c)} name=${c.name} ` +
    `age=${elapsedSeconds(now, c.createdAt)} idle=${elapsedSeconds(now, c.lastInteraction)} ` +
    `flags=${flagString(c)} db=${c.db.id} sub=${ps?.channels?.size ?? 0} psub=${ps?.patterns?.size ?? 0} ssub=${ps?.shardChannels?.size ?? 0} multi=${queuedCount(c)} ` +
    `qbuf=${qbuf} qbuf-free=${qbufFree} argv-mem=${argvMem} multi-mem=${multiMem} rbs=${rbs} rbp=${rbs} ` +
    `obl=${r.len} oll=${r.chunks.length} omem=${omem} tot-mem=${totMem} events=${events} ` +
    `cmd=${cmd ? cmd.fullName : 'NULL'} user=${c.user} redir=${(c.flags & ClientFlag.Tracking) !== 0 ? c.trackingRedirect : -1} resp=${c.resp} lib-name=${c.libName} lib-ver=${c.libVer}`
  );
}

// ---------------------------------------------------------------- commands

function id(c: Client): void {
  c.reply.int(c.id);
}

function info(c: Client): void {
  c.reply.verbatim(clientInfoString(c, c) + '\n');
}

function list(c: Client, argv: string[]): void {
  let type: ClientType | -1 = -1;
  let out: string | null = null;
  if (argv.length === 4 && isArg(argv[2], 'TYPE')) {
    type = clientTypeByName(argv[3]);
    if (type === -1) {
      c.reply.error(`ERR Unknown client type '${argv[3]}'`);
      return;
    }
  } else if (argv.length > 3 && isArg(argv[2], 'ID')) {
    out = '';
    for (let j = 3; j < argv.length; j++) {
      const v = parseInt64(argv[j]);
      if (v === null) {
        c.reply.error('ERR Invalid client ID');
        return;
      }
      const other = c.server.clients.get(Number(v)) ?? (Number(v) === c.id ? c : undefined);
      if (other !== undefined) out += clientInfoString(other, c) + '\n';
    }
  } else if (argv.length !== 2) {
    c.reply.error(ERR_SYNTAX);
    return;
  }
  if (out === null) {
    out = '';
    for (const other of c.server.clients.values()) {
      if (type !== -1 && clientType(other) !== type) continue;
      out += clientInfoString(other, c) + '\n';
    }
  }
  c.reply.verbatim(out);
}

/** Whether an ACL user of that name exists (the ACL module may keep a registry on the server). */
function userExists(server: Server, name: string): boolean {
  const acl = (server as unknown as { acl?: { users?: Map<string, unknown>; getUser?: (n: string) => unknown } }).acl;
  if (acl?.getUser) return acl.getUser(name) !== undefined && acl.getUser(name) !== null;
  if (acl?.users instanceof Map) return acl.users.has(name);
  return name === 'default';
}

function kill(c: Client, argv: string[]): void {
  let addr: string | null = null;
  let laddr: string | null = null;
  let user: string | null = null;
  let type: ClientType | -1 = -1;
  let cid = 0;
  let skipme = true;
  if (argv.length === 3) {
    addr = argv[2];
    skipme = false;
  } else {
    for (let i = 2; i < argv.length; i += 2) {
      const opt = argv[i].toLowerCase();
      const more = i + 1 < argv.length;
      if (opt === 'id' && more) {
        const v = parseInt64(argv[i + 1]);
        if (v === null || v < 1) {
          c.reply.error('ERR client-id should be greater than 0');
          return;
        }
        cid = Number(v);
      } else if (opt === 'type' && more) {
        type = clientTypeByName(argv[i + 1]);
        if (type === -1) {
          c.reply.error(`ERR Unknown client type '${argv[i + 1]}'`);
          return;
        }
      } else if (opt === 'addr' && more) {
        addr = argv[i + 1];
      } else if (opt === 'laddr' && more) {
        laddr = argv[i + 1];
      } else if (opt === 'user' && more) {
        if (!userExists(c.server, argv[i + 1])) {
          c.reply.error(`ERR No such user '${argv[i + 1]}'`);
          return;
        }
        user = argv[i + 1];
      } else if (opt === 'skipme' && more) {
        const v = argv[i + 1].toLowerCase();
        if (v === 'yes') skipme = true;
        else if (v === 'no') skipme = false;
        else {
          c.reply.error(ERR_SYNTAX);
          return;
        }
      } else {
        c.reply.error(ERR_SYNTAX);
        return;
      }
    }
  }
  let killed = 0;
  let closeSelf = false;
  for (const other of [...c.server.clients.values()]) {
    if (addr !== null && other.addr !== addr) continue;
    if (laddr !== null && other.laddr !== laddr) continue;
    if (type !== -1 && clientType(other) !== type) continue;
    if (cid !== 0 && other.id !== cid) continue;
    if (user !== null && other.user !== user) continue;
    if (other === c && skipme) continue;
    if (other === c) closeSelf = true;
    else other.close();
    killed++;
  }
  if (argv.length === 3) {
    if (killed === 0) c.reply.error('ERR No such client');
    else c.reply.ok();
  } else {
    c.reply.int(killed);
  }
  if (closeSelf) c.flags |= ClientFlag.CloseAfterReply;
}

function getname(c: Client): void {
  c.reply.bulk(c.name === '' ? null : c.name);
}

function setname(c: Client, argv: string[]): void {
  if (!validClientName(argv[2])) {
    c.reply.error('ERR Client names cannot contain spaces, newlines or special characters.');
    return;
  }
  c.name = argv[2];
  c.reply.ok();
}

function setinfo(c: Client, argv: string[]): void {
  const attr = argv[2].toLowerCase();
  if (attr !== 'lib-name' && attr !== 'lib-ver') {
    c.reply.error(`ERR Unrecognized option '${argv[2]}'`);
    return;
  }
  if (!validClientName(argv[3])) {
    c.reply.error(`ERR ${argv[2]} cannot contain spaces, newlines or special characters.`);
    return;
  }
  if (attr === 'lib-name') c.libName = argv[3];
  else c.libVer = argv[3];
  c.reply.ok();
}

function onOffFlag(c: Client, arg: string, flag: ClientFlag): void {
  const v = arg.toLowerCase();
  if (v === 'on') c.flags |= flag;
  else if (v === 'off') c.flags &= ~flag;
  else {
    c.reply.error(ERR_SYNTAX);
    return;
  }
  c.reply.ok();
}

function noEvict(c: Client, argv: string[]): void {
  onOffFlag(c, argv[2], ClientFlag.NoEvict);
}

function noTouch(c: Client, argv: string[]): void {
  onOffFlag(c, argv[2], ClientFlag.NoTouch);
}

function reply(c: Client, argv: string[]): void {
  const v = argv[2].toLowerCase();
  if (v === 'on') {
    c.flags &= ~(ClientFlag.ReplySkip | ClientFlag.ReplyOff);
    c.reply.enabled = true;
    c.reply.ok();
  } else if (v === 'off') {
    c.flags |= ClientFlag.ReplyOff;
    c.reply.enabled = false;
  } else if (v === 'skip') {
    if ((c.flags & ClientFlag.ReplyOff) === 0) c.flags |= ClientFlag.ReplySkipNext;
    // CLIENT REPLY SKIP itself has no reply.
  } else {
    c.reply.error(ERR_SYNTAX);
  }
}

/**
 * CLIENT REPLY SKIP bookkeeping, run by the dispatcher before each command
 * of a client with ReplySkip/ReplySkipNext (Redis does it after each one, in
 * commandProcessed): the command after SKIP gets no reply.
 */
export function replySkipStep(c: Client): void {
  if ((c.flags & ClientFlag.ReplySkip) !== 0) c.flags &= ~ClientFlag.ReplySkip;
  if ((c.flags & ClientFlag.ReplySkipNext) !== 0) {
    c.flags &= ~ClientFlag.ReplySkipNext;
    c.flags |= ClientFlag.ReplySkip;
  }
  c.reply.enabled = (c.flags & (ClientFlag.ReplyOff | ClientFlag.ReplySkip)) === 0;
}

// ------------------------------------------------------------------- PAUSE

/** Commands Redis flags may_replicate (hidden from COMMAND): paused by CLIENT PAUSE WRITE. */
const MAY_REPLICATE = new Set([
  'publish', 'spublish', 'pfcount', 'eval', 'evalsha', 'fcall',
  'script|load', 'script|flush', 'function|load', 'function|delete', 'function|flush', 'function|restore',
]);

/** A write, or a command that may replicate (Redis's is_may_replicate_command): CLIENT PAUSE WRITE holds it. */
export function commandMayReplicate(cmd: Command, flags = cmd.flagBits): boolean {
  return (flags & (CmdFlag.Write | CmdFlag.MayReplicate)) !== 0 || (flags === cmd.flagBits && MAY_REPLICATE.has(cmd.fullName));
}

/**
 * Whether the dispatcher must park this command (server.pauseType !== 0):
 * ALL pauses every command of normal clients, WRITE pauses writes and
 * may-replicate commands (and an EXEC whose queue has any). Replication links
 * are never paused.
 */
export function isPausedFor(c: Client, cmd: Command, flags = cmd.flagBits): boolean {
  const server = c.server;
  if ((c.flags & (ClientFlag.Master | ClientFlag.Replica)) !== 0) return false;
  if (server.pauseType === 2) return true;
  if (commandMayReplicate(cmd, flags)) return true;
  // EXEC is held when a queued command would be.
  return cmd.fullName === 'exec' && c.multi !== null && c.multi.mayReplicate;
}

interface PauseState {
  end: number;
  timer: NodeJS.Timeout | null;
  /** keyspace.deleteExpired before the pause (both pause types also pause key expiry, as Redis 7.2). */
  savedDeleteExpired: boolean;
}
const pauseStates = new WeakMap<Server, PauseState>();

function pauseState(server: Server): PauseState {
  let st = pauseStates.get(server);
  if (st === undefined) {
    st = { end: 0, timer: null, savedDeleteExpired: true };
    pauseStates.set(server, st);
  }
  return st;
}

/** Starts or extends a pause: the most restrictive type and the latest end win (pauseClientsByClient). */
export function pauseClients(server: Server, end: number, all: boolean): void {
  const st = pauseState(server);
  const active = server.pauseType !== 0;
  const type = all || (active && server.pauseType === 2) ? 2 : 1;
  const newEnd = active ? Math.max(st.end, end) : end;
  const now = Date.now();
  if (newEnd <= now) return;
  if (!active) {
    // Keys are not expired while paused: they read as missing but stay until the pause ends.
    st.savedDeleteExpired = server.keyspace.deleteExpired;
    server.keyspace.deleteExpired = false;
  }
  server.pauseType = type;
  st.end = newEnd;
  if (st.timer) clearTimeout(st.timer);
  st.timer = setTimeout(() => unpauseClients(server), newEnd - now);
  st.timer.unref();
}

/** Ends the pause; the parked clients run their commands in arrival order, on the next turn. */
export function unpauseClients(server: Server): void {
  const st = pauseState(server);
  if (st.timer) clearTimeout(st.timer);
  st.timer = null;
  st.end = 0;
  if (server.pauseType === 0) return;
  server.pauseType = 0;
  server.keyspace.deleteExpired = st.savedDeleteExpired;
  setImmediate(() => releasePaused(server));
}

/**
 * CLIENT UNBLOCK ... ERROR on a client parked by CLIENT PAUSE: the parked
 * command is dropped with the -UNBLOCKED error (and counted as a failed call,
 * Redis 7.2's unblockClientOnError on a postponed client); the client's further
 * input is read after the current command. False when the client is not parked.
 */
export function dropPausedCommand(c: Client, error: string): boolean {
  const server = c.server;
  const i = server.pausedClients.findIndex((p) => p.c === c);
  if (i < 0) return false;
  const [{ cmd, argv }] = server.pausedClients.splice(i, 1);
  c.flags &= ~ClientFlag.Paused;
  c.reply.error(error);
  recordUnblocked(c, cmd, argv, true);
  server.markPendingWrite(c);
  resumeInputAfterCommand(c);
  return true;
}

function releasePaused(server: Server): void {
  const list = server.pausedClients.splice(0);
  for (const { c, argv } of list) {
    c.flags &= ~ClientFlag.Paused;
    if (c.closed) continue;
    // The parked command already took its CLIENT REPLY SKIP step: undo it so the re-run takes it again.
    if ((c.flags & ClientFlag.ReplySkip) !== 0) {
      c.flags &= ~ClientFlag.ReplySkip;
      c.flags |= ClientFlag.ReplySkipNext;
    }
    c.lastInteraction = Date.now();
    server.processCommand(c, argv);
    if ((c.flags & ClientFlag.Paused) === 0) c.processInput();
    server.markPendingWrite(c);
  }
}

function pause(c: Client, argv: string[]): void {
  if (argv.length > 4) {
    c.reply.error(`ERR unknown subcommand or wrong number of arguments for '${argv[1]}'. Try CLIENT HELP.`);
    return;
  }
  let all = true;
  if (argv.length === 4) {
    const m = argv[3].toLowerCase();
    if (m === 'write') all = false;
    else if (m !== 'all') {
      c.reply.error('ERR CLIENT PAUSE mode must be WRITE or ALL');
      return;
    }
  }
  const v = parseInt64(argv[2]);
  if (v === null) {
    c.reply.error('ERR timeout is not an integer or out of range');
    return;
  }
  if (v < 0) {
    c.reply.error('ERR timeout is negative');
    return;
  }
  const ms = Number(v);
  pauseClients(c.server, ms > 0 ? Date.now() + ms : 0, all);
  c.reply.ok();
}

function unpause(c: Client): void {
  unpauseClients(c.server);
  c.reply.ok();
}

function help(c: Client): void {
  replyHelp(c, 'CLIENT', [
    'CACHING (YES|NO)',
    '    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.',
    'GETREDIR',
    '    Return the client ID we are redirecting to when tracking is enabled.',
    'GETNAME',
    '    Return the name of the current connection.',
    'ID',
    '    Return the ID of the current connection.',
    'INFO',
    '    Return information about the current client connection.',
    'KILL <ip:port>',
    '    Kill connection made from <ip:port>.',
    'KILL <option> <value> [<option> <value> [...]]',
    '    Kill connections. Options are:',
    '    * ADDR (<ip:port>|<unixsocket>:0)',
    '      Kill connections made from the specified address',
    '    * LADDR (<ip:port>|<unixsocket>:0)',
    '      Kill connections made to specified local address',
    '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
    '      Kill connections by type.',
    '    * USER <username>',
    '      Kill connections authenticated by <username>.',
    '    * SKIPME (YES|NO)',
    '      Skip killing current connection (default: yes).',
    'LIST [options ...]',
    '    Return information about client connections. Options:',
    '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
    '      Return clients of specified type.',
    'UNPAUSE',
    '    Stop the current client pause, resuming traffic.',
    'PAUSE <timeout> [WRITE|ALL]',
    '    Suspend all, or just write, clients for <timeout> milliseconds.',
    'REPLY (ON|OFF|SKIP)',
    '    Control the replies sent to the current connection.',
    'SETNAME <name>',
    '    Assign the name <name> to the current connection.',
    'SETINFO <option> <value>',
    '    Set client meta attr. Options are:',
    '    * LIB-NAME: the client lib name.',
    '    * LIB-VER: the client lib version.',
    'UNBLOCK <clientid> [TIMEOUT|ERROR]',
    '    Unblock the specified blocked client.',
    'TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]',
    '         [OPTIN] [OPTOUT] [NOLOOP]',
    '    Control server assisted client side caching.',
    'TRACKINGINFO',
    '    Report tracking status for the current connection.',
    'NO-EVICT (ON|OFF)',
    '    Protect current client connection from eviction.',
    'NO-TOUCH (ON|OFF)',
    '    Will not touch LRU/LFU stats when this mode is on.',
  ]);
}

export const handlers: HandlerMap = {
  'client|id': id,
  'client|info': info,
  'client|list': list,
  'client|kill': kill,
  'client|getname': getname,
  'client|setname': setname,
  'client|setinfo': setinfo,
  'client|no-evict': noEvict,
  'client|no-touch': noTouch,
  'client|reply': reply,
  'client|pause': pause,
  'client|unpause': unpause,
  'client|help': help,
};
