// Scripting commands: EVAL, EVALSHA, EVAL_RO, EVALSHA_RO, SCRIPT, FCALL,
// FCALL_RO and FUNCTION (Redis 7.2's eval.c and functions.c). The state and
// the runs are in src/scripting/scripting.ts, the Lua side of the Redis API
// in src/scripting/lua-redis.ts.

import { ClientFlag, type Client } from '../server/client.js';
import type { HandlerMap, Command, DynamicFlags } from './types.js';
import { feedMonitors } from './dispatch.js';
import { replyHelp, isArg } from './util.js';
import { parseInt64 } from '../protocol/format.js';
import { monotonicMs } from '../util/clock.js';
import { globMatch } from '../util/glob.js';
import { scriptingOf, scriptingIfAny, evalShebangFlags, scriptCommandFlags, SCRIPT_FLAG_NAMES, NOSCRIPT_ERROR, BUSY_EVAL_ERROR, type Scripting } from '../scripting/scripting.js';
import { dumpFunctions, restoreFunctions } from '../scripting/functions-rdb.js';

/** The run this command continues, when it runs again for a timed-out script (see Scripting.resume). */
function resuming(s: Scripting, c: Client): boolean {
  const ctx = s.running;
  if (ctx !== null && ctx.caller === c && (c.flags & ClientFlag.Reprocessing) !== 0 && !ctx.done) {
    s.resumeInCall(ctx);
    return true;
  }
  return false;
}

/** numkeys as EVAL reads it: an error reply and null when invalid. */
function numKeys(c: Client, argv: string[], notIntError: string): number | null {
  const v = parseInt64(argv[2]);
  if (v === null) {
    c.reply.error(notIntError);
    return null;
  }
  const n = Number(v);
  if (n > argv.length - 3) {
    c.reply.error("ERR Number of keys can't be greater than number of args");
    return null;
  }
  if (n < 0) {
    c.reply.error("ERR Number of keys can't be negative");
    return null;
  }
  return n;
}

function evalGeneric(c: Client, argv: string[], evalsha: boolean, ro: boolean): void {
  const s = scriptingOf(c.server);
  if (resuming(s, c)) return;
  // Fed before the script's commands (EVAL has skip_monitor: call() does not feed it).
  if (c.server.monitors.size !== 0) feedMonitors(c, argv);
  const numkeys = numKeys(c, argv, 'ERR value is not an integer or out of range');
  if (numkeys === null) return;
  let script;
  if (evalsha) {
    const sha = argv[1].toLowerCase();
    script = sha.length === 40 ? s.scripts.get(sha) : undefined;
    if (script === undefined) {
      c.reply.error(NOSCRIPT_ERROR);
      return;
    }
  } else {
    const r = s.createScript(argv[1]);
    if (typeof r === 'string') {
      c.reply.error('ERR ' + r);
      return;
    }
    script = r;
  }
  s.setEvalGlobals(argv, numkeys);
  s.startRun(c, script.fn, [], script.flags, ro, script.sha, true);
}

function fcallGeneric(c: Client, argv: string[], ro: boolean): void {
  const s = scriptingOf(c.server);
  if (resuming(s, c)) return;
  if (c.server.monitors.size !== 0) feedMonitors(c, argv);
  const fi = s.functions.get(argv[1].toLowerCase());
  if (fi === undefined) {
    c.reply.error('ERR Function not found');
    return;
  }
  const numkeys = numKeys(c, argv, 'ERR Bad number of keys provided');
  if (numkeys === null) return;
  s.startRun(c, fi.fn, s.functionArgs(argv, numkeys), fi.flags, ro, fi.name, false);
}

// ---------------------------------------------------------------------------
// SCRIPT

function scriptLoad(c: Client, argv: string[]): void {
  const r = scriptingOf(c.server).createScript(argv[2]);
  if (typeof r === 'string') c.reply.error('ERR ' + r);
  else c.reply.bulk(r.sha);
}

function scriptExists(c: Client, argv: string[]): void {
  const s = scriptingOf(c.server);
  c.reply.array(argv.length - 2);
  for (let i = 2; i < argv.length; i++) c.reply.int(s.scripts.has(argv[i].toLowerCase()) ? 1 : 0);
}

function scriptFlush(c: Client, argv: string[]): void {
  if (argv.length > 3 || (argv.length === 3 && !isArg(argv[2], 'SYNC') && !isArg(argv[2], 'ASYNC'))) {
    c.reply.error('ERR SCRIPT FLUSH only support SYNC|ASYNC option');
    return;
  }
  scriptingOf(c.server).flushScripts();
  c.reply.ok();
}

