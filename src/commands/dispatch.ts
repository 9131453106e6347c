// The one dispatch path. Every command, whatever its source (network client,
// EXEC, script, AOF replay, replication), goes through processCommand() and
// call(): lookup, arity, auth, MULTI queueing, then the handler, then stats,
// slowlog, MONITOR, propagation and the wake-up of blocked clients.

import { ClientFlag, type Client } from '../server/client.js';
import { CmdFlag, type Command } from './types.js';
import { repr } from '../util/repr.js';
import { recordLatency, latencyMonitor } from '../server/latency.js';
import { redactArgv } from '../server/slowlog.js';
import { isPausedFor, replySkipStep } from './client.js';
import { monotonicMs, wallMicros } from '../util/clock.js';
import { OOM_ERROR, oomRejects } from '../server/memory.js';
import { queueCommand, queuedFlags, execAbort } from './multi.js';
import { TrackingOpt } from '../server/tracking.js';
import { flushPendingPush } from '../server/pubsub.js';

/** Redis's "unknown command" error: the name and the first args, each cut to 128 chars. */
export function unknownCommandError(argv: string[]): string {
  let args = '';
  for (let i = 1; i < argv.length && args.length < 128; i++) {
    args += `'${argv[i].slice(0, 128 - args.length)}' `;
  }
  return `ERR unknown command '${argv[0].slice(0, 128)}', with args beginning with: ${args}`;
}

/**
 * A handler that propagated its effects itself (Redis's
 * preventCommandPropagation) sets c.propagateArgv to this empty argv.
 */
export const NO_PROPAGATION: string[] = [];

export function arityError(cmd: Command): string {
  return `ERR wrong number of arguments for '${cmd.fullName}' command`;
}

/** Commands a client in MULTI runs at once instead of queueing. */
const MULTI_IMMEDIATE = new Set(['exec', 'discard', 'multi', 'watch', 'quit', 'reset']);
/** Commands a RESP2 client may run while subscribed. */
const PUBSUB_ALLOWED = new Set(['ping', 'subscribe', 'ssubscribe', 'unsubscribe', 'sunsubscribe', 'psubscribe', 'punsubscribe', 'quit', 'reset']);

/** Hooks later subsystems plug into the dispatch path (ACL checks, cluster redirection). */
export interface DispatchHooks {
  /** Permission checks (ACL module): returns an error text or null. */
  checkAcl: ((c: Client, cmd: Command, argv: string[]) => string | null) | null;
  /** The same check when EXEC runs a queued command (the rules may have changed since it was queued). */
  checkAclAtExec: ((c: Client, cmd: Command, argv: string[]) => string | null) | null;
}

/**
 * Looks the command up and runs the pre-execution checks, then call().
 * Rejections reply with Redis's exact error and count as rejected calls.
 */
