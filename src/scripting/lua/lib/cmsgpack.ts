// lua-cmsgpack 0.4.0 (the `cmsgpack` library Redis loads): MessagePack
// pack/unpack, byte for byte as the C implementation writes and reads it
// (integers in the smallest encoding, floats when a double fits exactly,
// str8/16/32 headers, tables nested deeper than 16 written as nil).

import { LuaTable } from '../table.js';
import { type HostFunction, type LuaValue } from '../value.js';
import { LuaState, MAX_C_STACK } from '../vm.js';
import { toInt64 } from '../numbers.js';

const MAX_NESTING = 16;

const f32 = new Float32Array(1);
const f64 = new Float64Array(1);
const b4 = new Uint8Array(f32.buffer);
const b8 = new Uint8Array(f64.buffer);

function be(n: number, bytes: number): string {
  let s = '';
  for (let i = bytes - 1; i >= 0; i--) s += String.fromCharCode(Math.floor(n / 2 ** (8 * i)) & 0xff);
  return s;
}

function encodeInt(n: bigint): string {
  if (n >= 0n) {
    if (n <= 127n) return String.fromCharCode(Number(n));
    if (n <= 0xffn) return '\xcc' + be(Number(n), 1);
    if (n <= 0xffffn) return '\xcd' + be(Number(n), 2);
    if (n <= 0xffffffffn) return '\xce' + be(Number(n), 4);
    return '\xcf' + be64(n);
  }
  if (n >= -32n) return String.fromCharCode(Number(n) & 0xff);
  if (n >= -128n) return '\xd0' + String.fromCharCode(Number(n) & 0xff);
  if (n >= -32768n) return '\xd1' + be(Number(n) & 0xffff, 2);
  if (n >= -2147483648n) return '\xd2' + be(Number(BigInt.asUintN(32, n)), 4);
  return '\xd3' + be64(BigInt.asUintN(64, n));
}

function be64(n: bigint): string {
  let s = '';
  for (let i = 7; i >= 0; i--) s += String.fromCharCode(Number((n >> BigInt(8 * i)) & 0xffn));
  return s;
}

function encodeDouble(d: number): string {
  f32[0] = d;
  if (f32[0] === d) {
    let s = '\xca';
    for (let i = 3; i >= 0; i--) s += String.fromCharCode(b4[i]);
    return s;
  }
  f64[0] = d;
  let s = '\xcb';
  for (let i = 7; i >= 0; i--) s += String.fromCharCode(b8[i]);
  return s;
}

function header(n: number, fix: number, fixMax: number, c16: string, c32: string): string {
  if (n <= fixMax) return String.fromCharCode(fix | n);
  if (n <= 0xffff) return c16 + be(n, 2);
  return c32 + be(n, 4);
}

class Packer {
  constructor(readonly L: LuaState) {}

  value(v: LuaValue, level: number): string {
    switch (typeof v) {
      case 'string': {
        const n = v.length;
        let h: string;
        if (n < 32) h = String.fromCharCode(0xa0 | n);
        else if (n <= 0xff) h = '\xd9' + String.fromCharCode(n);
        else if (n <= 0xffff) h = '\xda' + be(n, 2);
        else h = '\xdb' + be(n, 4);
        return h + v;
      }
      case 'boolean':
        return v ? '\xc3' : '\xc2';
      case 'number': {
        // IS_INT64_EQUIVALENT: (int64_t)n == n
        if (Number.isFinite(v) && v >= -9223372036854775808 && v < 9223372036854775808 && Math.trunc(v) === v)
          return encodeInt(toInt64(v));
        return encodeDouble(v);
      }
      default:
        break;
    }
    if (v instanceof LuaTable && level < MAX_NESTING) return this.table(v, level);
    return '\xc0';
  }