const SCRIPT_HELP = [
  'DEBUG (YES|SYNC|NO)',
  '    Set the debug mode for subsequent scripts executed.',
  'EXISTS <sha1> [<sha1> ...]',
  '    Return information about the existence of the scripts in the script cache.',
  'FLUSH [ASYNC|SYNC]',
  '    Flush the Lua scripts cache. Very dangerous on replicas.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the scripts cache.',
  '    * SYNC: Synchronously flush the scripts cache.',
  'KILL',
  '    Kill the currently executing Lua script.',
  'LOAD <script>',
  '    Load a script into the scripts cache without executing it.',
];

// ---------------------------------------------------------------------------
// FUNCTION

/** addReplySubcommandSyntaxError. */
function subcommandSyntaxError(c: Client, argv: string[]): void {
  c.reply.error(`ERR unknown subcommand or wrong number of arguments for '${argv[1].slice(0, 128)}'. Try ${argv[0].toUpperCase()} HELP.`);
}

function functionLoad(c: Client, argv: string[]): void {
  let replace = false;
  let i = 2;
  while (i < argv.length - 1) {
    const a = argv[i++];
    if (isArg(a, 'REPLACE')) {
      replace = true;
      continue;
    }
    c.reply.error(`ERR Unknown option given: ${a}`);
    return;
  }
  if (i >= argv.length) {
    c.reply.error('ERR Function code is missing');
    return;
  }
  const r = scriptingOf(c.server).loadLibrary(argv[i], replace, (c.flags & ClientFlag.Master) !== 0 ? 0 : undefined);
  if (typeof r !== 'string') {
    c.reply.error('ERR ' + r.error);
    return;
  }
  c.server.dirty++;
  c.reply.bulk(r);
}

function functionDelete(c: Client, argv: string[]): void {
  const s = scriptingOf(c.server);
  const lib = s.libraries.get(argv[2]);
  if (lib === undefined) {
    c.reply.error('ERR Library not found');
    return;
  }
  s.unlinkLibrary(lib);
  c.server.dirty++;
  c.reply.ok();
}

function functionList(c: Client, argv: string[]): void {
  let withCode = false;
  let pattern: string | null = null;
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i];
    if (!withCode && isArg(a, 'WITHCODE')) {
      withCode = true;
      continue;
    }
    if (pattern === null && isArg(a, 'LIBRARYNAME')) {
      if (i >= argv.length - 1) {
        c.reply.error('ERR library name argument was not given');
        return;
      }
      pattern = argv[++i];
      continue;
    }
    c.reply.error(`ERR Unknown argument ${a}`);
    return;
  }
  const s = scriptingOf(c.server);
  const libs = [...s.libraries.values()].filter((l) => pattern === null || globMatch(pattern, l.name, true));
  const r = c.reply;
  r.array(libs.length);
  for (const lib of libs) {
    r.map(withCode ? 4 : 3);
    r.bulk('library_name');
    r.bulk(lib.name);
    r.bulk('engine');
    r.bulk(lib.engine);
    r.bulk('functions');
    r.array(lib.functions.size);
    for (const f of lib.functions.values()) {
      r.map(3);
      r.bulk('name');
      r.bulk(f.name);
      r.bulk('description');
      if (f.desc !== null) r.bulk(f.desc);
      else r.null();
      r.bulk('flags');
      const names = SCRIPT_FLAG_NAMES.filter(([, bit]) => (f.flags & bit) !== 0);
      r.set(names.length);
      for (const [n] of names) r.simple(n);
    }
    if (withCode) {
      r.bulk('library_code');
      r.bulk(lib.code);
    }
  }
}

function functionFlush(c: Client, argv: string[]): void {
  if (argv.length > 3) {
    subcommandSyntaxError(c, argv);
    return;
  }
  if (argv.length === 3 && !isArg(argv[2], 'SYNC') && !isArg(argv[2], 'ASYNC')) {
    c.reply.error('ERR FUNCTION FLUSH only supports SYNC|ASYNC option');
    return;
  }
  scriptingOf(c.server).flushFunctions();
  c.server.dirty++;
  c.reply.ok();
}

function functionStats(c: Client): void {
  const s = scriptingOf(c.server);
  const ctx = s.running;
  if (ctx !== null && ctx.timedOut && ctx.isEval) {
    c.reply.error(BUSY_EVAL_ERROR);
    return;
  }
  const r = c.reply;
  r.map(2);
  r.bulk('running_script');
  if (ctx === null || ctx.isEval) r.null();
  else {
    r.map(3);
    r.bulk('name');
    r.bulk(ctx.funcname);
    r.bulk('command');
    r.bulks(ctx.argv);
    r.bulk('duration_ms');
    r.int(Math.floor(monotonicMs() - ctx.startMono));
  }
  r.bulk('engines');
  r.map(1);
  r.bulk('LUA');
  r.map(2);
  r.bulk('libraries_count');
  r.int(s.libraries.size);
  r.bulk('functions_count');
  r.int(s.functions.size);
}

function functionDump(c: Client): void {
  c.reply.bulkBuffer(dumpFunctions(scriptingOf(c.server), c.server.config.bool('rdbcompression')));
}