export function processCommand(c: Client, argv: string[]): void {
  const server = c.server;
  if ((c.flags & (ClientFlag.ReplySkip | ClientFlag.ReplySkipNext)) !== 0) replySkipStep(c);
  if ((c.tracking & TrackingOpt.Caching) !== 0) cachingStep(c);
  let cmd = server.commands.lookup(argv[0]);
  if (cmd === undefined) {
    reject(c, null, unknownCommandError(argv), argv);
    return;
  }
  if (cmd.subcommands !== null) {
    if (argv.length === 1) {
      // A container that runs alone (COMMAND) has a handler of its own.
      if (cmd.handler === null) {
        reject(c, cmd, arityError(cmd), argv);
        return;
      }
    } else {
      const sub = cmd.subcommands.get(argv[1].toLowerCase());
      if (sub === undefined) {
        reject(c, null, `ERR unknown subcommand '${argv[1].slice(0, 128)}'. Try ${cmd.name.toUpperCase()} HELP.`, argv);
        return;
      }
      cmd = sub;
    }
  }
  const arity = cmd.arity;
  if ((arity > 0 && argv.length !== arity) || argv.length < -arity) {
    reject(c, cmd, arityError(cmd), argv);
    return;
  }
  if ((cmd.flagBits & CmdFlag.Admin) !== 0 && PROTECTED[cmd.fullName] !== undefined) {
    const err = protectedCommandError(c, cmd.fullName);
    if (err !== null) {
      reject(c, cmd, err, argv);
      return;
    }
  }
  if (!c.authenticated && server.acl.authRequired && (cmd.flagBits & CmdFlag.NoAuth) === 0) {
    reject(c, cmd, 'NOAUTH Authentication required.', argv);
    return;
  }
  const flags = cmd.dynamicFlags === null ? cmd.flagBits : cmd.dynamicFlags(cmd, c, argv);
  const inMulti = (c.flags & ClientFlag.Multi) !== 0;
  if (inMulti && (cmd.flagBits & CmdFlag.NoMulti) !== 0) {
    reject(c, cmd, 'ERR Command not allowed inside a transaction', argv);
    return;
  }
  const hooks = server.dispatchHooks;
  if (hooks.checkAcl !== null) {
    const err = hooks.checkAcl(c, cmd, argv);
    if (err !== null) {
      reject(c, cmd, err, argv);
      return;
    }
  }
  // Out of memory (src/server/memory.ts): deny-oom commands are refused, as Redis does over maxmemory;
  // in MULTI every command but EXEC, DISCARD, QUIT and RESET; EXEC if it would run a deny-oom command.
  if (server.memory.oom && oomRejects(c, cmd, queuedFlags(c), flags)) {
    reject(c, cmd, OOM_ERROR, argv);
    return;
  }
  // Client-side caching keeps its table within tracking-table-max-keys.
  if (server.tracking.clients !== 0) server.tracking.limitTableSize();
  if ((c.flags & ClientFlag.PubSub) !== 0 && c.reply.resp === 2 && !PUBSUB_ALLOWED.has(cmd.fullName)) {
    reject(
      c,
      cmd,
      `ERR Can't execute '${cmd.fullName}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`,
      argv,
    );
    return;
  }
  // A script running past busy-reply-threshold: only allow-busy commands run meanwhile.
  if (server.busyError !== null && (cmd.flagBits & CmdFlag.AllowBusy) === 0) {
    reject(c, cmd, server.busyError, argv);
    return;
  }
  // CLIENT PAUSE: park the client with its command until the pause ends (client.ts releases it).
  if (server.pauseType !== 0 && isPausedFor(c, cmd, flags)) {
    c.flags |= ClientFlag.Paused;
    c.cmd = cmd;
    c.argv = argv;
    server.pausedClients.push({ c, cmd, argv });
    return;
  }
  if (inMulti && !MULTI_IMMEDIATE.has(cmd.fullName)) {
    queueCommand(c, cmd, argv, flags);
    return;
  }
  call(c, cmd, argv);
  if (server.afterCommandTasks.length !== 0) server.afterCommand(c);
}

/**
 * CLIENT CACHING YES|NO applies to the next command (or the next
 * transaction): cleared before a command unless the previous one was a
 * CLIENT command or the client is in MULTI (Redis's resetClient).
 */
function cachingStep(c: Client): void {
  if ((c.flags & ClientFlag.Multi) !== 0) return;
  const prev = c.lastCmd;
  if (prev !== null && (prev.parent ?? prev).name === 'client') return;
  c.tracking &= ~TrackingOpt.Caching;
}

/** Commands refused unless their config allows them (Redis's CMD_PROTECTED): name -> [config, label]. */
const PROTECTED: Record<string, [string, string]> = {
  debug: ['enable-debug-command', 'DEBUG'],
  'module|load': ['enable-module-command', 'MODULE'],
  'module|loadex': ['enable-module-command', 'MODULE'],
  'module|unload': ['enable-module-command', 'MODULE'],
};

