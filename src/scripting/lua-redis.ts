// The Redis side of Lua (Redis 7.2's script_lua.c): the sandbox built around
// a Lua state, the `redis` API table, and the conversions between Redis
// replies and Lua values in both directions.
//
// The run context of the script that is executing (RunContext, see
// src/scripting/run.ts) is reached through `ScriptHost.current`: redis.call
// and friends answer "can only be called inside a script invocation" when
// there is none (FUNCTION LOAD runs library code without one).

import crypto from 'node:crypto';
import {
  newLuaState,
  LuaState,
  LuaTable,
  LuaClosure,
  LuaError,
  NONE,
  type LuaValue,
  type HostFunction,
} from './lua/index.js';
import { FrameKind } from './lua/frame.js';
import { fpconvDtoa, formatDouble } from '../protocol/format.js';
import type { Reply } from '../protocol/reply.js';
import { SPINEL_VERSION } from '../version.js';
import type { Logger } from '../server/log.js';

/** What the API functions need from the run in progress (implemented by run.ts). */
export interface ScriptCaller {
  /** Runs one command for redis.call/pcall: returns the raw RESP reply text, or throws ScriptCallRejected. */
  call(argv: string[]): string;
  /** RESP version the script reads replies in (redis.setresp). */
  resp: 2 | 3;
  /** redis.set_repl flags. */
  replFlags: number;
  /** redis.acl_check_cmd: true when the caller may run argv; null when the command does not exist. */
  aclCheck(argv: string[]): boolean | null;
}

/** A command refused before it ran (arity, noscript, read-only script...): the text for the error table. */
export class ScriptCallRejected {
  constructor(readonly message: string) {}
}

/** Per Lua state: the run in progress, the log, what FUNCTION LOAD registers. */
export interface ScriptHost {
  current: ScriptCaller | null;
  log: Logger;
}

export const REPL_AOF = 1;
export const REPL_REPLICA = 2;
export const REPL_ALL = 3;

/** The message of an error table for `msg`, as luaPushError builds it: "-CODE text" or "text" (code ERR). */
export function errorTableText(msg: string): string {
  let code = 'ERR';
  let text = msg;
  if (msg.startsWith('-')) {
    const sp = msg.indexOf(' ');
    if (sp < 0) text = msg.slice(1);
    else {
      code = msg.slice(1, sp);
      text = msg.slice(sp + 1);
    }
  }
  text = text.replace(/^[\r\n]+|[\r\n]+$/g, '');
  return `${code} ${text}`;
}

/** {err = "CODE text"}: Redis's error table. */
export function errorTable(msg: string, ignoreStats = false): LuaTable {
  const t = new LuaTable();
  t.setStr('err', errorTableText(msg));
  if (ignoreStats) t.setStr('ignore_error_stats_update', true);
  return t;
}

/** Redis's string form of a Lua number passed to redis.call (fpconv_dtoa). */
export function numberArg(n: number): string {
  return formatDouble(n);
}

/** luaArgsToRedisArgv: strings and numbers only; null with the error table when not. */
function argsToArgv(args: LuaValue[]): string[] | LuaTable {
  if (args.length === 0) return errorTable('Please specify at least one argument for this redis lib call');
  const argv = new Array<string>(args.length);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (typeof a === 'string') argv[i] = a;
    else if (typeof a === 'number') argv[i] = numberArg(a);
    else return errorTable('Lua redis lib command arguments must be strings or integers');
  }
  return argv;
}

/** Protection of globals: a table whose __index names the missing global (luaSetErrorMetatable). */
function errorMetatable(): LuaTable {
  const mt = new LuaTable();
  mt.setStr('__index', ((L: LuaState, args: LuaValue[]) => {
    if (args.length !== 2) L.error('Wrong number of arguments to luaProtectedTableError');
    const name = args[1];
    if (typeof name !== 'string' && typeof name !== 'number') L.error('Second argument to luaProtectedTableError must be a string or number');
    L.error(`Script attempted to access nonexistent global variable '${typeof name === 'number' ? L.tostring(name) : name}'`);
  }) as HostFunction);
  return mt;
}

