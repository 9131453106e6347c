// Transactions: MULTI, EXEC, DISCARD, WATCH, UNWATCH (Redis 7.2's multi.c).
//
// - MULTI sets ClientFlag.Multi; from then processCommand() (dispatch.ts)
//   queues every command but EXEC, DISCARD, MULTI, WATCH, QUIT and RESET
//   after all its checks (queueCommand): +QUEUED. A command rejected by those
//   checks (unknown, arity, not allowed in MULTI, out of memory, ...) flags
//   the transaction (ClientFlag.DirtyExec) and EXEC answers EXECABORT. Once
//   the transaction is bound to fail (DirtyExec or DirtyCas) nothing more is
//   queued, though the client still gets +QUEUED (Redis 7.2).
// - EXEC runs the queued commands through call(), the one dispatch path, as
//   one unit: blocking commands answer as if timed out (canBlock sees the
//   Multi flag, kept while EXEC runs), the writes are propagated as one
//   MULTI ... EXEC block (Server.propagate buffers a unit's writes), and
//   clients blocked on keys written inside are served after EXEC
//   (afterCommand tasks run once the outermost call returns).
// - A rejected EXEC (arity, OOM over queued deny-oom commands, ...) discards
//   the transaction: -EXECABORT Transaction discarded because of: <error>
//   (execAbort, called by dispatch.ts's reject()).
// - WATCH tables and the touch logic are in src/server/watch.ts.

import { ClientFlag, type Client } from '../server/client.js';
import type { Command, HandlerMap } from './types.js';
import { call, NO_PROPAGATION } from './dispatch.js';
import { commandMayReplicate } from './client.js';
import { watchKey, unwatchAllKeys, isWatchedKeyExpired } from '../server/watch.js';

/**
 * The commands a client queued since MULTI (Redis's multiState). A client
 * keeps its state between transactions (a transaction per request is a
 * common pattern), emptied by discardTransaction.
 */
export class MultiState {
  cmds: Command[] = [];
  argvs: string[][] = [];
  /** The queued commands' flag bits ORed (mstate.cmd_flags): EXEC's OOM check. */
  flags = 0;
  /** Some queued command is a write or may replicate: CLIENT PAUSE WRITE holds the EXEC. */
  mayReplicate = false;
  /** Argument bytes plus 8 per argument (argv_len_sums): CLIENT LIST multi-mem. */
  mem = 0;
  /** The EXEC running the queue, if it runs: what CLIENT LIST's cmd= shows for the client meanwhile. */
  exec: Command | null = null;

  clear(): void {
    // A big queue's arrays go with it; small ones are reused.
    if (this.cmds.length > 64) {
      this.cmds = [];
      this.argvs = [];
    } else if (this.cmds.length !== 0) {
      this.cmds.length = 0;
      this.argvs.length = 0;
    }
    this.flags = 0;
    this.mayReplicate = false;
    this.mem = 0;
    this.exec = null;
  }
}


/** Queues a command of a client in MULTI (queueMultiCommand) and answers +QUEUED. */
export function queueCommand(c: Client, cmd: Command, argv: string[], flags = cmd.flagBits): void {
  const m = c.multi!;
  // A transaction that will fail anyway holds no more commands.
  if ((c.flags & (ClientFlag.DirtyCas | ClientFlag.DirtyExec)) === 0) {
    m.cmds.push(cmd);
    m.argvs.push(argv);
    m.flags |= flags;
    if (!m.mayReplicate && commandMayReplicate(cmd, flags)) m.mayReplicate = true;
    let mem = 8 * argv.length;
    for (let i = 0; i < argv.length; i++) mem += argv[i].length;
    m.mem += mem;
  }
  c.lastCmd = cmd;
  c.reply.raw('+QUEUED\r\n');
}

/** Leaves MULTI, forgets the queue and the WATCHed keys (discardTransaction). */
export function discardTransaction(c: Client): void {
  if (c.multi !== null) c.multi.clear();
  c.flags &= ~(ClientFlag.Multi | ClientFlag.DirtyCas | ClientFlag.DirtyExec);
  if (c.watchedKeys !== null) unwatchAllKeys(c);
}

