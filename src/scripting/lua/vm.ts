// The Lua state: the running coroutine's frame stack, the trampoline that
// runs frames, the call protocol, errors, and the operations compiled code
// calls when its inline fast paths do not apply (metamethods, coercions,
// errors with Lua 5.1's messages).
//
// Execution never nests on the JavaScript stack for Lua-to-Lua calls: a
// compiled body that calls a Lua function pushes a frame and returns to the
// trampoline (`execute`), which runs the top frame's body. So a run can stop
// between any two calls or loop iterations (when its instruction budget is
// spent, or when a host function asks to wait) and be continued later, and
// coroutines are just other frame stacks. Host functions that call back into
// Lua synchronously (metamethods, table.sort's comparator, gsub's
// replacement function, tostring's __tostring) use `callSync`, a nested run
// that cannot be suspended: it is Lua 5.1's C-call boundary (yielding across
// it is an error, as in 5.1), and a time slice that ends inside it is
// extended until it returns.

import { LuaTable, TableOverflow } from './table.js';
import {
  Coroutine,
  LuaClosure,
  LuaError,
  NONE,
  PENDING,
  Userdata,
  addressOf,
  type HostFunction,
  type LuaValue,
  type Pending,
} from './value.js';
import { Frame, FrameKind, type FrameBody } from './frame.js';
import { numberToString, str2number, toCInt, toCInteger } from './numbers.js';
import type { Proto } from './proto.js';

/** Lua 5.1's LUAI_MAXCALLS: its CallInfo vector cannot grow past 16384 entries. */
export const MAX_LUA_DEPTH = 16380;
/** LUAI_MAXCCALLS: nested C calls (pcall, metamethods, callbacks from host functions). */
export const MAX_C_CALLS = 200;
/** LUAI_MAXCSTACK: most values a host function may push (unpack, string.byte...). */
export const MAX_C_STACK = 8000;
/** Most Lua calls a body runs directly (as JavaScript calls) before deferring to the trampoline. */
const MAX_DIRECT_DEPTH = 100;
/** Budget given to a nested run that outlives its time slice (it cannot suspend). */
const NESTED_EXTENSION = 1 << 20;

export const enum ArithOp {
  Add = 0,
  Sub = 1,
  Mul = 2,
  Div = 3,
  Mod = 4,
  Pow = 5,
}
const ARITH_EVENTS = ['__add', '__sub', '__mul', '__div', '__mod', '__pow'];

/** frameAtLevel's answer for a level lost to a tail call. */
export const TAIL_CALL = Symbol('tail call');

export function typeName(v: LuaValue): string {
  switch (typeof v) {
    case 'undefined':
      return 'nil';
    case 'boolean':
      return 'boolean';
    case 'number':
      return 'number';
    case 'string':
      return 'string';
    case 'function':
      return 'function';
    default:
      if (v instanceof LuaTable) return 'table';
      if (v instanceof LuaClosure) return 'function';
      if (v instanceof Coroutine) return 'thread';
      return 'userdata';
  }
}

export function isFunction(v: LuaValue): v is LuaClosure | HostFunction {
  return typeof v === 'function' || v instanceof LuaClosure;
}

/** lua_tonumber: numbers, and strings that read as numbers. */
export function toNumber(v: LuaValue): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return str2number(v);
  return undefined;
}

/** tostring without metamethods (luaL_tolstring's default branch). */
export function basicToString(v: LuaValue): string {
  switch (typeof v) {
    case 'undefined':
      return 'nil';
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      return numberToString(v);
    case 'string':
      return v;
    default:
      if (v instanceof Userdata && v.light) return 'userdata: (nil)'; // glibc's %p of NULL
      // shaped like a 64-bit heap pointer, as %p prints one
      return `${typeName(v)}: 0x${(0x555500000000 + addressOf(v as object)).toString(16)}`;
  }
}

function runBaseBody(): void {
  throw new Error('run base frame executed');
}
function barrierBody(): void {
  throw new Error('barrier frame executed');
}

function pcallDone(L: LuaState, fr: Frame): void {
  L.popProtected(fr);
  L.setResults(prepend(true, L.results()));
}

function coroutineDone(L: LuaState, fr: Frame): void {
  void fr;
  L.finishCoroutine(true, L.results());
}

export function prepend(v: LuaValue, rest: LuaValue[]): LuaValue[] {
  const out = new Array<LuaValue>(rest.length + 1);
  out[0] = v;
  for (let i = 0; i < rest.length; i++) out[i + 1] = rest[i];
  return out;
}

