// Spinel's Lua 5.1: public entry points. See README.md in this directory.

import { LuaState, type LuaStateOptions } from './vm.js';
import { LuaClosure, type LuaValue } from './value.js';
import { LuaTable } from './table.js';
import { compile } from './codegen.js';
import { openBase } from './lib/base.js';
import { openString } from './lib/string.js';
import { openTable } from './lib/table.js';
import { openMath, Rand48 } from './lib/math.js';
import { openBit } from './lib/bit.js';
import { openStruct } from './lib/struct.js';
import { openCjson } from './lib/cjson.js';
import { openCmsgpack } from './lib/cmsgpack.js';

export { LuaState, LuaRun, typeName, basicToString, type StepResult } from './vm.js';
export { LuaTable, setStringHashAllBytes } from './table.js';
export { LuaClosure, LuaError, Coroutine, Userdata, NONE, PENDING, type LuaValue, type HostFunction } from './value.js';
export { LuaSyntaxError } from './lexer.js';
export { numberToString } from './numbers.js';
export { Rand48 } from './lib/math.js';

export interface NewStateOptions extends LuaStateOptions {
  /**
   * The generator behind math.random. Redis keeps one for the whole process
   * (not reset per script, nor by SCRIPT FLUSH), which is the default here.
   */
  rng?: Rand48;
}

/** The process-wide generator, as Redis's redisLrand48 state. */
export const sharedRng = new Rand48();

/**
 * A Lua state with the libraries Redis loads: base, coroutine, string,
 * table, math, and cjson, cmsgpack, struct, bit.
 */
export function newLuaState(options: NewStateOptions = {}): LuaState {
  const L = new LuaState(options);
  openBase(L);
  openString(L);
  openTable(L);
  openMath(L, options.rng ?? sharedRng);
  openCjson(L);
  openStruct(L);
  openCmsgpack(L);
  openBit(L);
  return L;
}

/** Compiles a chunk to a function (throws LuaSyntaxError with Lua's message). */
export function loadLua(L: LuaState, source: string, chunkName: string, env: LuaTable = L.globals): LuaClosure {
  return new LuaClosure(compile(source, chunkName), [], env);
}

export type { LuaValue as Value };
