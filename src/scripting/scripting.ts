// Scripting state of a server and the runs of scripts and functions
// (Redis 7.2's eval.c, script.c, function_lua.c, functions.c).
//
// - EVAL scripts live in one Lua state (`evalLua`), cached by SHA1 of their
//   body; SCRIPT FLUSH replaces the state. Functions live in another
//   (`fnLua`), one library per FUNCTION LOAD.
// - A run (RunContext) is driven in time slices (LuaRun.step). Within
//   busy-reply-threshold it runs to its end inside the command. Past it, the
//   script is "timed out": its client is blocked (ClientFlag.Blocked, so its
//   further input waits and its stats wait as for a blocked command), the
//   handler returns, and the run goes on in slices between event-loop turns
//   (setImmediate), re-entering through call() each time (ClientFlag
//   .Reprocessing: no second MONITOR line), so the dispatch path keeps one
//   execution unit: what the script propagated so far and the frozen clock
//   are put back on each slice. Meanwhile processCommand answers -BUSY to
//   every command without the allow-busy flag (SCRIPT KILL, FUNCTION KILL,
//   SHUTDOWN NOSAVE, ... still run), and nothing else runs between the
//   script's own commands, so atomicity holds.
// - redis.call runs commands through call() (the one dispatch path) on the
//   script client (`sc`), after the script-call checks of scriptCall.

import crypto from 'node:crypto';
import v8 from 'node:v8';
import type { Server } from '../server/server.js';
import { ClientFlag, type Client } from '../server/client.js';
import { CmdFlag, type Command } from '../commands/types.js';
import { call, NO_PROPAGATION } from '../commands/dispatch.js';
import { commandMayReplicate } from '../commands/client.js';
import { OOM_ERROR } from '../server/memory.js';
import { AclContext } from '../server/acl.js';
import { monotonicMs, wallMicros } from '../util/clock.js';
import { LuaClosure, LuaError, LuaSyntaxError, LuaTable, type LuaRun, type LuaState, type LuaValue, type HostFunction } from './lua/index.js';
import { compile } from './lua/codegen.js';
import { FrameKind } from './lua/frame.js';
import {
  newEvalLua,
  newFunctionsLua,
  errorHandler,
  errorTable,
  errorInfo,
  errorTableText,
  replyRunError,
  luaToReply,
  stringArray,
  ScriptCallRejected,
  REPL_ALL,
  isLuaFunction,
  type EvalLua,
  type FunctionsLua,
  type ScriptCaller,
  type ScriptHost,
} from './lua-redis.js';
import { splitArgs } from '../cli/splitargs.js';

/** Script flags (shebang `flags=` and register_function's flags). */
export const enum ScriptFlag {
  NoWrites = 1 << 0,
  AllowOom = 1 << 1,
  AllowStale = 1 << 2,
  NoCluster = 1 << 3,
  AllowCrossSlot = 1 << 4,
  /** An EVAL script without a shebang: Redis's backwards-compatible mode. */
  EvalCompat = 1 << 5,
}

/** The flags in the order Redis lists them (FUNCTION LIST). */
export const SCRIPT_FLAG_NAMES: [string, number][] = [
  ['no-writes', ScriptFlag.NoWrites],
  ['allow-oom', ScriptFlag.AllowOom],
  ['allow-stale', ScriptFlag.AllowStale],
  ['no-cluster', ScriptFlag.NoCluster],
  ['allow-cross-slot-keys', ScriptFlag.AllowCrossSlot],
];

export const BUSY_EVAL_ERROR = 'BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.';
export const BUSY_FUNCTION_ERROR = 'BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.';
export const NOSCRIPT_ERROR = 'NOSCRIPT No matching script. Please use EVAL.';

/** Budget units per step between clock checks (function entries and loop iterations). */
const STEP_UNITS = 20000;
/** Time a timed-out script runs before letting the event loop serve other clients, ms. */
const BUSY_SLICE_MS = 20;
/** FUNCTION LOAD's limit on running a library's code, ms. */
const LOAD_TIMEOUT_MS = 500;