export interface LuaStateOptions {
  /** Where print() writes (print is only registered when this is given). */
  print?: (line: string) => void;
  /**
   * Asked before each time slice of a run: true fails the run with "not
   * enough memory" (Lua's memory error) instead of letting the heap run out.
   */
  memoryExceeded?: () => boolean;
}

export class LuaState {
  /** Top frame of the running coroutine. */
  frame: Frame;
  /** The running coroutine. */
  co: Coroutine;
  readonly main: Coroutine;
  /** Instruction budget of the current slice: decremented at function entries and loop iterations. */
  budget = 1 << 30;
  /** Results of the last call or return. */
  r1: LuaValue = undefined;
  rs: LuaValue[] = NONE;
  rn = 0;
  globals: LuaTable;
  /** Metatable shared by strings ({__index = string}). */
  stringMeta: LuaTable | null = null;
  /** Depth of nested runs (host functions calling Lua synchronously). */
  nested = 0;
  /** A host function asked the run to stop after its call (see requestSuspend). */
  suspendRequested = false;
  /** Depth of Lua calls run directly (runCallee) on the JavaScript stack. */
  private jsDepth = 0;
  /** A time slice ended inside a nested run: suspend as soon as possible. */
  private overdue = false;
  /** Base frame of the current run, if any. */
  private runBase: Frame | null = null;
  /** The base `next` and ipairs' iterator, which generic for loops run inline. */
  nextFn: HostFunction | null = null;
  ipairsIter: HostFunction | null = null;
  readonly options: LuaStateOptions;

  constructor(options: LuaStateOptions = {}) {
    this.options = options;
    this.main = new Coroutine(null);
    this.main.status = 'running';
    this.main.started = true;
    this.co = this.main;
    this.frame = new Frame(runBaseBody, null, NONE, null, 0, FrameKind.RunBase);
    this.globals = new LuaTable();
  }

  // ---------------------------------------------------------------------
  // Results

  setResults(r: LuaValue | LuaValue[]): void {
    if (r instanceof Array) {
      this.rs = r;
      this.rn = r.length;
      this.r1 = r[0];
    } else {
      this.r1 = r;
      this.rn = 1;
    }
  }

  /** All results of the last call, as an array (do not modify it). */
  results(): LuaValue[] {
    return this.rn === 1 ? [this.r1] : this.rs;
  }

  // ---------------------------------------------------------------------
  // Calls

  /**
   * Calls f from the current frame. Returns false when the call completed
   * (results in r1/rs/rn), true when the caller must return to the
   * trampoline (a Lua frame was pushed, or a host function is pending).
   */
  call(f: LuaValue, args: LuaValue[]): boolean {
    if (f instanceof LuaClosure) {
      this.pushLua(f, args, this.frame);
      return true;
    }
    if (typeof f === 'function') {
      const r = (f as HostFunction)(this, args);
      if (r === PENDING) return true;
      this.setResults(r as LuaValue | LuaValue[]);
      return false;
    }
    const h = this.metaOf(f, '__call');
    if (h === undefined || !isFunction(h)) this.typeErrorAt(f, 'call', this.frame.pc, 1);
    return this.call(h, prepend(f, args));
  }

  /**
   * After call() pushed a frame above `fr`: runs the callee right away, as a
   * JavaScript call, when it is a plain Lua call and the JavaScript stack is
   * not too deep (so calls cost no trip through the trampoline). Returns
   * true when `fr` must still return to the trampoline: the callee (or a
   * tail call it made) was not run to completion here, because it
   * suspended, yielded, is waiting for a host function, or is too deep.
   */
  runCallee(fr: Frame): boolean {
    if (this.suspendRequested || this.jsDepth >= MAX_DIRECT_DEPTH) return true;
    this.jsDepth++;
    let f = this.frame;
    while (f !== fr && f.parent === fr && f.kind === FrameKind.Lua && f.pc === 0 && this.budget >= 0) {
      f.body(this, f);
      f = this.frame;
    }
    this.jsDepth--;
    return f !== fr || this.suspendRequested;
  }

  /** A tail call from frame fr (compiled `return f(...)`). */
  tailCall(fr: Frame, f: LuaValue, args: LuaValue[]): boolean {
    if (f instanceof LuaClosure) {
      const parent = fr.parent!;
      this.frame = parent;
      this.pushLua(f, args, parent);
      this.frame.tail = fr.tail + 1;
      return true;
    }
    return this.call(f, args);
  }

  pushLua(f: LuaClosure, args: LuaValue[], parent: Frame): void {
    const depth = parent.depth + 1;
    if (depth > MAX_LUA_DEPTH) this.rtError('stack overflow');
    this.frame = new Frame(f.proto.body, f, args, parent, depth, FrameKind.Lua);
  }