  private table(t: LuaTable, level: number): string {
    // table_is_an_array: keys are all numbers > 0 fitting an int, and max == count
    let count = 0;
    let max = 0;
    let array = true;
    t.forEach((k) => {
      if (!array) return;
      if (typeof k !== 'number' || k <= 0 || !(k <= 2147483647 && Math.trunc(k) === k)) {
        array = false;
        return;
      }
      if (k > max) max = k;
      count++;
    });
    if (array && max === count) {
      const len = t.length();
      let s = header(len, 0x90, 15, '\xdc', '\xdd');
      for (let j = 1; j <= len; j++) s += this.value(this.L.index(t, j, -1), level + 1);
      return s;
    }
    let n = 0;
    t.forEach(() => n++);
    let s = header(n, 0x80, 15, '\xde', '\xdf');
    t.forEach((k, v) => {
      s += this.value(k, level + 1);
      s += this.value(v, level + 1);
    });
    return s;
  }
}

const EOF_ERROR = 1;
const BADFMT_ERROR = 2;

class Unpacker {
  p: number;
  err = 0;
  /** Lua stack slots the C decoder would be using. */
  stack: number;

  constructor(
    readonly L: LuaState,
    readonly s: string,
    offset: number,
    stack: number,
  ) {
    this.p = offset;
    this.stack = stack;
  }

  private need(n: number): boolean {
    if (this.s.length - this.p < n) {
      this.err = EOF_ERROR;
      return false;
    }
    return true;
  }

  private u(i: number): number {
    return this.s.charCodeAt(this.p + i);
  }

  private readBE(from: number, n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 256 + this.u(from + i);
    return v;
  }

  /** One value, or undefined with err set. */
  value(): LuaValue {
    if (!this.need(1)) return undefined;
    if (this.stack + 1 > MAX_C_STACK)
      this.L.error('stack overflow (too many return values at once; use unpack_one or unpack_limit instead.)');
    const c = this.u(0);
    let v: LuaValue;
    switch (c) {
      case 0xcc:
        if (!this.need(2)) return undefined;
        v = this.u(1);
        this.p += 2;
        return v;
      case 0xd0:
        if (!this.need(2)) return undefined;
        v = (this.u(1) << 24) >> 24;
        this.p += 2;
        return v;
      case 0xcd:
        if (!this.need(3)) return undefined;
        v = this.readBE(1, 2);
        this.p += 3;
        return v;
      case 0xd1:
        if (!this.need(3)) return undefined;
        v = (this.readBE(1, 2) << 16) >> 16;
        this.p += 3;
        return v;
      case 0xce:
        if (!this.need(5)) return undefined;
        v = this.readBE(1, 4);
        this.p += 5;
        return v;
      case 0xd2:
        if (!this.need(5)) return undefined;
        v = this.readBE(1, 4) | 0;
        this.p += 5;
        return v;
      case 0xcf:
      case 0xd3: {
        if (!this.need(9)) return undefined;
        let n = 0n;
        for (let i = 1; i <= 8; i++) n = (n << 8n) | BigInt(this.u(i));
        this.p += 9;
        return Number(BigInt.asIntN(64, n)); // lua_pushinteger of a 64-bit value
      }
      case 0xc0:
        this.p += 1;
        return undefined;
      case 0xc3:
        this.p += 1;
        return true;
      case 0xc2:
        this.p += 1;
        return false;
      case 0xca:
        if (!this.need(5)) return undefined;
        for (let i = 0; i < 4; i++) b4[3 - i] = this.u(1 + i);
        this.p += 5;
        return f32[0];
      case 0xcb:
        if (!this.need(9)) return undefined;
        for (let i = 0; i < 8; i++) b8[7 - i] = this.u(1 + i);
        this.p += 9;
        return f64[0];
      case 0xd9: {
        if (!this.need(2)) return undefined;
        const l = this.u(1);
        if (!this.need(2 + l)) return undefined;
        v = this.s.substr(this.p + 2, l);
        this.p += 2 + l;
        return v;
      }
      case 0xda: {
        if (!this.need(3)) return undefined;
        const l = this.readBE(1, 2);
        if (!this.need(3 + l)) return undefined;
        v = this.s.substr(this.p + 3, l);
        this.p += 3 + l;
        return v;
      }
      case 0xdb: {
        if (!this.need(5)) return undefined;
        const l = this.readBE(1, 4);
        this.p += 5;
        if (!this.need(l)) return undefined;
        v = this.s.substr(this.p, l);
        this.p += l;
        return v;
      }
      case 0xdc:
      case 0xdd: {
        const hl = c === 0xdc ? 2 : 4;
        if (!this.need(1 + hl)) return undefined;
        const l = this.readBE(1, hl);
        this.p += 1 + hl;
        return this.array(l);
      }
      case 0xde:
      case 0xdf: {
        const hl = c === 0xde ? 2 : 4;
        if (!this.need(1 + hl)) return undefined;
        const l = this.readBE(1, hl);
        this.p += 1 + hl;
        return this.map(l);
      }
      default:
        if ((c & 0x80) === 0) {
          this.p += 1;
          return c;
        }
        if ((c & 0xe0) === 0xe0) {
          this.p += 1;
          return (c << 24) >> 24;
        }
        if ((c & 0xe0) === 0xa0) {
          const l = c & 0x1f;
          if (!this.need(1 + l)) return undefined;
          v = this.s.substr(this.p + 1, l);
          this.p += 1 + l;
          return v;
        }
        if ((c & 0xf0) === 0x90) {
          this.p += 1;
          return this.array(c & 0xf);
        }
        if ((c & 0xf0) === 0x80) {
          this.p += 1;
          return this.map(c & 0xf);
        }
        this.err = BADFMT_ERROR;
        return undefined;
    }
  }

