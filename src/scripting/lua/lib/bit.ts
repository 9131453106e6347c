// LuaBitOp 1.0.2 (the `bit` library Redis loads): operations on 32-bit
// integers. Arguments become integers as lua_bit.c's barg does (add 2^52+2^51
// and take the low 32 bits of the double: round to nearest even, wrap
// modulo 2^32); results are signed 32-bit numbers.

import { LuaTable } from '../table.js';
import { type HostFunction, type LuaValue } from '../value.js';
import { LuaState, toNumber } from '../vm.js';

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

function barg(L: LuaState, args: LuaValue[], i: number): number {
  const n = toNumber(args[i - 1]);
  f64[0] = (n ?? 0) + 6755399441055744.0;
  const b = u32[0];
  if (b === 0 && n === undefined) L.argTypeError(args, i, 'number');
  return b | 0;
}

export function openBit(L: LuaState): void {
  const B = new LuaTable();
  L.globals.setStr('bit', B);
  const set = (name: string, f: HostFunction): void => B.setStr(name, f);
  set('tobit', (L, a) => barg(L, a, 1));
  set('bnot', (L, a) => ~barg(L, a, 1));
  const fold = (op: (x: number, y: number) => number): HostFunction => (L, a) => {
    let b = barg(L, a, 1);
    for (let i = a.length; i > 1; i--) b = op(b, barg(L, a, i));
    return b;
  };
  set('band', fold((x, y) => x & y));
  set('bor', fold((x, y) => x | y));
  set('bxor', fold((x, y) => x ^ y));
  const shift = (op: (b: number, n: number) => number): HostFunction => (L, a) => {
    const b = barg(L, a, 1);
    const n = barg(L, a, 2) & 31;
    return op(b, n) | 0;
  };
  set('lshift', shift((b, n) => b << n));
  set('rshift', shift((b, n) => b >>> n));
  set('arshift', shift((b, n) => b >> n));
  set('rol', shift((b, n) => (b << n) | (b >>> (32 - n))));
  set('ror', shift((b, n) => (b << (32 - n)) | (b >>> n)));
  set('bswap', (L, a) => {
    const b = barg(L, a, 1);
    return ((b >>> 24) | ((b >>> 8) & 0xff00) | ((b & 0xff00) << 8) | (b << 24)) | 0;
  });
  set('tohex', (L, a) => {
    let b = barg(L, a, 1) >>> 0;
    let n = a.length < 2 ? 8 : barg(L, a, 2);
    let digits = '0123456789abcdef';
    if (n < 0) {
      n = -n;
      digits = '0123456789ABCDEF';
    }
    if (n > 8) n = 8;
    let out = '';
    for (let i = n; --i >= 0; ) {
      out = digits[b & 15] + out;
      b >>>= 4;
    }
    return out;
  });
}