  /** Pushes a host continuation frame above the current one. */
  pushHost(body: FrameBody, kind: FrameKind, data?: unknown): Frame {
    const parent = this.frame;
    const fr = new Frame(body, null, NONE, parent, parent.depth, kind);
    fr.data = data;
    this.frame = fr;
    return fr;
  }

  /** Enters a C-call boundary (pcall, nested runs): counts nesting as Lua 5.1 counts nCcalls. */
  private enterCCall(): boolean {
    const co = this.co;
    if (co.nCcalls + 1 >= MAX_C_CALLS) return false;
    co.nCcalls++;
    co.nny++;
    return true;
  }

  private leaveCCall(co: Coroutine): void {
    co.nCcalls--;
    co.nny--;
  }

  /** pcall/xpcall: protected call of f from a frame that catches errors. */
  protectedCall(f: LuaValue, args: LuaValue[], handler: LuaValue | null): LuaValue[] | Pending {
    if (!this.enterCCall()) return [false, 'C stack overflow'];
    const pf = this.pushHost(pcallDone, handler === null ? FrameKind.Pcall : FrameKind.Xpcall, handler);
    let pending: boolean;
    try {
      pending = this.call(f, args);
    } catch (e) {
      const err = this.toLuaError(e);
      let value = err.value;
      if (handler !== null) value = this.runHandler(handler, value);
      this.frame = pf;
      this.popProtected(pf);
      return [false, value];
    }
    if (pending) return PENDING;
    this.popProtected(pf);
    return prepend(true, this.results());
  }

  popProtected(pf: Frame): void {
    this.frame = pf.parent!;
    this.leaveCCall(this.co);
  }

  /**
   * Calls f synchronously from a host function (lua_call): a nested run that
   * cannot be suspended. `meta` marks metamethod calls, which Lua 5.1 makes
   * from the Lua function itself (no C function in between).
   */
  callSync(f: LuaValue, args: LuaValue[], meta = false): LuaValue[] {
    if (!this.enterCCall()) this.rtError('C stack overflow');
    const co = this.co;
    const barrier = new Frame(barrierBody, null, NONE, this.frame, this.frame.depth, FrameKind.Barrier);
    barrier.data = meta;
    this.frame = barrier;
    this.nested++;
    try {
      if (this.call(f, args)) this.execute(barrier);
      return this.results();
    } finally {
      this.nested--;
      this.frame = barrier.parent!;
      this.leaveCCall(co);
      if (this.nested === 0 && this.overdue) {
        this.overdue = false;
        this.budget = 0;
      }
    }
  }

  /** First result of a metamethod call. */
  callMeta(h: LuaValue, args: LuaValue[]): LuaValue {
    const r = this.callSync(h, args, true);
    return r[0];
  }

  /** Asks the current run to stop once the pending host call returns PENDING. */
  requestSuspend(): void {
    if (this.nested > 0) this.error('attempt to suspend across a C-call boundary');
    this.suspendRequested = true;
  }

  // ---------------------------------------------------------------------
  // The trampoline

  /**
   * Runs frames until `stop` is the top frame again (returns true), or until
   * the run must suspend (returns false; never in a nested run).
   */
  execute(stop: Frame): boolean {
    const depth = this.jsDepth;
    for (;;) {
      try {
        for (;;) {
          const fr = this.frame;
          if (fr === stop) return true;
          if (this.budget < 0 || this.suspendRequested) {
            if (this.nested === 0) return false;
            this.overdue = true;
            this.budget = NESTED_EXTENSION;
          }
          fr.body(this, fr);
        }
      } catch (e) {
        this.jsDepth = depth;
        this.handleError(e, stop);
      }
    }
  }

  /** Converts what a body or host function threw into a Lua error (or rethrows engine bugs). */
  toLuaError(e: unknown): LuaError {
    if (e instanceof LuaError) return e;
    if (e instanceof TableOverflow) return new LuaError(this.where(1) + 'table overflow');
    if (e instanceof RangeError) {
      if (/call stack/i.test(e.message)) return new LuaError('C stack overflow');
      if (/Map maximum size/i.test(e.message)) return new LuaError(this.where(1) + 'table overflow');
      return new LuaError('not enough memory');
    }
    throw e;
  }