export interface CachedScript {
  sha: string;
  body: string;
  fn: LuaClosure;
  flags: number;
}

export interface FunctionInfo {
  name: string;
  fn: LuaValue;
  desc: string | null;
  flags: number;
  lib: Library;
}

/** Libraries and their functions (Redis's functionsLibCtx): the server's, or one being restored. */
export interface LibraryCtx {
  libraries: Map<string, Library>;
  functions: Map<string, FunctionInfo>;
}

export interface Library {
  name: string;
  engine: string;
  code: string;
  functions: Map<string, FunctionInfo>;
}

/** Parses the shebang line of an EVAL script: [flags, length of the line] or an error text. */
export function evalShebangFlags(body: string): [number, number] | string {
  if (!body.startsWith('#!')) return [ScriptFlag.EvalCompat, 0];
  const end = body.indexOf('\n');
  if (end < 0) return 'Invalid script shebang';
  const parts = splitArgs(body.slice(0, end));
  if (parts === null || parts.length === 0) return 'Invalid engine in script shebang';
  if (parts[0] !== '#!lua') return `Unexpected engine in script shebang: ${parts[0]}`;
  let flags = 0;
  for (let j = 1; j < parts.length; j++) {
    const p = parts[j];
    if (!p.startsWith('flags=')) return `Unknown lua shebang option: ${p}`;
    const list = p.slice(6);
    if (list === '') continue;
    for (const f of list.split(',')) {
      const def = SCRIPT_FLAG_NAMES.find(([n]) => n === f);
      if (def === undefined) return `Unexpected flag in script shebang: ${f}`;
      flags |= def[1];
    }
  }
  return [flags, end];
}

/** The command flags a script's flags stand for (scriptFlagsToCmdFlags); EVAL compat mode keeps the command's. */
export function scriptCommandFlags(cmdFlags: number, scriptFlags: number): number {
  if ((scriptFlags & ScriptFlag.EvalCompat) !== 0) return cmdFlags;
  let f = cmdFlags & ~(CmdFlag.Stale | CmdFlag.DenyOom | CmdFlag.Write | CmdFlag.MayReplicate);
  if ((scriptFlags & (ScriptFlag.AllowOom | ScriptFlag.NoWrites)) === 0) f |= CmdFlag.DenyOom;
  if ((scriptFlags & ScriptFlag.NoWrites) === 0) f |= CmdFlag.Write;
  if ((scriptFlags & ScriptFlag.AllowStale) !== 0) f |= CmdFlag.Stale;
  return f;
}

export function sha1hex(s: string): string {
  return crypto.createHash('sha1').update(Buffer.from(s, 'latin1')).digest('hex');
}

/** A run of a script or function for one client's command. */
export class RunContext implements ScriptCaller {
  resp: 2 | 3 = 2;
  replFlags = REPL_ALL;
  readOnly: boolean;
  allowOom: boolean;
  /** The script wrote (SCRIPT KILL refuses it then; OOM and write checks are not repeated). */
  writeDirty = false;
  killed = false;
  timedOut = false;
  done = false;
  readonly startMono = monotonicMs();
  /** The wall clock when the script started, µs: TIME inside the script answers it. */
  readonly timeUs = wallMicros();
  /** The memory state when the script started (Redis's pre_command_oom_state). */
  readonly preOom: boolean;
  /** INFO's error count when the run started: the command counts as failed if any error reply came since. */
  readonly errorsAtStart: number;
  /** The frozen command clock (keyspace `now`) of the script. */
  readonly now: number;
  /** What the run propagated before it gave the event loop a turn (one execution unit). */
  savedPropagation: { dbid: number; argv: string[] }[] = [];
  run: LuaRun | null = null;

