// The base library (lbaselib.c) and the coroutine library, Lua 5.1.

import { LuaTable } from '../table.js';
import { Coroutine, LuaClosure, LuaError, NONE, PENDING, Userdata, type HostFunction, type LuaValue } from '../value.js';
import { FrameKind, type Frame } from '../frame.js';
import { LuaState, MAX_C_STACK, TAIL_CALL, basicToString, isFunction, toNumber, typeName } from '../vm.js';
import { strtoul } from '../numbers.js';
import { compile } from '../codegen.js';
import { LuaSyntaxError } from '../lexer.js';

/** Loads a chunk into a function whose environment is `env`; returns [fn] or [nil, message]. */
export function loadChunk(L: LuaState, source: string, chunkName: string, env: LuaTable): LuaValue[] {
  try {
    const proto = compile(source, chunkName);
    return [new LuaClosure(proto, [], env)];
  } catch (e) {
    if (e instanceof LuaSyntaxError) return [undefined, e.message];
    if (e instanceof RangeError) return [undefined, 'not enough memory'];
    throw e;
  }
}

function set(t: LuaTable, name: string, f: HostFunction): void {
  t.setStr(name, f);
}

export function openBase(L: LuaState): void {
  const G = L.globals;
  G.setStr('_G', G);
  G.setStr('_VERSION', 'Lua 5.1');

  set(G, 'assert', (L, args) => {
    L.checkAny(args, 1);
    const v = args[0];
    if (v === undefined || v === false) L.error(args.length >= 2 ? L.checkString(args, 2) : 'assertion failed!');
    return args;
  });

  set(G, 'collectgarbage', (L, args) => {
    const opts = ['stop', 'restart', 'collect', 'count', 'step', 'setpause', 'setstepmul'];
    const o = L.optString(args, 1, 'collect');
    const i = opts.indexOf(o);
    if (i < 0) L.argError(1, `invalid option '${o}'`);
    L.optInt(args, 2, 0);
    switch (o) {
      case 'count':
        return process.memoryUsage().heapUsed / 1024;
      case 'step':
        return true;
      case 'setpause':
      case 'setstepmul':
        return 200;
      default:
        return 0;
    }
  });

  set(G, 'error', (L, args) => {
    const level = L.optInt(args, 2, 1);
    let v = args[0];
    if ((typeof v === 'string' || typeof v === 'number') && level > 0) v = L.where(level) + basicToString(v);
    throw new LuaError(v);
  });

  set(G, 'gcinfo', () => Math.floor(process.memoryUsage().heapUsed / 1024));

  const getFunc = (L: LuaState, args: LuaValue[], opt: boolean): LuaValue | Frame | null => {
    const v = args[0];
    if (isFunction(v)) return v;
    const level = opt ? L.optInt(args, 1, 1) : L.checkInt(args, 1);
    if (level < 0) L.argError(1, 'level must be non-negative');
    if (level === 0) return null;
    const f = L.frameAtLevel(level);
    if (f === null) L.argError(1, 'invalid level');
    if (f === TAIL_CALL) L.error(`no function environment for tail call at level ${level}`);
    return f;
  };

  set(G, 'getfenv', (L, args) => {
    const f = getFunc(L, args, true);
    if (f === null) return L.globals;
    if (f instanceof LuaClosure) return f.env;
    if (typeof f === 'function') return L.globals;
    const fr = f as Frame;
    return fr.kind === FrameKind.Lua ? fr.fn!.env : L.globals;
  });

  set(G, 'setfenv', (L, args) => {
    const t = L.checkTable(args, 2);
    const f = getFunc(L, args, false);
    if (f === null) {
      L.globals = t;
      return NONE;
    }
    let fn: LuaValue;
    if (f instanceof LuaClosure || typeof f === 'function') fn = f as LuaValue;
    else fn = (f as Frame).kind === FrameKind.Lua ? (f as Frame).fn! : undefined;
    if (!(fn instanceof LuaClosure)) L.error("'setfenv' cannot change environment of given object");
    (fn as LuaClosure).env = t;
    return fn;
  });

  set(G, 'getmetatable', (L, args) => {
    L.checkAny(args, 1);
    const mt = L.getMetatable(args[0]);
    if (mt === null) return undefined;
    const protectedMt = mt.getStr('__metatable');
    return protectedMt !== undefined ? protectedMt : mt;
  });

  const ipairsIter: HostFunction = (L, args) => {
    const i = L.checkInt(args, 2) + 1;
    const t = L.checkTable(args, 1);
    const v = t.getInt(i);
    return v === undefined ? NONE : [i, v];
  };
  L.ipairsIter = ipairsIter;
  set(G, 'ipairs', (L, args) => {
    L.checkTable(args, 1);
    return [ipairsIter, args[0], 0];
  });

  set(G, 'load', (L, args) => {
    const reader = args[0];
    if (!isFunction(reader)) L.argTypeError(args, 1, 'function');
    const name = L.optString(args, 2, '=(load)');
    let src = '';
    try {
      for (;;) {
        const piece = L.callSync(reader, NONE)[0];
        if (piece === undefined) break;
        if (typeof piece !== 'string' && typeof piece !== 'number') L.error('reader function must return a string');
        const s = typeof piece === 'string' ? piece : basicToString(piece);
        if (s.length === 0) break;
        src += s;
      }
    } catch (e) {
      // lua_load runs the reader in protected mode
      if (e instanceof LuaError) return [undefined, e.value];
      throw e;
    }
    return loadChunk(L, src, name, L.globals);
  });

  set(G, 'loadstring', (L, args) => {
    const s = L.checkString(args, 1);
    const name = L.optString(args, 2, s);
    return loadChunk(L, s, name, L.globals);
  });

  const next: HostFunction = (L, args) => {
    const t = L.checkTable(args, 1);
    const p = t.nextIndex(args[1]);
    if (p === -2) L.error("invalid key to 'next'", 0);
    if (p < 0) return undefined;
    return [t.keyAt(p), t.valueAt(p)];
  };
  L.nextFn = next;
  set(G, 'next', next);

  set(G, 'pairs', (L, args) => {
    L.checkTable(args, 1);
    return [next, args[0], undefined];
  });

  set(G, 'pcall', (L, args) => {
    L.checkAny(args, 1);
    return L.protectedCall(args[0], args.slice(1), null);
  });

  set(G, 'xpcall', (L, args) => {
    L.checkAny(args, 2);
    return L.protectedCall(args[0], NONE, args[1]);
  });

  if (L.options.print) {
    const out = L.options.print;
    set(G, 'print', (L, args) => {
      const tostr = L.getGlobal(L.globals, 'tostring', -1);
      let line = '';
      for (let i = 0; i < args.length; i++) {
        const s = L.callSync(tostr, [args[i]])[0];
        if (typeof s !== 'string' && typeof s !== 'number') L.error("'tostring' must return a string to 'print'");
        if (i > 0) line += '\t';
        const str = typeof s === 'string' ? s : basicToString(s);
        const z = str.indexOf('\0');
        line += z < 0 ? str : str.slice(0, z); // fputs stops at a NUL

      }
      out(line);
      return NONE;
    });
  }

  set(G, 'rawequal', (L, args) => {
    L.checkAny(args, 1);
    L.checkAny(args, 2);
    const a = args[0];
    const b = args[1];
    return a === b;
  });

  set(G, 'rawget', (L, args) => {
    const t = L.checkTable(args, 1);
    L.checkAny(args, 2);
    return t.get(args[1]);
  });

  set(G, 'rawset', (L, args) => {
    const t = L.checkTable(args, 1);
    L.checkAny(args, 2);
    L.checkAny(args, 3);
    L.checkKey(args[1], -1);
    if (t.readonly) L.error('Attempt to modify a readonly table', 0);
    t.set(args[1], args[2]);
    return t;
  });

  set(G, 'select', (L, args) => {
    const n = args.length;
    const sel = args[0];
    if (typeof sel === 'string' && sel[0] === '#') return n - 1;
    let i = L.checkInt(args, 1);
    if (i < 0) i = n + i;
    else if (i > n) i = n;
    if (i < 1) L.argError(1, 'index out of range');
    return args.slice(i);
  });

  set(G, 'setmetatable', (L, args) => {
    const mt = args[1];
    const t = L.checkTable(args, 1);
    if (args.length < 2 || !(mt === undefined || mt instanceof LuaTable)) L.argError(2, 'nil or table expected');
    if (t.metatable !== null && t.metatable.getStr('__metatable') !== undefined)
      L.error('cannot change a protected metatable');
    // Raised from the C function (no position), as Redis's lua_setmetatable does.
    if (t.readonly) L.error('Attempt to modify a readonly table', 0);
    t.metatable = mt === undefined ? null : (mt as LuaTable);
    return t;
  });

  set(G, 'tonumber', (L, args) => {
    const base = L.optInt(args, 2, 10);
    if (base === 10) {
      L.checkAny(args, 1);
      return toNumber(args[0]);
    }
    const s = L.checkString(args, 1);
    if (!(base >= 2 && base <= 36)) L.argError(2, 'base out of range');
    const z = s.indexOf('\0');
    const cs = z >= 0 ? s.slice(0, z) : s;
    const r = strtoul(cs, base);
    if (r.end === 0) return undefined;
    let i = r.end;
    while (i < cs.length && /[\t\n\v\f\r ]/.test(cs[i])) i++;
    return i === cs.length ? r.value : undefined;
  });

  set(G, 'tostring', (L, args) => {
    L.checkAny(args, 1);
    return L.tostring(args[0]);
  });

  set(G, 'type', (L, args) => {
    L.checkAny(args, 1);
    return typeName(args[0]);
  });

  set(G, 'unpack', (L, args) => {
    const t = L.checkTable(args, 1);
    const i = L.optInt(args, 2, 1);
    const e = args[2] === undefined ? t.length() : L.checkInt(args, 3);
    if (i > e) return NONE;
    const n = e - i + 1;
    if (n <= 0 || n >= 2147483647 || n + args.length > MAX_C_STACK) L.error('too many results to unpack');
    const out = new Array<LuaValue>(n);
    for (let k = 0; k < n; k++) out[k] = t.getInt(i + k);
    return out;
  });

  set(G, 'newproxy', (L, args) => {
    const u = new Userdata();
    const a = args[0];
    if (a === undefined || a === false) return u;
    if (a === true) {
      u.metatable = new LuaTable();
      return u;
    }
    if (!(a instanceof Userdata) || a.metatable === null) L.argError(1, 'boolean or proxy expected');
    u.metatable = (a as Userdata).metatable;
    return u;
  });

  openCoroutine(L);
}