  private handleError(e: unknown, stop: Frame): void {
    const err = this.toLuaError(e);
    let f: Frame | null = this.frame;
    while (f !== stop && f !== null) {
      const k = f.kind;
      if (k === FrameKind.Pcall || k === FrameKind.Xpcall || k === FrameKind.CoroutineBase) break;
      f = f.parent;
    }
    if (f === null || f === stop) {
      if (stop.kind === FrameKind.RunBase && stop.data !== undefined && !err.handled) {
        err.value = this.runHandler(stop.data as LuaValue, err.value);
        err.handled = true;
      }
      this.frame = stop;
      throw err;
    }
    let value = err.value;
    if (f.kind === FrameKind.Xpcall) value = this.runHandler(f.data as LuaValue, value);
    if (f.kind === FrameKind.CoroutineBase) {
      this.frame = f;
      this.finishCoroutine(false, [value]);
      return;
    }
    this.frame = f;
    this.popProtected(f);
    this.setResults([false, value]);
  }

  /** Calls an error handler (xpcall's) at the point of the error; its failure is "error in error handling". */
  private runHandler(h: LuaValue, value: LuaValue): LuaValue {
    try {
      return this.callSync(h, [value])[0];
    } catch (e) {
      if (e instanceof LuaError) return 'error in error handling';
      throw e;
    }
  }

  // ---------------------------------------------------------------------
  // Runs

  /** Starts calling fn(args) as a run; drive it with LuaRun.step. */
  start(fn: LuaValue, args: LuaValue[], errorHandler?: LuaValue): LuaRun {
    if (this.runBase !== null) throw new Error('a run is already active');
    const base = new Frame(runBaseBody, null, NONE, this.frame, this.frame.depth, FrameKind.RunBase);
    base.data = errorHandler;
    this.runBase = base;
    return new LuaRun(this, base, fn, args);
  }

  /** Runs fn(args) to completion (no time slices). Throws LuaError. */
  callFunction(fn: LuaValue, args: LuaValue[]): LuaValue[] {
    const run = this.start(fn, args);
    for (;;) {
      const s = run.step(1 << 20);
      if (s === 'done') return run.results;
      if (s === 'error') throw run.error!;
    }
  }

  /** @internal */
  endRun(base: Frame): void {
    this.runBase = null;
    this.frame = base.parent!;
    this.co = this.main;
    this.main.status = 'running';
    this.main.nny = 0;
    this.main.nCcalls = 0;
    this.suspendRequested = false;
    this.overdue = false;
    this.nested = 0;
    this.jsDepth = 0;
  }

  // ---------------------------------------------------------------------
  // Coroutines

  resume(co: Coroutine, args: LuaValue[]): LuaValue[] | Pending {
    if (co.status !== 'suspended') return [false, `cannot resume ${co.status} coroutine`];
    const cur = this.co;
    cur.frame = this.frame;
    cur.status = 'normal';
    co.resumer = cur;
    co.status = 'running';
    this.co = co;
    if (!co.started) {
      co.started = true;
      const base = new Frame(coroutineDone, null, NONE, null, 0, FrameKind.CoroutineBase);
      this.frame = base;
      // 5.1 only accepts Lua functions here (coroutine.create checks)
      this.pushLua(co.fn as LuaClosure, args, base);
      return PENDING;
    }
    this.frame = co.frame!;
    co.frame = null;
    this.setResults(args);
    return PENDING;
  }

  yield(args: LuaValue[]): Pending {
    const co = this.co;
    if (co === this.main || co.nny > 0) this.error('attempt to yield across metamethod/C-call boundary', 0);
    co.status = 'suspended';
    co.frame = this.frame;
    const r = co.resumer!;
    co.resumer = null;
    r.status = 'running';
    this.co = r;
    this.frame = r.frame!;
    r.frame = null;
    this.setResults(prepend(true, args));
    return PENDING;
  }

  /** The running coroutine's function returned (ok) or failed. */
  finishCoroutine(ok: boolean, values: LuaValue[]): void {
    const co = this.co;
    co.status = 'dead';
    co.frame = null;
    const r = co.resumer!;
    co.resumer = null;
    r.status = 'running';
    this.co = r;
    this.frame = r.frame!;
    r.frame = null;
    this.setResults(prepend(ok, values));
  }

  // ---------------------------------------------------------------------
  // Errors