function functionRestore(c: Client, argv: string[]): void {
  let policy: 'append' | 'replace' | 'flush' = 'append';
  if (argv.length > 4) {
    subcommandSyntaxError(c, argv);
    return;
  }
  if (argv.length === 4) {
    const p = argv[3].toLowerCase();
    if (p === 'append' || p === 'replace' || p === 'flush') policy = p;
    else {
      c.reply.error('ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.');
      return;
    }
  }
  const err = restoreFunctions(scriptingOf(c.server), Buffer.from(argv[2], 'latin1'), policy);
  if (err !== null) {
    c.reply.error('ERR ' + err);
    return;
  }
  c.server.dirty++;
  c.reply.ok();
}

const FUNCTION_HELP = [
  'LOAD [REPLACE] <FUNCTION CODE>',
  '    Create a new library with the given library name and code.',
  'DELETE <LIBRARY NAME>',
  '    Delete the given library.',
  'LIST [LIBRARYNAME PATTERN] [WITHCODE]',
  '    Return general information on all the libraries:',
  '    * Library name',
  '    * The engine used to run the Library',
  '    * Library description',
  '    * Functions list',
  '    * Library code (if WITHCODE is given)',
  '    It also possible to get only function that matches a pattern using LIBRARYNAME argument.',
  'STATS',
  '    Return information about the current function running:',
  '    * Function name',
  '    * Command used to run the function',
  '    * Duration in MS that the function is running',
  '    If no function is running, return nil',
  '    In addition, returns a list of available engines.',
  'KILL',
  '    Kill the current running function.',
  'FLUSH [ASYNC|SYNC]',
  '    Delete all the libraries.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the libraries.',
  '    * SYNC: Synchronously flush the libraries.',
  'DUMP',
  '    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command',
  'RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]',
  '    Restore the libraries represented by the given payload, it is possible to give a restore policy to',
  '    control how to handle existing libraries (default APPEND):',
  '    * FLUSH: delete all existing libraries.',
  '    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.',
  '    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old',
  '      libraries with the new libraries (notice that even on this option there is a chance of failure',
  '      in case of functions name collision with another library).',
];

/**
 * The flags of EVAL, EVALSHA, FCALL and their _RO forms for their script (evalGetCommandFlags,
 * fcallGetCommandFlags): a script with a shebang or a function counts as a
 * write and deny-oom command unless its flags say no-writes / allow-oom;
 * an EVAL script without one keeps the command's flags.
 */
function evalFlags(cmd: Command, c: Client, argv: string[]): number {
  if (argv.length < 2) return cmd.flagBits;
  const name = cmd.fullName;
  let scriptFlags: number;
  if (name === 'fcall' || name === 'fcall_ro') {
    const fi = scriptingIfAny(c.server)?.functions.get(argv[1].toLowerCase());
    if (fi === undefined) return cmd.flagBits;
    scriptFlags = fi.flags;
  } else if (name === 'evalsha' || name === 'evalsha_ro') {
    const sc = argv[1].length === 40 ? scriptingIfAny(c.server)?.scripts.get(argv[1].toLowerCase()) : undefined;
    if (sc === undefined) return cmd.flagBits;
    scriptFlags = sc.flags;
  } else {
    if (!argv[1].startsWith('#!')) return cmd.flagBits;
    const sb = evalShebangFlags(argv[1]);
    if (typeof sb === 'string') return cmd.flagBits;
    scriptFlags = sb[0];
  }
  return scriptCommandFlags(cmd.flagBits, scriptFlags);
}

export const scriptDynamicFlags: Record<string, DynamicFlags> = {
  eval: evalFlags,
  eval_ro: evalFlags,
  evalsha: evalFlags,
  evalsha_ro: evalFlags,
  fcall: evalFlags,
  fcall_ro: evalFlags,
};

export const handlers: HandlerMap = {
  eval: (c, argv) => evalGeneric(c, argv, false, false),
  evalsha: (c, argv) => evalGeneric(c, argv, true, false),
  eval_ro: (c, argv) => evalGeneric(c, argv, false, true),
  evalsha_ro: (c, argv) => evalGeneric(c, argv, true, true),
  fcall: (c, argv) => fcallGeneric(c, argv, false),
  fcall_ro: (c, argv) => fcallGeneric(c, argv, true),
  'script|load': scriptLoad,
  'script|exists': scriptExists,
  'script|flush': scriptFlush,
  'script|kill': (c) => scriptingOf(c.server).kill(c, true),
  'script|help': (c) => replyHelp(c, 'SCRIPT', SCRIPT_HELP),
  'function|load': functionLoad,
  'function|delete': functionDelete,
  'function|list': functionList,
  'function|flush': functionFlush,
  'function|stats': functionStats,
  'function|dump': functionDump,
  'function|restore': functionRestore,
  'function|kill': (c) => scriptingOf(c.server).kill(c, false),
  'function|help': (c) => replyHelp(c, 'FUNCTION', FUNCTION_HELP),
};