/** luaSetTableProtectionRecursively: the table, its table values and metatables become read-only. */
export function protectRecursively(t: LuaTable): void {
  if (t.readonly) return;
  t.readonly = true;
  t.forEach((_k, v) => {
    if (v instanceof LuaTable) protectRecursively(v);
  });
  if (t.metatable !== null) protectRecursively(t.metatable);
}

/**
 * The error handler every run uses (Redis's __redis__err__handler): a
 * non-table error becomes {err='ERR <message>'}, and the table gets the
 * source and line of the Lua function where the error was raised.
 */
export const errorHandler: HostFunction = (L, args) => {
  let err = args[0];
  let f = L.frame;
  while (f !== null && f.kind !== FrameKind.Lua && f.kind !== FrameKind.RunBase) f = f.parent!;
  if (!(err instanceof LuaTable)) {
    const t = new LuaTable();
    t.setStr('err', 'ERR ' + String(L.tostring(err)));
    err = t;
  }
  if (f !== null && f.kind === FrameKind.Lua && !err.readonly) {
    const p = f.fn!.proto;
    err.setStr('source', p.source.startsWith('[') ? p.source : '@' + p.source);
    err.setStr('line', p.siteLine[f.pc]);
  }
  return err;
};

/** The parts of an error value a reply is made of (luaExtractErrorInformation). */
export interface ErrorInfo {
  msg: string;
  source: string | null;
  line: string | null;
  ignoreStats: boolean;
}

export function errorInfo(L: LuaState, v: LuaValue): ErrorInfo {
  if (typeof v === 'string' || typeof v === 'number') return { msg: 'ERR ' + String(L.tostring(v)), source: null, line: null, ignoreStats: false };
  if (!(v instanceof LuaTable)) return { msg: 'ERR ' + String(L.tostring(v)), source: null, line: null, ignoreStats: false };
  const str = (x: LuaValue): string | null => (typeof x === 'string' ? x : typeof x === 'number' ? String(L.tostring(x)) : null);
  return {
    msg: str(v.getStr('err')) ?? '(null)',
    source: str(v.getStr('source')),
    line: str(v.getStr('line')),
    ignoreStats: v.getStr('ignore_error_stats_update') === true,
  };
}

/** Writes an error reply, counted or not in the error stats (ERR_REPLY_FLAG_NO_STATS_UPDATE). */
export function replyError(r: Reply, msg: string, countStats: boolean): void {
  if (msg.startsWith('-')) msg = msg.slice(1);
  if (countStats) r.error(msg);
  else if (r.enabled) r.raw('-' + msg.replace(/[\r\n]/g, ' ') + '\r\n');
}

/** The reply for a failed run: the message, then where the error happened. */
export function replyRunError(L: LuaState, r: Reply, value: LuaValue, funcname: string): void {
  if (!(value instanceof LuaTable)) {
    const msg = typeof value === 'string' || typeof value === 'number' ? String(L.tostring(value)) : 'execution failure';
    r.error(`ERR Error running script ${funcname}, ${msg.slice(0, 100)}`);
    return;
  }
  const info = errorInfo(L, value);
  let msg = info.msg;
  if (info.line !== null && info.source !== null) msg += ` script: ${funcname}, on ${info.source}:${info.line}.`;
  replyError(r, msg, !info.ignoreStats);
}

// ---------------------------------------------------------------------------
// Redis reply -> Lua (redisProtocolToLuaType)

/** Parses one RESP reply (RESP2 or RESP3 text) into a Lua value. */
export function replyToLua(text: string): LuaValue {
  const p = { s: text, i: 0 };
  return parseValue(p);
}

function line(p: { s: string; i: number }): string {
  const e = p.s.indexOf('\r\n', p.i);
  const l = p.s.slice(p.i + 1, e);
  p.i = e + 2;
  return l;
}