/** The flags of the commands an EXEC would run (0 outside MULTI). */
export function queuedFlags(c: Client): number {
  return (c.flags & ClientFlag.Multi) === 0 ? 0 : c.multi!.flags;
}

/** Commands queued (CLIENT LIST multi=): -1 outside MULTI. */
export function queuedCount(c: Client): number {
  return (c.flags & ClientFlag.Multi) === 0 ? -1 : c.multi!.cmds.length;
}

/** The command CLIENT LIST's cmd= shows for a client running a command: EXEC while it runs its queue. */
export function runningCommand(c: Client): Command | null {
  return c.multi !== null && c.multi.exec !== null ? c.multi.exec : c.cmd;
}

/** Memory of the queued commands (CLIENT LIST multi-mem). */
export function queuedMemory(c: Client): number {
  return (c.flags & ClientFlag.Multi) === 0 ? 0 : c.multi!.mem;
}

/**
 * EXEC refused by processCommand's checks (execCommandAbort): the
 * transaction is discarded and the error names the reason, without its ERR
 * code.
 */
export function execAbort(c: Client, error: string): void {
  discardTransaction(c);
  const reason = error.startsWith('ERR ') ? error.slice(4) : error;
  c.reply.error('EXECABORT Transaction discarded because of: ' + reason);
}

function multi(c: Client): void {
  if ((c.flags & ClientFlag.Multi) !== 0) {
    c.reply.error('ERR MULTI calls can not be nested');
    return;
  }
  c.flags |= ClientFlag.Multi;
  if (c.multi === null) c.multi = new MultiState();
  c.reply.ok();
}

function discard(c: Client): void {
  if ((c.flags & ClientFlag.Multi) === 0) {
    c.reply.error('ERR DISCARD without MULTI');
    return;
  }
  discardTransaction(c);
  c.reply.ok();
}

function exec(c: Client, argv: string[]): void {
  if ((c.flags & ClientFlag.Multi) === 0) {
    c.reply.error('ERR EXEC without MULTI');
    return;
  }
  if (isWatchedKeyExpired(c)) c.flags |= ClientFlag.DirtyCas;
  if ((c.flags & (ClientFlag.DirtyCas | ClientFlag.DirtyExec)) !== 0) {
    // An error while queueing wins over a touched key.
    if ((c.flags & ClientFlag.DirtyExec) !== 0) c.reply.error('EXECABORT Transaction discarded because of previous errors.');
    else c.reply.nullArray();
    discardTransaction(c);
    return;
  }
  const m = c.multi!;
  const execCmd = c.cmd;
  m.exec = execCmd;
  unwatchAllKeys(c);
  const n = m.cmds.length;
  c.reply.array(n);
  // ClientFlag.Multi stays set while the commands run: blocking commands do not block.
  const aclCheck = c.server.dispatchHooks.checkAclAtExec;
  for (let i = 0; i < n; i++) {
    if (aclCheck !== null) {
      const err = aclCheck(c, m.cmds[i], m.argvs[i]);
      if (err !== null) {
        c.reply.error(err);
        continue;
      }
    }
    call(c, m.cmds[i], m.argvs[i]);
  }
  c.cmd = execCmd;
  c.argv = argv;
  discardTransaction(c);
  c.propagateArgv = NO_PROPAGATION;
}

function watch(c: Client, argv: string[]): void {
  if ((c.flags & ClientFlag.Multi) !== 0) {
    c.reply.error('ERR WATCH inside MULTI is not allowed');
    return;
  }
  // Watching more keys cannot save a transaction that will fail anyway.
  if ((c.flags & ClientFlag.DirtyCas) === 0) for (let j = 1; j < argv.length; j++) watchKey(c, argv[j]);
  c.reply.ok();
}

function unwatch(c: Client): void {
  unwatchAllKeys(c);
  c.flags &= ~ClientFlag.DirtyCas;
  c.reply.ok();
}

export const handlers: HandlerMap = { multi, exec, discard, watch, unwatch };