/** The refusal of a protected command ('no', or 'local' from a remote client), or null if allowed. */
function protectedCommandError(c: Client, name: string): string | null {
  const [param, label] = PROTECTED[name];
  const mode = c.server.config.get<string | undefined>(param) ?? 'no';
  if (mode === 'yes') return null;
  if (mode === 'local' && isLocalClient(c)) return null;
  return (
    `ERR ${label} command not allowed. If the ${param} option is set to "local", you can run it from a local connection, ` +
    'otherwise you need to set this option in the configuration file, and then restart the server.'
  );
}

/** Unix socket, fake (no socket) or loopback clients (Redis's islocalClient). */
function isLocalClient(c: Client): boolean {
  if ((c.flags & ClientFlag.Unix) !== 0 || c.socket === null) return true;
  const ip = c.addr.slice(0, c.addr.lastIndexOf(':'));
  return ip === '127.0.0.1' || ip === '::1';
}

/**
 * Redis's rejectCommand: the command is not run; it counts as rejected and
 * makes a transaction fail. A rejected EXEC discards the transaction and
 * answers EXECABORT with the reason; MONITOR sees it (execCommandAbort).
 */
export function reject(c: Client, cmd: Command | null, error: string, argv: string[] | null = null): void {
  if (cmd !== null) cmd.stats.rejectedCalls++;
  // Like Redis (c->lastcmd = lookupCommand(...)): CLIENT LIST cmd= names the rejected command, NULL if unknown.
  c.lastCmd = cmd;
  c.server.flagTransactionError(c);
  if (cmd !== null && cmd.fullName === 'exec') {
    execAbort(c, error);
    if (argv !== null && c.server.monitors.size !== 0) feedMonitors(c, argv);
    return;
  }
  c.reply.error(error);
}

/**
 * Runs a command's handler and does the bookkeeping of Redis's call(): command
 * stats and latency, slowlog, MONITOR, propagation of writes.
 * Nested calls (EXEC, scripts) see the time frozen by the outermost call.
 */