  constructor(
    readonly scripting: Scripting,
    readonly caller: Client,
    readonly cmd: Command,
    readonly argv: string[],
    readonly L: LuaState,
    readonly funcname: string,
    readonly isEval: boolean,
    scriptFlags: number,
    ro: boolean,
  ) {
    const compat = (scriptFlags & ScriptFlag.EvalCompat) !== 0;
    this.readOnly = ro || (!compat && (scriptFlags & ScriptFlag.NoWrites) !== 0);
    this.allowOom = (caller.flags & ClientFlag.NoEvict) !== 0 && false ? true : !compat && (scriptFlags & ScriptFlag.AllowOom) !== 0;
    this.preOom = caller.server.memory.oom;
    this.now = caller.server.keyspace.now;
    this.errorsAtStart = caller.server.stats.totalErrorReplies;
  }

  /** redis.call/pcall: scriptCall's checks, then the command through call(); returns its raw reply. */
  call(argv: string[]): string {
    const scripting = this.scripting;
    const server = scripting.server;
    const sc = scripting.client;
    let cmd = server.commands.lookup(argv[0]);
    if (cmd !== undefined && cmd.subcommands !== null && argv.length > 1) cmd = cmd.subcommands.get(argv[1].toLowerCase());
    if (cmd === undefined) return this.reject(null, 'Unknown Redis command called from script');
    const arity = cmd.arity;
    if ((arity > 0 && argv.length !== arity) || argv.length < -arity) return this.reject(cmd, 'Wrong number of args calling Redis command from script');
    if ((cmd.flagBits & CmdFlag.NoScript) !== 0 && !scripting.disableDenyScripts) return this.reject(cmd, 'This Redis command is not allowed from script');
    sc.user = this.caller.user;
    sc.aclUser = this.caller.aclUser;
    const aclErr = this.aclDenial(cmd, argv, true);
    if (aclErr !== null) return this.reject(cmd, aclErr);
    const flags = cmd.flagBits;
    if (this.readOnly && commandMayReplicate(cmd)) return this.reject(cmd, 'Write commands are not allowed from read-only scripts.');
    if ((flags & CmdFlag.Write) !== 0 && !this.writeDirty) {
      if (server.isReplica && server.config.bool('replica-read-only') && (this.caller.flags & ClientFlag.Master) === 0) {
        return this.reject(cmd, "-READONLY You can't write against a read only replica.");
      }
    }
    if (!this.allowOom && !this.writeDirty && this.preOom && (flags & CmdFlag.DenyOom) !== 0) return this.reject(cmd, '-' + OOM_ERROR);
    if ((flags & CmdFlag.Write) !== 0) this.writeDirty = true;
    sc.reply.resp = this.resp;
    call(sc, cmd, argv);
    const r = sc.reply;
    let text: string;
    if (r.chunks.length === 0) {
      text = r.buf.toString("latin1", 0, r.len);
      r.len = 0;
    } else text = Buffer.concat(r.drain()).toString("latin1");
    return text;
  }

  /** A command refused before running: counted as Redis counts it (errorstats, rejected_calls). */
  private reject(cmd: Command | null, msg: string): never {
    const server = this.scripting.server;
    server.recordError(errorTableText(msg));
    if (cmd !== null) cmd.stats.rejectedCalls++;
    throw new ScriptCallRejected(msg);
  }

  aclCheck(argv: string[]): boolean | null {
    const server = this.scripting.server;
    let cmd = server.commands.lookup(argv[0]);
    if (cmd !== undefined && cmd.subcommands !== null && argv.length > 1) cmd = cmd.subcommands.get(argv[1].toLowerCase());
    if (cmd === undefined) return null;
    return this.aclDenial(cmd, argv, false) === null;
  }

  /**
   * The caller's user checked against a command the script calls (Redis's
   * scriptVerifyACL): denials are logged with the `lua` context and answer
   * "ACL failure in script: ...".
   */
  private aclDenial(cmd: Command, argv: string[], log: boolean): string | null {
    const acl = this.scripting.server.acl;
    const u = this.caller.aclUser;
    const r = acl.denial(this.caller, u, cmd, argv, log ? AclContext.Lua : null);
    return r === null ? null : 'ACL failure in script: ' + acl.errorMessage(r.result, u!, cmd, argv[r.index], false);
  }
}