  /**
   * The frame `level` levels up (1 = the function that called the running
   * host function), TAIL_CALL for a level lost to a tail call, or null past
   * the bottom of the stack.
   */
  frameAtLevel(level: number): Frame | typeof TAIL_CALL | null {
    // lua_getstack, with level 0 being the running host function (which has no frame)
    const skipMeta = (x: Frame | null): Frame | null => {
      while (x !== null && x.kind === FrameKind.Barrier && x.data === true) x = x.parent;
      return x;
    };
    const isBottom = (x: Frame | null): boolean =>
      x === null || x.kind === FrameKind.RunBase || x.kind === FrameKind.CoroutineBase;
    let f = skipMeta(this.frame);
    let lv = level - 1;
    while (lv > 0 && !isBottom(f)) {
      lv--;
      if (f!.kind === FrameKind.Lua) lv -= f!.tail;
      f = skipMeta(f!.parent);
    }
    if (lv < 0) return TAIL_CALL;
    if (lv > 0 || isBottom(f)) return null;
    return f;
  }

  /** luaL_where: "chunk:line: " for a Lua function at that level, else "". */
  where(level: number): string {
    const f = this.frameAtLevel(level);
    if (f === null || f === TAIL_CALL || f.kind !== FrameKind.Lua) return '';
    const p = f.fn!.proto;
    return `${p.source}:${p.siteLine[f.pc]}: `;
  }

  /** luaL_error: an error with the position of the calling Lua function. */
  error(msg: string, level = 1): never {
    throw new LuaError(level > 0 ? this.where(level) + msg : msg);
  }

  /** luaG_runerror from compiled code: position of the current frame at `site`. */
  rtError(msg: string, site?: number): never {
    const f = this.frame;
    if (site !== -1 && f.kind === FrameKind.Lua) {
      const p = f.fn!.proto;
      // The frame is unwound by the error; its pc now names the failing site for error handlers (currentline).
      if (site !== undefined) f.pc = site;
      throw new LuaError(`${p.source}:${p.siteLine[f.pc]}: ${msg}`);
    }
    throw new LuaError(msg);
  }

  /** luaG_typeerror: names the operand when compiled code knows how it was obtained. */
  typeErrorAt(v: LuaValue, op: string, site: number, which: number): never {
    const f = this.frame;
    let name: string | null = null;
    if (f.kind === FrameKind.Lua && which > 0 && site >= 0) {
      const p = f.fn!.proto;
      name = which === 1 ? p.siteName[site] : which === 2 ? p.siteName2[site] : null;
    }
    const t = typeName(v);
    this.rtError(name !== null ? `attempt to ${op} ${name} (a ${t} value)` : `attempt to ${op} a ${t} value`, site);
  }

  /** The name and kind of the running host function as its caller sees it (getfuncname). */
  private calledAs(): [string, string] | null {
    const f = this.frame;
    if (f.kind !== FrameKind.Lua) return null;
    return f.fn!.proto.siteCall[f.pc] ?? null;
  }

  /** luaL_argerror. */
  argError(narg: number, extra: string): never {
    const info = this.calledAs();
    if (info !== null && info[0] === 'method') {
      narg--;
      if (narg === 0) this.error(`calling '${info[1]}' on bad self (${extra})`);
    }
    this.error(`bad argument #${narg} to '${info === null ? '?' : info[1]}' (${extra})`);
  }

  /** luaL_typerror. */
  argTypeError(args: LuaValue[], narg: number, expected: string): never {
    const got = narg > args.length ? 'no value' : typeName(args[narg - 1]);
    this.argError(narg, `${expected} expected, got ${got}`);
  }

  // ---------------------------------------------------------------------
  // Argument checks for host functions (1-based argument numbers)

  checkAny(args: LuaValue[], n: number): LuaValue {
    if (n > args.length) this.argError(n, 'value expected');
    return args[n - 1];
  }

  checkTable(args: LuaValue[], n: number): LuaTable {
    const v = args[n - 1];
    if (!(v instanceof LuaTable)) this.argTypeError(args, n, 'table');
    return v;
  }

  checkNumber(args: LuaValue[], n: number): number {
    const v = args[n - 1];
    if (typeof v === 'number') return v;
    const x = toNumber(v);
    if (x === undefined) this.argTypeError(args, n, 'number');
    return x;
  }

  optNumber(args: LuaValue[], n: number, def: number): number {
    return args[n - 1] === undefined ? def : this.checkNumber(args, n);
  }

  /** luaL_checkint. */
  checkInt(args: LuaValue[], n: number): number {
    return toCInt(this.checkNumber(args, n));
  }

  optInt(args: LuaValue[], n: number, def: number): number {
    return args[n - 1] === undefined ? def : this.checkInt(args, n);
  }

  /** luaL_checkinteger (64-bit). */
  checkInteger(args: LuaValue[], n: number): number {
    return toCInteger(this.checkNumber(args, n));
  }

  optInteger(args: LuaValue[], n: number, def: number): number {
    return args[n - 1] === undefined ? def : this.checkInteger(args, n);
  }