function parseValue(p: { s: string; i: number }): LuaValue {
  const t = p.s[p.i];
  switch (t) {
    case ':':
      return Number(line(p));
    case '$': {
      const n = Number(line(p));
      if (n < 0) return false;
      const v = p.s.slice(p.i, p.i + n);
      p.i += n + 2;
      return v;
    }
    case '+': {
      const tb = new LuaTable();
      tb.setStr('ok', line(p));
      return tb;
    }
    case '-': {
      return errorTable('-' + line(p), true);
    }
    case '*':
    case '~': {
      const n = Number(line(p));
      if (n < 0) return false;
      if (t === '*') {
        const tb = new LuaTable(n, 0);
        for (let i = 1; i <= n; i++) tb.setInt(i, parseValue(p));
        return tb;
      }
      const set = new LuaTable(0, n);
      for (let i = 0; i < n; i++) {
        const k = parseValue(p);
        if (k !== undefined) set.set(k, true);
      }
      const tb = new LuaTable();
      tb.setStr('set', set);
      return tb;
    }
    case '%': {
      const n = Number(line(p));
      const map = new LuaTable(0, n);
      for (let i = 0; i < n; i++) {
        const k = parseValue(p);
        const v = parseValue(p);
        if (k !== undefined) map.set(k, v);
      }
      const tb = new LuaTable();
      tb.setStr('map', map);
      return tb;
    }
    case '>': {
      const n = Number(line(p));
      const tb = new LuaTable(n, 0);
      for (let i = 1; i <= n; i++) tb.setInt(i, parseValue(p));
      return tb;
    }
    case '|': {
      // Attributes are skipped (Redis drops them), the value follows.
      const n = Number(line(p));
      for (let i = 0; i < 2 * n; i++) parseValue(p);
      return parseValue(p);
    }
    case '_':
      line(p);
      return undefined;
    case '#':
      return line(p) === 't';
    case ',': {
      const s = line(p);
      const tb = new LuaTable();
      tb.setStr('double', s === 'inf' ? Infinity : s === '-inf' ? -Infinity : s === 'nan' ? NaN : Number(s));
      return tb;
    }
    case '(': {
      const tb = new LuaTable();
      tb.setStr('big_number', line(p));
      return tb;
    }
    case '=': {
      const n = Number(line(p));
      const body = p.s.slice(p.i, p.i + n);
      p.i += n + 2;
      const v = new LuaTable();
      v.setStr('format', body.slice(0, 3));
      v.setStr('string', body.slice(4));
      const tb = new LuaTable();
      tb.setStr('verbatim_string', v);
      return tb;
    }
    default:
      throw new Error(`unexpected reply type '${t}'`);
  }
}

// ---------------------------------------------------------------------------
// Lua -> Redis reply (luaReplyToRedisReply)

/** Nesting Redis's Lua stack allows in a reply before "reached lua stack limit". */
const MAX_REPLY_DEPTH = 1000;