/** The scripting state of one server. */
export class Scripting {
  evalLua: EvalLua;
  readonly scripts = new Map<string, CachedScript>();
  /** Bytes of the cached scripts' bodies (INFO used_memory_scripts_eval). */
  scriptsBodyBytes = 0;
  fnLua: FunctionsLua;
  readonly lib: LibraryCtx = { libraries: new Map(), functions: new Map() };
  get libraries(): Map<string, Library> {
    return this.lib.libraries;
  }
  get functions(): Map<string, FunctionInfo> {
    return this.lib.functions;
  }
  /** The fake client redis.call runs commands on. */
  readonly client: Client;
  /** The run in progress (only one at a time), and whether it is timed out (busy). */
  running: RunContext | null = null;
  /** DEBUG SET-DISABLE-DENY-SCRIPTS. */
  disableDenyScripts = false;
  private readonly host: ScriptHost;
  private readonly fnHost: ScriptHost;
  /** The library whose code FUNCTION LOAD is running, where register_function adds functions. */
  private loading: Library | null = null;

  constructor(readonly server: Server) {
    this.host = { current: null, log: server.log };
    this.fnHost = { current: null, log: server.log };
    this.evalLua = newEvalLua(this.host, this.memoryExceeded);
    this.fnLua = newFunctionsLua(this.fnHost, this.registerFunction, this.memoryExceeded);
    // Made on first use: it takes no client id, so the ids of real clients do not depend on when scripting started.
    const nextId = server.nextClientId;
    const sc = server.createClient(null);
    server.nextClientId = nextId;
    sc.flags |= ClientFlag.Script | ClientFlag.Fake;
    this.client = sc;
  }

  /**
   * Asked by the Lua engine before each slice of a run: past halfway from the
   * heap guard's limit to V8's, the run fails with "not enough memory" (a Lua
   * error) rather than the process running out of heap.
   */
  private readonly memoryExceeded = (): boolean => {
    const g = this.server.memory;
    return v8.getHeapStatistics().used_heap_size > g.guardLimit + (g.heapLimit - g.guardLimit) / 2;
  };

  // -------------------------------------------------------------------
  // The script cache

  /** Compiles and caches a script (luaCreateFunction): the entry, or an error text. */
  createScript(body: string): CachedScript | string {
    const sha = sha1hex(body);
    const have = this.scripts.get(sha);
    if (have !== undefined) return have;
    const sb = evalShebangFlags(body);
    if (typeof sb === 'string') return sb;
    const [flags, shebangLen] = sb;
    let fn: LuaClosure;
    try {
      fn = new LuaClosure(compile(body.slice(shebangLen), '@user_script'), [], this.evalLua.L.globals);
    } catch (e) {
      if (e instanceof LuaSyntaxError) return `Error compiling script (new function): ${e.message}`;
      if (e instanceof RangeError) return 'Error compiling script (new function): not enough memory';
      throw e;
    }
    const s: CachedScript = { sha, body, fn, flags };
    this.scripts.set(sha, s);
    this.scriptsBodyBytes += body.length;
    return s;
  }

  /** SCRIPT FLUSH: a new Lua state, an empty cache. */
  flushScripts(): void {
    this.scripts.clear();
    this.scriptsBodyBytes = 0;
    this.evalLua = newEvalLua(this.host, this.memoryExceeded);
  }

  // -------------------------------------------------------------------
  // Runs