  checkString(args: LuaValue[], n: number): string {
    const v = args[n - 1];
    if (typeof v === 'string') return v;
    if (typeof v === 'number') return numberToString(v);
    this.argTypeError(args, n, 'string');
  }

  optString(args: LuaValue[], n: number, def: string): string {
    return args[n - 1] === undefined ? def : this.checkString(args, n);
  }

  // ---------------------------------------------------------------------
  // Metatables

  getMetatable(v: LuaValue): LuaTable | null {
    if (v instanceof LuaTable) return v.metatable;
    if (typeof v === 'string') return this.stringMeta;
    if (v instanceof Userdata) return v.metatable;
    return null;
  }

  metaOf(v: LuaValue, event: string): LuaValue {
    const mt = this.getMetatable(v);
    return mt === null ? undefined : mt.getStr(event);
  }

  private binMeta(a: LuaValue, b: LuaValue, event: string): LuaValue {
    const h = this.metaOf(a, event);
    return h !== undefined ? h : this.metaOf(b, event);
  }

  // ---------------------------------------------------------------------
  // Operations used by compiled code (slow paths)

  index(o: LuaValue, k: LuaValue, site: number): LuaValue {
    for (let loop = 0; loop < 100; loop++) {
      let h: LuaValue;
      if (o instanceof LuaTable) {
        const v = o.get(k);
        if (v !== undefined) return v;
        const mt = o.metatable;
        if (mt === null) return undefined;
        h = mt.getStr('__index');
        if (h === undefined) return undefined;
      } else {
        h = this.metaOf(o, '__index');
        if (h === undefined) this.typeErrorAt(o, 'index', site, loop === 0 ? 1 : 0);
      }
      if (typeof h === 'function' || h instanceof LuaClosure) {
        if (site >= 0) this.frame.pc = site;
        return this.callMeta(h, [o, k]);
      }
      o = h;
    }
    this.rtError('loop in gettable', site);
  }

  setIndex(o: LuaValue, k: LuaValue, v: LuaValue, site: number): void {
    for (let loop = 0; loop < 100; loop++) {
      let h: LuaValue;
      if (o instanceof LuaTable) {
        if (o.readonly) this.rtError('Attempt to modify a readonly table', site);
        const mt = o.metatable;
        if (mt === null || o.get(k) !== undefined || (h = mt.getStr('__newindex')) === undefined) {
          this.checkKey(k, site);
          o.set(k, v);
          return;
        }
        // luaH_set creates the key before the metamethod runs
        this.checkKey(k, site);
        o.set(k, undefined);
      } else {
        h = this.metaOf(o, '__newindex');
        if (h === undefined) this.typeErrorAt(o, 'index', site, loop === 0 ? 1 : 0);
      }
      if (typeof h === 'function' || h instanceof LuaClosure) {
        if (site >= 0) this.frame.pc = site;
        this.callSync(h, [o, k, v], true);
        return;
      }
      o = h;
    }
    this.rtError('loop in settable', site);
  }

  checkKey(k: LuaValue, site?: number): void {
    if (k === undefined) this.rtError('table index is nil', site);
    if (typeof k === 'number' && k !== k) this.rtError('table index is NaN', site);
  }

  getGlobal(env: LuaTable, name: string, site: number): LuaValue {
    const v = env.getStr(name);
    if (v !== undefined || env.metatable === null) return v;
    return this.index(env, name, site);
  }

  setGlobal(env: LuaTable, name: string, v: LuaValue, site: number): void {
    if (env.metatable === null && !env.readonly) env.setStr(name, v);
    else this.setIndex(env, name, v, site);
  }

  arith(a: LuaValue, b: LuaValue, op: ArithOp, site: number): LuaValue {
    const x = toNumber(a);
    const y = x === undefined ? undefined : toNumber(b);
    if (x !== undefined && y !== undefined) return arithRaw(x, y, op);
    const h = this.binMeta(a, b, ARITH_EVENTS[op]);
    if (h !== undefined) {
      if (site >= 0) this.frame.pc = site;
      return this.callMeta(h, [a, b]);
    }
    if (x === undefined) this.typeErrorAt(a, 'perform arithmetic on', site, 1);
    this.typeErrorAt(b, 'perform arithmetic on', site, 2);
  }

  unm(a: LuaValue, site: number): LuaValue {
    const x = toNumber(a);
    if (x !== undefined) return -x;
    const h = this.metaOf(a, '__unm');
    if (h !== undefined) {
      if (site >= 0) this.frame.pc = site;
      return this.callMeta(h, [a, a]);
    }
    this.typeErrorAt(a, 'perform arithmetic on', site, 1);
  }

