// Lua values as JavaScript values:
//   nil -> undefined, boolean -> boolean, number -> number (a double, as in
//   Lua 5.1), string -> latin1 JS string (one char per byte, binary-safe),
//   table -> LuaTable, function -> LuaClosure (compiled Lua) or a plain JS
//   function (a host function, see HostFunction), thread -> Coroutine,
//   userdata -> Userdata.

import type { LuaTable } from './table.js';
import type { Proto } from './proto.js';
import type { LuaState } from './vm.js';
import type { Frame } from './frame.js';

export type LuaValue = undefined | boolean | number | string | LuaTable | LuaFunction | Coroutine | Userdata;
export type LuaFunction = LuaClosure | HostFunction;

/**
 * A function written in JavaScript. It receives its arguments as an array
 * (its length is the argument count) and returns one value, an array of
 * values (any count, `NONE` for none), or PENDING after arranging for the
 * results to be delivered later (it pushed a frame, switched coroutines or
 * asked the run to suspend).
 */
export type HostFunction = (L: LuaState, args: LuaValue[]) => LuaValue | LuaValue[] | Pending;

export class Pending {
  private constructor() {}
  static readonly instance = new Pending();
}
export const PENDING = Pending.instance;

/** No results. */
export const NONE: LuaValue[] = Object.freeze([]) as unknown as LuaValue[];

// Fake addresses stand in for C pointers: they print in tostring() and hash
// objects used as table keys (deterministically, unlike real pointers).
let serial = 0;
export function newAddress(): number {
  serial++;
  return (0x55a00000 + serial * 40) >>> 0;
}
const hostAddresses = new WeakMap<object, number>();
export function addressOf(o: object): number {
  const a = (o as { addr?: unknown }).addr;
  if (typeof a === 'number') return a;
  let h = hostAddresses.get(o);
  if (h === undefined) {
    h = newAddress();
    hostAddresses.set(o, h);
  }
  return h;
}

/** A Lua function: a prototype with its upvalues and environment. */
export class LuaClosure {
  readonly addr = newAddress();
  constructor(
    readonly proto: Proto,
    readonly upvals: Cell[],
    public env: LuaTable,
  ) {}
}

/** A captured local (an upvalue cell). */
export interface Cell {
  v: LuaValue;
}

export type CoStatus = 'suspended' | 'running' | 'normal' | 'dead';

/** A coroutine: its own chain of frames. */
export class Coroutine {
  readonly addr = newAddress();
  status: CoStatus = 'suspended';
  /** Top frame while the coroutine is not running (the running one's is LuaState.frame). */
  frame: Frame | null = null;
  /** The coroutine that resumed this one (while running or normal). */
  resumer: Coroutine | null = null;
  /** Frames that forbid yielding (pcall in Lua 5.1 is a C call boundary). */
  nny = 0;
  /** Nested C calls (Lua 5.1's nCcalls): pcall and nested runs. */
  nCcalls = 0;
  started = false;
  constructor(readonly fn: LuaFunction | null) {}
}

/** Full userdata (only newproxy makes them here). */
export class Userdata {
  readonly addr = newAddress();
  metatable: LuaTable | null = null;
  /** A light userdata (only cjson.null, Lua's NULL pointer, exists here). */
  light = false;
}

/** A Lua error in flight: thrown as a JS exception, caught by pcall and the run. */
export class LuaError {
  /** The run's error handler has seen it (its result replaced `value`). */
  handled = false;
  constructor(public value: LuaValue) {}
}