  /**
   * Starts a run for the client's command (scriptPrepareForRun, then
   * luaCallFunction): replies on the caller's reply, now or, for a script
   * that times out, when it ends.
   */
  startRun(c: Client, fn: LuaValue, args: LuaValue[], scriptFlags: number, ro: boolean, funcname: string, isEval: boolean): void {
    const server = this.server;
    const compat = (scriptFlags & ScriptFlag.EvalCompat) !== 0;
    if (!compat) {
      if ((scriptFlags & ScriptFlag.NoWrites) === 0) {
        if (server.isReplica && server.config.bool('replica-read-only') && (c.flags & ClientFlag.Master) === 0) {
          c.reply.error('READONLY Can not run script with write flag on readonly replica');
          return;
        }
        if (ro) {
          c.reply.error('ERR Can not execute a script with write flag using *_ro command.');
          return;
        }
      }
      if (server.memory.oom && (scriptFlags & (ScriptFlag.AllowOom | ScriptFlag.NoWrites)) === 0 && (c.flags & ClientFlag.NoEvict) === 0) {
        c.reply.error("OOM allow-oom flag is not set on the script, can not run it when used memory > 'maxmemory'");
        return;
      }
    }
    const L = isEval ? this.evalLua.L : this.fnLua.L;
    const ctx = new RunContext(this, c, c.cmd!, c.argv, L, funcname, isEval, scriptFlags, ro);
    const sc = this.client;
    sc.db = c.db;
    sc.reply.resp = 2;
    ctx.run = L.start(fn, args, errorHandler);
    this.running = ctx;
    this.continueRun(ctx);
  }

  /** Runs slices until the end, or until a timed-out script should let the event loop turn. */
  continueRun(ctx: RunContext): void {
    const server = this.server;
    const host = ctx.isEval ? this.host : this.fnHost;
    host.current = ctx;
    const canYield = server.callDepth === 1 && ctx.caller.socket !== null;
    const sliceStart = monotonicMs();
    const threshold = server.config.num('busy-reply-threshold');
    let status;
    try {
      for (;;) {
        status = ctx.run!.step(STEP_UNITS);
        if (status !== 'suspended') break;
        if (ctx.killed) break;
        const now = monotonicMs();
        if (!ctx.timedOut && threshold > 0 && now - ctx.startMono >= threshold) {
          ctx.timedOut = true;
          server.busyError = ctx.isEval ? BUSY_EVAL_ERROR : BUSY_FUNCTION_ERROR;
          server.log.warning(
            `Slow script detected: still in execution after ${Math.round(now - ctx.startMono)} milliseconds. ` +
              `You can try killing the script using the ${ctx.isEval ? 'SCRIPT KILL' : 'FUNCTION KILL'} command. Script name is: ${ctx.funcname}.`,
          );
        }
        if (ctx.timedOut && canYield && now - sliceStart >= BUSY_SLICE_MS) {
          this.suspend(ctx);
          return;
        }
      }
    } finally {
      host.current = null;
    }
    this.finish(ctx, status);
  }

  /** A timed-out script lets the event loop turn: its client waits, everyone else gets -BUSY. */
  private suspend(ctx: RunContext): void {
    const server = this.server;
    const c = ctx.caller;
    c.flags |= ClientFlag.Blocked;
    ctx.savedPropagation = server.pendingPropagation.splice(0);
    setImmediate(() => this.resume(ctx));
  }

  /** The next slices of a timed-out script, inside call() as one execution unit with its start. */
  private resume(ctx: RunContext): void {
    if (ctx.done) return;
    const c = ctx.caller;
    const server = this.server;
    c.flags |= ClientFlag.Reprocessing;
    try {
      call(c, ctx.cmd, ctx.argv);
    } finally {
      c.flags &= ~ClientFlag.Reprocessing;
    }
    if (!ctx.done) return;
    if (server.afterCommandTasks.length !== 0) server.afterCommand(c);
    if (!c.closed) {
      c.processInput();
      server.markPendingWrite(c);
    }
  }

  /** Called by the command handler when it runs again for a timed-out script (see resume). */
  resumeInCall(ctx: RunContext): void {
    const server = this.server;
    server.keyspace.now = ctx.now;
    if (ctx.savedPropagation.length !== 0) server.pendingPropagation.unshift(...ctx.savedPropagation);
    ctx.savedPropagation = [];
    this.continueRun(ctx);
  }