  len(a: LuaValue, site: number): LuaValue {
    if (typeof a === 'string') return a.length;
    if (a instanceof LuaTable) return a.length();
    const h = this.metaOf(a, '__len');
    if (h !== undefined) {
      if (site >= 0) this.frame.pc = site;
      return this.callMeta(h, [a, undefined]);
    }
    this.typeErrorAt(a, 'get length of', site, 1);
  }

  /** a == b when a !== b: only tables and userdata with a shared __eq can still be equal. */
  eq(a: LuaValue, b: LuaValue): boolean {
    let m1: LuaTable | null;
    let m2: LuaTable | null;
    if (a instanceof LuaTable && b instanceof LuaTable) {
      m1 = a.metatable;
      m2 = b.metatable;
    } else if (a instanceof Userdata && b instanceof Userdata) {
      m1 = a.metatable;
      m2 = b.metatable;
    } else return false;
    if (m1 === null) return false;
    const h1 = m1.getStr('__eq');
    if (h1 === undefined) return false;
    if (m1 !== m2) {
      if (m2 === null) return false;
      const h2 = m2.getStr('__eq');
      if (h2 === undefined || h2 !== h1) return false;
    }
    const r = this.callMeta(h1, [a, b]);
    return r !== undefined && r !== false;
  }

  private orderMeta(a: LuaValue, b: LuaValue, event: string): number {
    const h1 = this.metaOf(a, event);
    if (h1 === undefined) return -1;
    const h2 = this.metaOf(b, event);
    if (h1 !== h2) return -1;
    const r = this.callMeta(h1, [a, b]);
    return r !== undefined && r !== false ? 1 : 0;
  }

  private orderError(a: LuaValue, b: LuaValue, site: number): never {
    const t1 = typeName(a);
    const t2 = typeName(b);
    // lvm.c compares the third letters of the type names
    if (t1[2] === t2[2]) this.rtError(`attempt to compare two ${t1} values`, site);
    this.rtError(`attempt to compare ${t1} with ${t2}`, site);
  }

  lt(a: LuaValue, b: LuaValue, site: number): boolean {
    const ta = typeName(a);
    if (ta !== typeName(b)) this.orderError(a, b, site);
    if (typeof a === 'number') return a < (b as number);
    if (typeof a === 'string') return a < (b as string);
    if (site >= 0) this.frame.pc = site;
    const r = this.orderMeta(a, b, '__lt');
    if (r >= 0) return r === 1;
    this.orderError(a, b, site);
  }

  le(a: LuaValue, b: LuaValue, site: number): boolean {
    const ta = typeName(a);
    if (ta !== typeName(b)) this.orderError(a, b, site);
    if (typeof a === 'number') return a <= (b as number);
    if (typeof a === 'string') return a <= (b as string);
    if (site >= 0) this.frame.pc = site;
    let r = this.orderMeta(a, b, '__le');
    if (r >= 0) return r === 1;
    r = this.orderMeta(b, a, '__lt');
    if (r >= 0) return r === 0;
    this.orderError(a, b, site);
  }

  concat2(a: LuaValue, b: LuaValue, site: number): LuaValue {
    return this.concat([a, b], site);
  }

  /** luaV_concat over a run of operands (processed from the right, as Lua does). */
  concat(items: LuaValue[], site: number): LuaValue {
    const st = items.slice();
    let total = st.length;
    while (total > 1) {
      const a = st[total - 2];
      const b = st[total - 1];
      const aOk = typeof a === 'string' || typeof a === 'number';
      const bOk = typeof b === 'string' || typeof b === 'number';
      if (!aOk || !bOk) {
        const h = this.binMeta(a, b, '__concat');
        if (h === undefined) {
          const bad = aOk ? total - 1 : total - 2;
          this.concatError(st[bad], bad, site);
        }
        if (site >= 0) this.frame.pc = site;
        st[total - 2] = this.callMeta(h, [a, b]);
        total--;
        continue;
      }
      // gather as many strings/numbers as possible
      let n = 2;
      while (n < total) {
        const v = st[total - n - 1];
        if (typeof v !== 'string' && typeof v !== 'number') break;
        n++;
      }
      let s = '';
      for (let i = total - n; i < total; i++) {
        const v = st[i];
        s += typeof v === 'string' ? v : numberToString(v as number);
      }
      st[total - n] = s;
      total -= n - 1;
    }
    return st[0];
  }