export function call(c: Client, cmd: Command, argv: string[]): void {
  const server = c.server;
  const ks = server.keyspace;
  const topLevel = server.callDepth === 0;
  if (topLevel) {
    if (!ks.clockFresh) ks.tick();
    server.currentClient = c;
  }
  server.callDepth++;
  const dirtyBefore = server.dirty;
  c.errorsSeen = c.reply.errors;
  // CLIENT NO-TOUCH: the handler's lookups leave the LRU clock alone (TOUCH itself still touches).
  const prevNoTouch = ks.noTouch;
  const noTouch = (c.flags & ClientFlag.NoTouch) !== 0 && cmd.fullName !== 'touch';
  if (noTouch !== prevNoTouch) ks.noTouch = noTouch;
  c.cmd = cmd;
  if (c.propagateArgv !== null) c.propagateArgv = null;
  c.argv = argv;
  // Within a pipelined batch the end of one command is the start of the
  // next, so each top-level command costs one clock read, not two; a run of
  // fast commands (CMD_FAST: O(1)/O(log N)) shares one read, taken when the
  // run ends, and each gets an equal part of it (settleUntimed). The
  // commands an EXEC runs are chained the same way (server.nestedClock).
  const chained = topLevel && server.chainClock >= 0;
  const deferred = chained && (cmd.flagBits & CmdFlag.Fast) !== 0;
  const t0 = deferred
    ? 0
    : !topLevel && server.nestedClock >= 0
      ? server.nestedClock
      : !chained
        ? monotonicMs()
        : server.untimedCount !== 0
          ? settleUntimed(server, monotonicMs())
          : server.chainClock;
  server.nestedClock = deferred ? -1 : t0;
  const replyMark = c.reply.size;
  try {
    cmd.handler!(c, argv);
  } catch (e) {
    handlerFailed(c, cmd, argv, e, replyMark);
  }
  // Client-side caching: the keys a read-only command read are recorded for
  // the client whose request runs (inside EXEC too: the keys of each command).
  if ((cmd.flagBits & (CmdFlag.ReadOnly | CmdFlag.ScriptRo)) === CmdFlag.ReadOnly) {
    const tc = server.currentClient;
    if (tc !== null && (tc.flags & ClientFlag.Tracking) !== 0 && (tc.tracking & TrackingOpt.Bcast) === 0) server.tracking.rememberKeys(tc, cmd, argv);
  }
  let usec = 0;
  if (!deferred) {
    const t1 = monotonicMs();
    if (chained) server.chainClock = t1;
    server.nestedClock = topLevel ? -1 : t1;
    usec = (t1 - t0) * 1000;
  }
  if (noTouch !== prevNoTouch) ks.noTouch = prevNoTouch;
  server.callDepth--;
  c.lastCmd = cmd;
  c.commands++;
  // A blocked command is counted when it finally runs (Redis 7.2).
  if ((c.flags & ClientFlag.Blocked) === 0) {
    const st = cmd.stats;
    st.calls++;
    // Errors since the last nested call ended (EXEC's inner commands count their own).
    if (c.reply.errors !== c.errorsSeen) st.failedCalls++;
    server.stats.totalCommands++;
    if (!deferred) {
      // A command that blocked first is timed over both runs (Redis's c->duration).
      if (c.blockedUsec !== 0) {
        usec += c.blockedUsec;
        c.blockedUsec = 0;
      }
      recordDuration(c, cmd, argv, usec);
    } else {
      const u = server.untimed;
      const n = server.untimedCount++;
      if (n < u.length) {
        const e = u[n];
        e.c = c;
        e.cmd = cmd;
        e.argv = argv;
      } else u.push({ c, cmd, argv });
    }
  } else c.blockedUsec += usec;
  c.errorsSeen = c.reply.errors;
  // MONITOR saw a blocking command when it first ran: not again when it runs once its keys are ready (Redis 7.2).
  if (server.monitors.size !== 0 && (cmd.flagBits & (CmdFlag.SkipMonitor | CmdFlag.Admin)) === 0 && (c.flags & ClientFlag.Reprocessing) === 0) {
    feedMonitors(c, redactArgv(cmd.fullName, argv, server.config));
  }
  if (server.dirty !== dirtyBefore && (cmd.flagBits & CmdFlag.NoPropagate) === 0) {
    // An empty propagateArgv: the handler propagated its effects itself (Redis's preventCommandPropagation).
    const pa = c.propagateArgv ?? argv;
    if (pa.length !== 0) server.alsoPropagate(c.db.id, pa);
  }
  // The end of an execution unit: what it propagated goes out, several commands as one MULTI/EXEC block
  // (but for SCAN and RANDOMKEY run alone: their expired keys' DELs are unrelated).
  if (topLevel && server.pendingPropagation.length !== 0) server.propagatePending((cmd.flagBits & CmdFlag.TouchesArbitraryKeys) === 0);
  if (topLevel) {
    server.currentClient = null;
    // Push messages and invalidations the command produced for its own client follow its reply.
    if (c.pendingPush !== null) flushPendingPush(c);
    if (server.tracking.pendingKeys.length !== 0) server.tracking.sendPending(c);
  }
}

/**
 * A handler threw: a bug, or a JavaScript limit nothing checked for. Redis
 * would crash with a bug report; Spinel keeps serving everyone else. The
 * partial reply is dropped, the client gets an error naming the failure, the
 * log gets a report (arguments redacted as the slowlog redacts them) and
 * INFO counts it (internal_errors).
 */
function handlerFailed(c: Client, cmd: Command, argv: string[], e: unknown, replyMark: number): void {
  c.reply.truncate(replyMark);
  c.server.internalError(`command '${cmd.fullName}'`, e, redactArgv(cmd.fullName, argv, c.server.config), c);
  c.reply.error(`ERR internal error while running '${cmd.fullName}': ${oneLine(e)}`);
}

/** An exception's name and message on one line (safe inside a RESP error). */
export function oneLine(e: unknown): string {
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return text.replace(/[\r\n]+/g, ' ').slice(0, 256);
}