  /** The run ended (or was killed): the reply, and the caller goes on. */
  private finish(ctx: RunContext, status: string | undefined): void {
    const c = ctx.caller;
    ctx.done = true;
    this.running = null;
    this.server.busyError = null;
    if ((c.flags & ClientFlag.Blocked) !== 0) c.flags &= ~ClientFlag.Blocked;
    // Scripts are not propagated themselves: the commands they ran are.
    c.propagateArgv = NO_PROPAGATION;
    const errorsBefore = c.reply.errors;
    this.reply(ctx, status);
    // Redis counts the script as a failed call when any error reply was counted while it ran
    // (its own, or its commands' whose error it then returned uncounted).
    if (c.reply.errors === errorsBefore && this.server.stats.totalErrorReplies !== ctx.errorsAtStart) c.reply.errors++;
  }

  private reply(ctx: RunContext, status: string | undefined): void {
    const c = ctx.caller;
    const L = ctx.L;
    const run = ctx.run!;
    if (status === 'suspended' && ctx.killed) {
      const where = currentPosition(L);
      run.abort();
      const t = errorTable('Script killed by user with SCRIPT KILL...');
      if (where !== null) {
        t.setStr('source', where[0]);
        t.setStr('line', where[1]);
      }
      replyRunError(L, c.reply, t, ctx.funcname);
      return;
    }
    if (status === 'done') {
      luaToReply(L, c.reply, run.results[0], ctx.resp);
      return;
    }
    replyRunError(L, c.reply, run.error!.value, ctx.funcname);
  }

  /** SCRIPT KILL / FUNCTION KILL. */
  kill(c: Client, isEval: boolean): void {
    const ctx = this.running;
    if (ctx === null || !ctx.timedOut) {
      c.reply.error('NOTBUSY No scripts in execution right now.');
      return;
    }
    if ((ctx.caller.flags & ClientFlag.Master) !== 0) {
      c.reply.error('UNKILLABLE The busy script was sent by a master instance in the context of replication and cannot be killed.');
      return;
    }
    if (ctx.writeDirty) {
      c.reply.error(
        'UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.',
      );
      return;
    }
    if (isEval && !ctx.isEval) {
      c.reply.error(BUSY_FUNCTION_ERROR);
      return;
    }
    if (!isEval && ctx.isEval) {
      c.reply.error(BUSY_EVAL_ERROR);
      return;
    }
    ctx.killed = true;
    c.reply.ok();
  }

  /** The -BUSY error for commands refused while a script is timed out, or null when none is. */
  busyError(): string | null {
    const ctx = this.running;
    if (ctx === null || !ctx.timedOut) return null;
    return ctx.isEval ? BUSY_EVAL_ERROR : BUSY_FUNCTION_ERROR;
  }

  // -------------------------------------------------------------------
  // Functions