/** Writes a Lua value as the reply; `scriptResp` is the RESP version the script set (booleans depend on it). */
export function luaToReply(L: LuaState, r: Reply, v: LuaValue, scriptResp: 2 | 3, depth = 0): void {
  if (depth >= MAX_REPLY_DEPTH) {
    r.error('ERR reached lua stack limit');
    return;
  }
  if (typeof v === 'string') return r.bulk(v);
  if (typeof v === 'boolean') {
    if (scriptResp === 2) {
      if (v) r.int(1);
      else r.null();
    } else r.bool(v);
    return;
  }
  if (typeof v === 'number') return r.int(toLongLong(v));
  if (!(v instanceof LuaTable)) return r.null();
  const err = v.getStr('err');
  if (typeof err === 'string') {
    const info = errorInfo(L, v);
    replyError(r, info.msg.startsWith('-') ? info.msg : '-' + info.msg, !info.ignoreStats);
    return;
  }
  const ok = v.getStr('ok');
  if (typeof ok === 'string') return r.simple(ok.replace(/[\r\n]/g, ' '));
  const dbl = v.getStr('double');
  if (typeof dbl === 'number') return r.double(dbl);
  const big = v.getStr('big_number');
  if (typeof big === 'string') return r.bigNumber(big.replace(/[\r\n]/g, ' '));
  const verb = v.getStr('verbatim_string');
  if (verb instanceof LuaTable) {
    const format = verb.getStr('format');
    const str = verb.getStr('string');
    if (typeof format === 'string' && typeof str === 'string') return r.verbatim(str, format);
  }
  const map = v.getStr('map');
  if (map instanceof LuaTable) {
    const mark = r.deferLen();
    let n = 0;
    for (let p = map.nextPos(-1); p >= 0; p = map.nextPos(p)) {
      luaToReply(L, r, map.keyAt(p), scriptResp, depth + 1);
      luaToReply(L, r, map.valueAt(p), scriptResp, depth + 1);
      n++;
    }
    r.setDeferredMap(mark, n);
    return;
  }
  const set = v.getStr('set');
  if (set instanceof LuaTable) {
    const mark = r.deferLen();
    let n = 0;
    for (let p = set.nextPos(-1); p >= 0; p = set.nextPos(p)) {
      luaToReply(L, r, set.keyAt(p), scriptResp, depth + 1);
      n++;
    }
    r.setDeferredSet(mark, n);
    return;
  }
  const mark = r.deferLen();
  let n = 0;
  for (;;) {
    const e = v.getInt(n + 1);
    if (e === undefined) break;
    luaToReply(L, r, e, scriptResp, depth + 1);
    n++;
  }
  r.setDeferredArray(mark, n);
}

/** (long long) cast of a Lua number, as x86 does it (out of range and NaN give LLONG_MIN). */
function toLongLong(n: number): number | bigint {
  const t = Math.trunc(n);
  if (Number.isSafeInteger(t)) return t;
  if (!(t >= -9223372036854775808 && t < 9223372036854775808)) return -9223372036854775808n;
  return BigInt(t);
}

// ---------------------------------------------------------------------------
// The `redis` table

function luaCallFn(host: ScriptHost, raise: boolean): HostFunction {
  return (L, args) => {
    const cur = host.current;
    if (cur === null) throw new LuaError(errorTable('redis.call/pcall can only be called inside a script invocation'));
    const argv = argsToArgv(args);
    if (argv instanceof LuaTable) {
      if (raise) throw new LuaError(argv);
      return argv;
    }
    let v: LuaValue;
    try {
      v = replyToLua(cur.call(argv));
    } catch (e) {
      if (!(e instanceof ScriptCallRejected)) throw e;
      v = errorTable(e.message, true);
      if (raise) throw new LuaError(v);
      return v;
    }
    if (raise && v instanceof LuaTable && typeof v.getStr('err') === 'string' && v.getStr('ignore_error_stats_update') === true) {
      throw new LuaError(v);
    }
    return v;
  };
}

function singleFieldTable(field: string): HostFunction {
  return (_L, args) => {
    if (args.length !== 1 || typeof args[0] !== 'string') return errorTable('wrong number or type of arguments');
    const t = new LuaTable();
    t.setStr(field, args[0]);
    return t;
  };
}

/** redis.log, as Redis registers it for scripts and for FUNCTION LOAD. */
function logFn(host: ScriptHost): HostFunction {
  return (L, args) => {
    const argc = args.length;
    if (argc < 2) throw new LuaError(errorTable('redis.log() requires two arguments or more.'));
    const lv = args[0];
    const level = typeof lv === 'number' ? lv : typeof lv === 'string' && lv.trim() !== '' && !Number.isNaN(Number(lv)) ? Number(lv) : null;
    if (level === null) throw new LuaError(errorTable('First argument must be a number (log level).'));
    if (level < 0 || level > 3) throw new LuaError(errorTable('Invalid debug level.'));
    const parts: string[] = [];
    for (let j = 1; j < argc; j++) {
      const a = args[j];
      if (typeof a === 'string') parts.push(a);
      else if (typeof a === 'number') parts.push(String(L.tostring(a)));
    }
    const msg = parts.join(' ');
    const log = host.log;
    const lvl = Math.trunc(level);
    if (lvl === 0) log.debug(msg);
    else if (lvl === 1) log.verbose(msg);
    else if (lvl === 2) log.notice(msg);
    else log.warning(msg);
    return NONE;
  };
}