  private concatError(v: LuaValue, index: number, site: number): never {
    const f = this.frame;
    let name: string | null = null;
    if (f.kind === FrameKind.Lua && site >= 0) {
      const names = f.fn!.proto.siteNames[site];
      name = names ? (names[index] ?? null) : null;
    }
    const t = typeName(v);
    this.rtError(name !== null ? `attempt to concatenate ${name} (a ${t} value)` : `attempt to concatenate a ${t} value`, site);
  }

  /** FORPREP's conversions: `what` 0 initial value, 1 limit, 2 step. */
  forNum(v: LuaValue, what: number, site: number): number {
    const x = toNumber(v);
    if (x === undefined)
      this.rtError(`'for' ${what === 0 ? 'initial value' : what === 1 ? 'limit' : 'step'} must be a number`, site);
    return x;
  }

  /** A new table from a constructor with size hints (already rounded as OP_NEWTABLE rounds them). */
  newTable(narray: number, nhash: number): LuaTable {
    return new LuaTable(narray, nhash);
  }

  /** A constructor's record fields set key by key (keys are constants: never nil or NaN). */
  tableByKeys(narray: number, nhash: number, kv: LuaValue[]): LuaTable {
    const t = new LuaTable(narray, nhash);
    for (let i = 0; i < kv.length; i += 2) t.set(kv[i], kv[i + 1]);
    return t;
  }

  /** OP_SETLIST: stores positional constructor items from index `first`, growing the array part to fit. */
  setList(t: LuaTable, first: number, values: LuaValue[]): void {
    const last = first + values.length - 1;
    if (last > t.arr.length) t.resizeArray(last);
    for (let i = 0; i < values.length; i++) t.setInt(first + i, values[i]);
  }

  /** The implicit `arg` table of Lua 5.1 vararg functions (LUA_COMPAT_VARARG). */
  argTable(va: LuaValue[]): LuaTable {
    const t = new LuaTable(va.length, 1);
    for (let i = 0; i < va.length; i++) t.setInt(i + 1, va[i]);
    t.setStr('n', va.length);
    return t;
  }

  /** Lua's "invalid key to 'next'" for the inline pairs loop. */
  badNextKey(): never {
    this.error("invalid key to 'next'", 0);
  }

  // ---------------------------------------------------------------------
  // Conversions with metamethods

  /** tostring(v) as the base library does (honours __tostring). */
  tostring(v: LuaValue): LuaValue {
    const h = this.metaOf(v, '__tostring');
    if (h !== undefined) return this.callSync(h, [v])[0];
    return basicToString(v);
  }
}

export function arithRaw(x: number, y: number, op: ArithOp): number {
  switch (op) {
    case ArithOp.Add:
      return x + y;
    case ArithOp.Sub:
      return x - y;
    case ArithOp.Mul:
      return x * y;
    case ArithOp.Div:
      return x / y;
    case ArithOp.Mod:
      return x - Math.floor(x / y) * y;
    default:
      return Math.pow(x, y);
  }
}

export type StepResult = 'done' | 'suspended' | 'error';

/** A run of a function, driven in slices by step(). */
export class LuaRun {
  status: StepResult | 'new' = 'new';
  results: LuaValue[] = NONE;
  error: LuaError | null = null;

  constructor(
    private readonly L: LuaState,
    private readonly base: Frame,
    private readonly fn: LuaValue,
    private readonly args: LuaValue[],
  ) {}

  /** Runs until done, failed, or `budget` units (function entries and loop iterations) are spent. */
  step(budget: number): StepResult {
    const L = this.L;
    if (this.status === 'done' || this.status === 'error') return this.status;
    L.budget = budget;
    try {
      if (L.options.memoryExceeded?.()) throw new LuaError('not enough memory');
      if (this.status === 'new') {
        this.status = 'suspended';
        L.frame = this.base;
        if (!L.call(this.fn, this.args)) return this.finish();
      }
      L.suspendRequested = false;
      if (L.execute(this.base)) return this.finish();
      return 'suspended';
    } catch (e) {
      const err = e instanceof LuaError ? e : L.toLuaError(e);
      this.error = err;
      this.status = 'error';
      L.endRun(this.base);
      return 'error';
    }
  }

  /** Delivers the results a host function left pending (after LuaState.requestSuspend). */
  resumeWith(values: LuaValue[]): void {
    this.L.setResults(values);
  }

  /** Abandons the run (SCRIPT KILL). */
  abort(): void {
    if (this.status === 'done' || this.status === 'error') return;
    this.status = 'error';
    this.error = new LuaError('aborted');
    this.L.endRun(this.base);
  }

  private finish(): StepResult {
    this.results = this.L.results();
    this.status = 'done';
    this.L.endRun(this.base);
    return 'done';
  }
}