function checkCoroutine(L: LuaState, args: LuaValue[]): Coroutine {
  const co = args[0];
  if (!(co instanceof Coroutine)) L.argError(1, 'coroutine expected');
  return co;
}

function wrapDone(L: LuaState, fr: Frame): void {
  L.frame = fr.parent!;
  const r = L.results();
  if (r[0] === true) {
    L.setResults(r.slice(1));
    return;
  }
  wrapError(L, r[1]);
}

function wrapError(L: LuaState, v: LuaValue): never {
  if (typeof v === 'string' || typeof v === 'number') v = L.where(1) + basicToString(v);
  throw new LuaError(v);
}

function openCoroutine(L: LuaState): void {
  const co = new LuaTable();
  L.globals.setStr('coroutine', co);

  const create = (L: LuaState, args: LuaValue[]): Coroutine => {
    const f = args[0];
    if (!(f instanceof LuaClosure)) L.argError(1, 'Lua function expected');
    return new Coroutine(f);
  };
  set(co, 'create', create);

  set(co, 'resume', (L, args) => {
    const c = checkCoroutine(L, args);
    if (c.status !== 'suspended') return [false, `cannot resume ${c.status} coroutine`];
    return L.resume(c, args.slice(1));
  });

  set(co, 'running', (L) => (L.co === L.main ? undefined : L.co));

  set(co, 'status', (L, args) => {
    const c = checkCoroutine(L, args);
    return c.status;
  });

  set(co, 'wrap', (L, args) => {
    const c = create(L, args);
    const wrapped: HostFunction = (L, args) => {
      if (c.status !== 'suspended') wrapError(L, `cannot resume ${c.status} coroutine`);
      L.pushHost(wrapDone, FrameKind.Host);
      const r = L.resume(c, args);
      void r; // always PENDING for a suspended coroutine
      return PENDING;
    };
    return wrapped;
  });

  set(co, 'yield', (L, args) => L.yield(args));
}