  private readonly registerFunction: HostFunction = (L, args) => {
    const lib = this.loading;
    if (lib === null) throw new LuaError(errorTable('redis.register_function can only be called on FUNCTION LOAD command'));
    const argc = args.length;
    if (argc < 1 || argc > 2) throw new LuaError(errorTable('wrong number of arguments to redis.register_function'));
    let name: string | null = null;
    let desc: string | null = null;
    let fn: LuaValue = undefined;
    let flags = 0;
    const str = (v: LuaValue): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(L.tostring(v)) : null);
    if (argc === 1) {
      const t = args[0];
      if (!(t instanceof LuaTable)) {
        throw new LuaError(errorTable('calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).'));
      }
      for (let p = t.nextPos(-1); p >= 0; p = t.nextPos(p)) {
        const k = t.keyAt(p);
        const v = t.valueAt(p);
        if (typeof k !== 'string' && typeof k !== 'number') throw new LuaError(errorTable('named argument key given to redis.register_function is not a string'));
        const key = String(str(k)).toLowerCase();
        if (key === 'function_name') {
          name = str(v);
          if (name === null) throw new LuaError(errorTable('function_name argument given to redis.register_function must be a string'));
        } else if (key === 'description') {
          desc = str(v);
          if (desc === null) throw new LuaError(errorTable('description argument given to redis.register_function must be a string'));
        } else if (key === 'callback') {
          if (!isLuaFunction(v)) throw new LuaError(errorTable('callback argument given to redis.register_function must be a function'));
          fn = v;
        } else if (key === 'flags') {
          if (!(v instanceof LuaTable)) throw new LuaError(errorTable('flags argument to redis.register_function must be a table representing function flags'));
          const f = readFlags(L, v);
          if (f === null) throw new LuaError(errorTable('unknown flag given'));
          flags = f;
        } else throw new LuaError(errorTable('unknown argument given to redis.register_function'));
      }
      if (name === null) throw new LuaError(errorTable('redis.register_function must get a function name argument'));
      if (fn === undefined) throw new LuaError(errorTable('redis.register_function must get a callback argument'));
    } else {
      name = str(args[0]);
      if (name === null) throw new LuaError(errorTable('first argument to redis.register_function must be a string'));
      if (!isLuaFunction(args[1])) throw new LuaError(errorTable('second argument to redis.register_function must be a function'));
      fn = args[1];
    }
    if (!validName(name)) {
      throw new LuaError(errorTable('Library names can only contain letters, numbers, or underscores(_) and must be at least one character long'));
    }
    // Function names are case-insensitive (Redis's functionDictType).
    const key = name.toLowerCase();
    if (lib.functions.has(key)) throw new LuaError(errorTable('Function already exists in the library'));
    lib.functions.set(key, { name, fn, desc, flags, lib });
    return [];
  };

  /**
   * FUNCTION LOAD (functionsCreateWithLibraryCtx): the library's name, or an
   * error text. `replace` allows replacing a library of the same name.
   */
  loadLibrary(code: string, replace: boolean, timeoutMs = LOAD_TIMEOUT_MS, ctx: LibraryCtx = this.lib): string | { error: string } {
    if (!code.startsWith('#!')) return { error: 'Missing library metadata' };
    const end = code.indexOf('\n');
    if (end < 0) return { error: 'Invalid library metadata' };
    const parts = splitArgs(code.slice(0, end));
    if (parts === null || parts.length === 0) return { error: 'Invalid library metadata' };
    const engine = parts[0].slice(2);
    let name: string | null = null;
    for (let i = 1; i < parts.length; i++) {
      const p = parts[i];
      if (p.slice(0, 5).toLowerCase() === 'name=') {
        if (name !== null) return { error: 'Invalid metadata value, name argument was given multiple times' };
        name = p.slice(5);
        continue;
      }
      return { error: `Invalid metadata value given: ${p}` };
    }
    if (name === null) return { error: 'Library name was not given' };
    if (!validName(name)) return { error: 'Library names can only contain letters, numbers, or underscores(_) and must be at least one character long' };
    if (engine.toLowerCase() !== 'lua') return { error: `Engine '${engine}' not found` };
    const old = ctx.libraries.get(name);
    if (old !== undefined && !replace) return { error: `Library '${name}' already exists` };
    const lib: Library = { name, engine: 'LUA', code, functions: new Map() };
    const err = this.runLibraryCode(lib, code.slice(end), timeoutMs);
    if (err !== null) return { error: err };
    if (lib.functions.size === 0) return { error: 'No functions registered' };
    for (const [key, f] of lib.functions) {
      const other = ctx.functions.get(key);
      if (other !== undefined && other.lib !== old) return { error: `Function ${f.name} already exists` };
    }
    if (old !== undefined) unlinkLibrary(ctx, old);
    linkLibrary(ctx, lib);
    return name;
  }

  /** Compiles and runs a library's code with the load-time API: null, or the error. */
  private runLibraryCode(lib: Library, code: string, timeoutMs: number): string | null {
    const fl = this.fnLua;
    let fn: LuaClosure;
    try {
      fn = new LuaClosure(compile(code, '@user_function'), [], fl.env);
    } catch (e) {
      if (e instanceof LuaSyntaxError) return `Error compiling function: ${e.message}`;
      if (e instanceof RangeError) return 'Error compiling function: not enough memory';
      throw e;
    }
    fl.envMeta.setStr('__index', fl.loadApi);
    this.loading = lib;
    const start = monotonicMs();
    const run = fl.L.start(fn, []);
    try {
      for (;;) {
        const s = run.step(STEP_UNITS);
        if (s === 'done') return null;
        if (s === 'error') return `Error registering functions: ${errorInfo(fl.L, run.error!.value).msg}`;
        if (timeoutMs > 0 && monotonicMs() - start > timeoutMs) {
          run.abort();
          return 'Error registering functions: ERR FUNCTION LOAD timeout';
        }
      }
    } finally {
      this.loading = null;
      fl.envMeta.setStr('__index', fl.runtime);
    }
  }

  unlinkLibrary(lib: Library): void {
    unlinkLibrary(this.lib, lib);
  }

  /** FUNCTION FLUSH: no libraries, a new Lua state. */
  flushFunctions(): void {
    this.lib.libraries.clear();
    this.lib.functions.clear();
    this.fnLua = newFunctionsLua(this.fnHost, this.registerFunction, this.memoryExceeded);
  }

  /** Arguments of a function call: the KEYS and ARGV tables. */
  functionArgs(argv: string[], numkeys: number): LuaValue[] {
    return [stringArray(argv, 3, 3 + numkeys), stringArray(argv, 3 + numkeys, argv.length)];
  }

  /** Sets KEYS and ARGV for an EVAL script (globals of its state). */
  setEvalGlobals(argv: string[], numkeys: number): void {
    const G = this.evalLua.L.globals;
    G.setStr('KEYS', stringArray(argv, 3, 3 + numkeys));
    G.setStr('ARGV', stringArray(argv, 3 + numkeys, argv.length));
  }

  /** Bytes of the functions' code (INFO used_memory_functions, approximate). */
  functionsBytes(): number {
    let n = 0;
    for (const l of this.libraries.values()) n += l.code.length + 64 * (l.functions.size + 1);
    return n;
  }
}


