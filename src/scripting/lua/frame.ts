// A call frame. Lua frames run compiled bodies; host frames run
// continuations (what pcall, coroutine bodies, callSync... do when the
// frame above them returns or fails). Frames form a linked stack per
// coroutine; nothing lives on the JavaScript stack between time slices.

import type { LuaClosure, LuaValue } from './value.js';
import { NONE } from './value.js';
import type { LuaState } from './vm.js';

export type FrameBody = (L: LuaState, fr: Frame) => void;

export const enum FrameKind {
  Lua = 0,
  /** pcall: catches errors. */
  Pcall = 1,
  /** xpcall: catches errors, calling its handler first. */
  Xpcall = 2,
  /** Bottom of a coroutine: finishing it returns to the resumer. */
  CoroutineBase = 3,
  /** Bottom of a nested run started by a host function (callSync). */
  Barrier = 4,
  /** Bottom of a run started by LuaState.start. */
  RunBase = 5,
  /** Other host continuations (coroutine.wrap, ...). */
  Host = 6,
}

export class Frame {
  pc = 0;
  /** Spilled slots of a suspended Lua frame. */
  r: LuaValue[] | null = null;
  /** Extra arguments of a vararg function. */
  va: LuaValue[] = NONE;
  /** Tail calls that replaced this frame's callers (each is a lost level, "(tail call)" in tracebacks). */
  tail = 0;
  /** Continuation data of host frames. */
  data: unknown = undefined;
  constructor(
    public body: FrameBody,
    public fn: LuaClosure | null,
    public args: LuaValue[],
    public parent: Frame | null,
    public depth: number,
    public kind: FrameKind,
  ) {}
}