/**
 * Command duration bookkeeping: usec and latency histogram, slowlog, latency
 * monitor. A slow command (DEBUG SLEEP, a big SORT) makes the batch's keyspace
 * clock stale.
 */
function recordDuration(c: Client, cmd: Command, argv: string[], usec: number): void {
  recordStats(c, cmd, argv, usec);
  // Only a call of 1 ms or more can reach the (ms) threshold: no config lookup on the fast path.
  if (usec >= 1000) {
    const server = c.server;
    server.keyspace.clockFresh = false;
    latencyEvent(server, cmd, usec);
  }
}

/** A command's usec, latency histogram and slowlog entry. */
function recordStats(c: Client, cmd: Command, argv: string[], usec: number): void {
  const server = c.server;
  const st = cmd.stats;
  st.usec += usec;
  if (server.latencyTracking) recordLatency(st, usec);
  if (usec >= server.slowlogThreshold && server.slowlogThreshold >= 0 && (cmd.flagBits & CmdFlag.SkipSlowlog) === 0) {
    server.slowlog.push(redactArgv(cmd.fullName, argv, server.config), usec, c.addr, c.name, server.config.num('slowlog-max-len'));
  }
}

/**
 * Stats of a blocked command that ends without running again (timeout,
 * CLIENT UNBLOCK, WAIT): counted once, with the duration of its first run, in
 * commandstats, the latency histogram and the slowlog (Redis 7.2's
 * updateStatsOnUnblock).
 */
export function recordUnblocked(c: Client, cmd: Command, argv: string[], failed: boolean): void {
  const st = cmd.stats;
  st.calls++;
  if (failed) st.failedCalls++;
  c.server.stats.totalCommands++;
  recordStats(c, cmd, argv, c.blockedUsec);
  c.blockedUsec = 0;
}

/**
 * Times the run of fast commands since server.chainClock: each gets an equal
 * part of the elapsed time. Returns `now`, the start of whatever runs next.
 */
export function settleUntimed(server: Client['server'], now: number): number {
  const n = server.untimedCount;
  const u = server.untimed;
  const usec = ((now - server.chainClock) * 1000) / n;
  for (let i = 0; i < n; i++) {
    const e = u[i];
    recordDuration(e.c!, e.cmd!, e.argv!, usec);
    e.c = null;
    e.cmd = null;
    e.argv = null;
  }
  server.untimedCount = 0;
  server.chainClock = now;
  return now;
}

/** Latency monitor (latency-monitor-threshold, in ms): 'command' / 'fast-command' events, like Redis's call(). */
function latencyEvent(server: Client['server'], cmd: Command, usec: number): void {
  const threshold = server.config.num('latency-monitor-threshold');
  const ms = Math.floor(usec / 1000);
  if (threshold > 0 && ms >= threshold) latencyMonitor(server).addSample((cmd.flagBits & CmdFlag.Fast) !== 0 ? 'fast-command' : 'command', ms);
}

/** Sends the command to every MONITOR client: `+<time> [<db> <addr>] "arg" ...`. */
export function feedMonitors(c: Client, argv: string[]): void {
  const server = c.server;
  const nowUs = wallMicros();
  const sec = Math.floor(nowUs / 1e6);
  const usec = String(nowUs % 1e6).padStart(6, '0');
  let where: string;
  if ((c.flags & ClientFlag.Script) !== 0) where = `[${c.db.id} lua]`;
  else if ((c.flags & ClientFlag.Unix) !== 0) where = `[${c.db.id} unix:${server.config.str('unixsocket')}]`;
  else where = `[${c.db.id} ${c.addr}]`;
  let line = `+${sec}.${usec} ${where}`;
  for (const a of argv) line += ' ' + repr(a);
  line += '\r\n';
  for (const m of server.monitors) {
    m.reply.raw(line);
    server.markPendingWrite(m);
  }
}