export function linkLibrary(ctx: LibraryCtx, lib: Library): void {
  ctx.libraries.set(lib.name, lib);
  for (const [key, f] of lib.functions) ctx.functions.set(key, f);
}

export function unlinkLibrary(ctx: LibraryCtx, lib: Library): void {
  ctx.libraries.delete(lib.name);
  for (const f of lib.functions.keys()) ctx.functions.delete(f);
}

function validName(name: string): boolean {
  return /^[A-Za-z0-9_]+$/.test(name);
}

function readFlags(L: LuaState, t: LuaTable): number | null {
  let flags = 0;
  for (let j = 1; ; j++) {
    const v = L.index(t, j, -1);
    if (v === undefined) break;
    if (typeof v !== 'string' && typeof v !== 'number') return null;
    const s = String(L.tostring(v)).toLowerCase();
    const def = SCRIPT_FLAG_NAMES.find(([n]) => n === s);
    if (def === undefined) return null;
    flags |= def[1];
  }
  return flags;
}

/** Source and line of the innermost Lua function of a suspended run. */
function currentPosition(L: LuaState): [string, number] | null {
  let f = L.frame;
  while (f !== null && f.kind !== FrameKind.Lua) f = f.parent!;
  if (f === null) return null;
  const p = f.fn!.proto;
  // A loop's back edge has no line of its own: the function's line stands in.
  return ['@' + p.source, p.siteLine[f.pc] || p.line || 1];
}

const states = new WeakMap<Server, Scripting>();

/** The scripting state of a server (made on first use). */
export function scriptingOf(server: Server): Scripting {
  let s = states.get(server);
  if (s === undefined) {
    s = new Scripting(server);
    states.set(server, s);
  }
  return s;
}

/** The scripting state if it exists (INFO, BUSY checks) without creating it. */
export function scriptingIfAny(server: Server): Scripting | undefined {
  return states.get(server);
}

export type { LuaTable as _LuaTable };