function addVersionAndLogConstants(t: LuaTable, host: ScriptHost): void {
  t.setStr('log', logFn(host));
  t.setStr('LOG_DEBUG', 0);
  t.setStr('LOG_VERBOSE', 1);
  t.setStr('LOG_NOTICE', 2);
  t.setStr('LOG_WARNING', 3);
  const [maj, min, patch] = SPINEL_VERSION.split('.').map(Number);
  t.setStr('REDIS_VERSION', SPINEL_VERSION);
  t.setStr('REDIS_VERSION_NUM', (maj << 16) | (min << 8) | patch);
}

/** Builds the full `redis` table scripts see while running. */
function redisApi(host: ScriptHost, registerFunction: HostFunction | null): LuaTable {
  const R = new LuaTable();
  R.setStr('call', luaCallFn(host, true));
  R.setStr('pcall', luaCallFn(host, false));
  R.setStr('error_reply', ((_L, args) => {
    if (args.length !== 1 || typeof args[0] !== 'string') return errorTable('wrong number or type of arguments');
    const e = args[0];
    return errorTable(e.startsWith('-') ? e : '-' + e);
  }) as HostFunction);
  R.setStr('status_reply', singleFieldTable('ok'));
  R.setStr('sha1hex', ((L, args) => {
    if (args.length !== 1) throw new LuaError(errorTable('wrong number of arguments'));
    const a = args[0];
    const s = typeof a === 'string' ? a : typeof a === 'number' ? String(L.tostring(a)) : '';
    return crypto.createHash('sha1').update(Buffer.from(s, 'latin1')).digest('hex');
  }) as HostFunction);
  addVersionAndLogConstants(R, host);
  R.setStr('setresp', ((_L, args) => {
    const cur = host.current;
    if (cur === null) throw new LuaError(errorTable('redis.setresp can only be called inside a script invocation'));
    if (args.length !== 1) throw new LuaError(errorTable('redis.setresp() requires one argument.'));
    const a = args[0];
    const n = typeof a === 'number' ? Math.trunc(a) : typeof a === 'string' ? Math.trunc(Number(a)) : 0;
    if (n !== 2 && n !== 3) throw new LuaError(errorTable('RESP version must be 2 or 3.'));
    cur.resp = n;
    return NONE;
  }) as HostFunction);
  R.setStr('set_repl', ((_L, args) => {
    const cur = host.current;
    if (cur === null) throw new LuaError(errorTable('redis.set_repl can only be called inside a script invocation'));
    if (args.length !== 1) throw new LuaError(errorTable('redis.set_repl() requires one argument.'));
    const a = args[0];
    const flags = typeof a === 'number' ? Math.trunc(a) : typeof a === 'string' ? Math.trunc(Number(a)) : 0;
    if ((flags & ~(REPL_AOF | REPL_REPLICA)) !== 0 || Number.isNaN(flags)) {
      throw new LuaError(errorTable('Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.'));
    }
    cur.replFlags = flags;
    return NONE;
  }) as HostFunction);
  R.setStr('REPL_NONE', 0);
  R.setStr('REPL_AOF', REPL_AOF);
  R.setStr('REPL_SLAVE', REPL_REPLICA);
  R.setStr('REPL_REPLICA', REPL_REPLICA);
  R.setStr('REPL_ALL', REPL_ALL);
  R.setStr('replicate_commands', (() => true) as HostFunction);
  R.setStr('breakpoint', (() => false) as HostFunction);
  R.setStr('debug', (() => NONE) as HostFunction);
  R.setStr('acl_check_cmd', ((_L, args) => {
    const cur = host.current;
    if (cur === null) throw new LuaError(errorTable('redis.acl_check_cmd can only be called inside a script invocation'));
    const argv = argsToArgv(args);
    if (argv instanceof LuaTable) throw new LuaError(argv);
    const ok = cur.aclCheck(argv);
    if (ok === null) throw new LuaError(errorTable('Invalid command passed to redis.acl_check_cmd()'));
    return ok;
  }) as HostFunction);
  if (registerFunction !== null) R.setStr('register_function', registerFunction);
  return R;
}