  private array(len: number): LuaTable {
    const t = new LuaTable();
    this.stack += 2; // the table and the index
    for (let i = 1; i <= len; i++) {
      const v = this.value();
      if (this.err) break;
      t.set(i, v);
    }
    this.stack -= 2;
    return t;
  }

  private map(len: number): LuaTable {
    const t = new LuaTable();
    this.stack += 1;
    while (len-- > 0) {
      const k = this.value();
      if (this.err) break;
      this.stack += 1;
      const v = this.value();
      this.stack -= 1;
      if (this.err) break;
      this.L.checkKey(k, -1);
      t.set(k, v);
    }
    this.stack -= 1;
    return t;
  }
}

function unpackFull(L: LuaState, args: LuaValue[], limit: number, offset: number): LuaValue[] {
  const s = L.checkString(args, 1);
  const decodeAll = limit === 0 && offset === 0;
  if (offset < 0 || limit < 0)
    L.error(`Invalid request to unpack with offset of ${offset | 0} and limit of ${s.length | 0}.`);
  else if (offset > s.length) L.error(`Start offset ${offset | 0} greater than input length ${s.length | 0}.`);
  if (decodeAll) limit = 2147483647;
  const out: LuaValue[] = [];
  const u = new Unpacker(L, s, offset, 1);
  for (let cnt = 0; u.p < s.length && cnt < limit; cnt++) {
    u.stack = 1 + out.length;
    const v = u.value();
    if (u.err === EOF_ERROR) L.error('Missing bytes in input.');
    if (u.err === BADFMT_ERROR) L.error('Bad data format in input.');
    out.push(v);
  }
  if (!decodeAll) out.unshift(u.p >= s.length ? -1 : u.p);
  return out;
}

export function openCmsgpack(L: LuaState): void {
  const M = new LuaTable();
  L.globals.setStr('cmsgpack', M);
  const set = (name: string, f: HostFunction): void => M.setStr(name, f);
  set('pack', (L, args) => {
    if (args.length === 0) L.argError(0, 'MessagePack pack needs input.');
    const p = new Packer(L);
    let out = '';
    for (const a of args) out += p.value(a, 0);
    return out;
  });
  set('unpack', (L, args) => unpackFull(L, args, 0, 0));
  set('unpack_one', (L, args) => {
    const offset = L.optInteger(args, 2, 0);
    return unpackFull(L, args.slice(0, 1), 1, offset);
  });
  set('unpack_limit', (L, args) => {
    const limit = L.checkInteger(args, 2);
    const offset = L.optInteger(args, 3, 0);
    return unpackFull(L, args.slice(0, 1), limit, offset);
  });
  M.setStr('_NAME', 'cmsgpack');
  M.setStr('_VERSION', 'lua-cmsgpack 0.4.0');
  M.setStr('_COPYRIGHT', 'Copyright (C) 2012, Salvatore Sanfilippo');
  M.setStr('_DESCRIPTION', 'MessagePack C implementation for Lua');
}