/**
 * Removes what Redis does not load and makes loadstring refuse bytecode
 * (Redis's Lua refuses binary chunks: loadstring returns nil).
 */
function sandboxBase(L: LuaState): void {
  const G = L.globals;
  for (const name of ['print', 'dofile', 'loadfile', 'module', 'require', 'os', 'io', 'package', 'debug']) G.setStr(name, undefined);
  const loadstring = G.getStr('loadstring') as HostFunction;
  G.setStr('loadstring', ((L2, args) => {
    const s = args[0];
    if (typeof s === 'string' && s.charCodeAt(0) === 27) return [undefined, 'Bytecode loading is not allowed'];
    return loadstring(L2, args);
  }) as HostFunction);
}

export interface EvalLua {
  L: LuaState;
  host: ScriptHost;
}

/**
 * The Lua state of EVAL scripts: Redis's libraries, the `redis` table, the
 * error handler, and every global table read-only, with an error for a
 * missing global.
 */
export function newEvalLua(host: ScriptHost, memoryExceeded: () => boolean): EvalLua {
  const L = newLuaState({ memoryExceeded });
  sandboxBase(L);
  const G = L.globals;
  G.setStr('redis', redisApi(host, null));
  G.setStr('__redis__err__handler', errorHandler);
  G.metatable = errorMetatable();
  protectRecursively(G);
  return { L, host };
}

/** Sets a global of a protected globals table (KEYS, ARGV). */
export function setProtectedGlobal(G: LuaTable, name: string, v: LuaValue): void {
  G.setStr(name, v);
}

/** A Lua array of strings (luaCreateArray). */
export function stringArray(items: string[], from: number, to: number): LuaTable {
  const t = new LuaTable(to - from, 0);
  for (let i = from; i < to; i++) t.setInt(i - from + 1, items[i]);
  return t;
}

export interface FunctionsLua {
  L: LuaState;
  host: ScriptHost;
  /** The globals closures see: empty, read-only; its metatable's __index is the API of the moment. */
  env: LuaTable;
  envMeta: LuaTable;
  /** The globals while functions run (all libraries and the full `redis` table). */
  runtime: LuaTable;
  /** The globals while FUNCTION LOAD runs a library's code: only a reduced `redis` table. */
  loadApi: LuaTable;
}

/**
 * The Lua state of functions (function_lua.c): one state for every library;
 * their code sees a reduced `redis` table (register_function, log, version)
 * while FUNCTION LOAD runs it, and everything else when the functions run.
 */
export function newFunctionsLua(host: ScriptHost, registerFunction: HostFunction, memoryExceeded: () => boolean): FunctionsLua {
  const L = newLuaState({ memoryExceeded });
  sandboxBase(L);
  const runtime = L.globals;
  // While functions run, `redis` has no register_function (calling it is calling a nil field).
  runtime.setStr('redis', redisApi(host, null));
  runtime.metatable = errorMetatable();
  protectRecursively(runtime);
  const loadRedis = new LuaTable();
  loadRedis.setStr('register_function', registerFunction);
  addVersionAndLogConstants(loadRedis, host);
  loadRedis.metatable = errorMetatable();
  const loadApi = new LuaTable();
  loadApi.setStr('redis', loadRedis);
  loadApi.metatable = errorMetatable();
  protectRecursively(loadApi);
  const env = new LuaTable();
  const envMeta = new LuaTable();
  envMeta.setStr('__index', runtime);
  env.metatable = envMeta;
  env.readonly = true;
  envMeta.readonly = true;
  L.globals = env;
  return { L, host, env, envMeta, runtime, loadApi };
}

/** Compiles a chunk for a state, with the given environment. */
export function isLuaFunction(v: LuaValue): v is LuaClosure | HostFunction {
  return v instanceof LuaClosure || typeof v === 'function';
}

export { formatDouble };
