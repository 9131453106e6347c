// The `struct` library Redis loads (Roberto Ierusalimschy's struct 0.2 with
// Redis's fixes): pack/unpack/size of binary records. Integers are C longs
// (64 bits), native order little-endian, default alignment 1.
//
// Formats: > big endian, < little endian, ![n] alignment, x padding,
// b/B h/H l/L T i/In signed/unsigned integers (n bytes, up to 32), cn a
// string of n chars (c0: whole string / previous number), s zero-terminated
// string, f float, d double, ' ' ignored.

import { LuaTable } from '../table.js';
import { type HostFunction, type LuaValue } from '../value.js';
import { LuaState, toNumber } from '../vm.js';
import { toInt64, toUint64 } from '../numbers.js';

const MAXINTSIZE = 32;
const MAXALIGN = 8;
const BIG = 0;
const LITTLE = 1;

interface Header {
  endian: number;
  align: number;
}

class Fmt {
  i = 0;
  constructor(
    readonly L: LuaState,
    readonly s: string,
  ) {}
  get done(): boolean {
    return this.i >= this.s.length || this.s.charCodeAt(this.i) === 0;
  }
  /** getnum: a decimal number, or df when none. */
  num(df: number): number {
    const s = this.s;
    if (!/[0-9]/.test(s[this.i] ?? '')) return df;
    let a = 0;
    do {
      const d = s.charCodeAt(this.i) - 48;
      if (a > Math.floor(2147483647 / 10) || a * 10 > 2147483647 - d) this.L.error('integral size overflow');
      a = a * 10 + d;
      this.i++;
    } while (/[0-9]/.test(s[this.i] ?? ''));
    return a;
  }
}

function optsize(f: Fmt, opt: string): number {
  switch (opt) {
    case 'B':
    case 'b':
      return 1;
    case 'H':
    case 'h':
      return 2;
    case 'L':
    case 'l':
    case 'T':
      return 8;
    case 'f':
      return 4;
    case 'd':
      return 8;
    case 'x':
      return 1;
    case 'c':
      return f.num(1);
    case 'i':
    case 'I': {
      const sz = f.num(4);
      if (sz > MAXINTSIZE) f.L.error(`integral size ${sz} is larger than limit of ${MAXINTSIZE}`);
      return sz;
    }
    default:
      return 0;
  }
}

function gettoalign(len: number, h: Header, opt: string, size: number): number {
  if (size === 0 || opt === 'c') return 0;
  if (size > h.align) size = h.align;
  return (size - (len & (size - 1))) & (size - 1);
}

function controloptions(L: LuaState, f: Fmt, opt: string, h: Header, fname: string): void {
  switch (opt) {
    case ' ':
      return;
    case '>':
      h.endian = BIG;
      return;
    case '<':
      h.endian = LITTLE;
      return;
    case '!': {
      const a = f.num(MAXALIGN);
      if (!(a > 0 && (a & (a - 1)) === 0)) L.error(`alignment ${a} is not a power of 2`);
      h.align = a;
      return;
    }
    default: {
      const c = opt.charCodeAt(0);
      void fname;
      L.argError(1, `invalid format option '${c === 0 ? '' : opt}'`);
    }
  }
}

const f32 = new Float32Array(1);
const f64 = new Float64Array(1);
const b4 = new Uint8Array(f32.buffer);
const b8 = new Uint8Array(f64.buffer);

function bytesOf(bytes: Uint8Array, n: number, endian: number): string {
  let s = '';
  if (endian === LITTLE) for (let i = 0; i < n; i++) s += String.fromCharCode(bytes[i]);
  else for (let i = n - 1; i >= 0; i--) s += String.fromCharCode(bytes[i]);
  return s;
}

function putinteger(n: number, endian: number, size: number): string {
  let value = n < 0 ? BigInt.asUintN(64, toInt64(n)) : toUint64(n);
  const bytes: number[] = [];
  for (let i = 0; i < size; i++) {
    bytes.push(Number(value & 0xffn));
    value >>= 8n;
  }
  if (endian === BIG) bytes.reverse();
  return String.fromCharCode(...bytes);
}

function getinteger(data: string, pos: number, endian: number, signed: boolean, size: number): number {
  let l = 0n;
  for (let k = 0; k < size; k++) {
    const i = endian === BIG ? pos + k : pos + size - 1 - k;
    l = BigInt.asUintN(64, (l << 8n) | BigInt(data.charCodeAt(i)));
  }
  if (!signed) return Number(l);
  const shift = BigInt((size * 8 - 1) & 63); // x86 masks the shift count
  const mask = BigInt.asUintN(64, ~0n << shift);
  if (l & mask) l |= mask;
  return Number(BigInt.asIntN(64, l));
}

export function openStruct(L: LuaState): void {
  const S = new LuaTable();
  L.globals.setStr('struct', S);
  const set = (name: string, fn: HostFunction): void => S.setStr(name, fn);

  set('pack', (L, args) => {
    const f = new Fmt(L, L.checkString(args, 1));
    const h: Header = { endian: LITTLE, align: 1 };
    let arg = 2;
    let total = 0;
    let out = '';
    while (!f.done) {
      const opt = f.s[f.i++];
      let size = optsize(f, opt);
      let toalign = gettoalign(total, h, opt, size);
      total += toalign;
      while (toalign-- > 0) out += '\0';
      switch (opt) {
        case 'b':
        case 'B':
        case 'h':
        case 'H':
        case 'l':
        case 'L':
        case 'T':
        case 'i':
        case 'I':
          out += putinteger(L.checkNumber(args, arg++), h.endian, size);
          break;
        case 'x':
          out += '\0';
          break;
        case 'f':
          f32[0] = L.checkNumber(args, arg++);
          out += bytesOf(b4, 4, h.endian);
          break;
        case 'd':
          f64[0] = L.checkNumber(args, arg++);
          out += bytesOf(b8, 8, h.endian);
          break;
        case 'c':
        case 's': {
          const s = L.checkString(args, arg++);
          if (size === 0) size = s.length;
          if (!(s.length >= size)) L.argError(arg, 'string too short');
          out += s.slice(0, size);
          if (opt === 's') {
            out += '\0';
            size++;
          }
          break;
        }
        default:
          controloptions(L, f, opt, h, 'pack');
      }
      total += size;
    }
    return out;
  });

  set('unpack', (L, args) => {
    const f = new Fmt(L, L.checkString(args, 1));
    const data = L.checkString(args, 2);
    const ld = data.length;
    let pos = L.optInteger(args, 3, 1) - 1;
    const h: Header = { endian: LITTLE, align: 1 };
    const out: LuaValue[] = [];
    while (!f.done) {
      const opt = f.s[f.i++];
      let size = optsize(f, opt);
      pos += gettoalign(pos, h, opt, size);
      if (!(pos + size <= ld)) L.argError(2, 'data string too short');
      if (out.length + 2 + 3 > 8000) L.error('stack overflow (too many results)');
      switch (opt) {
        case 'b':
        case 'B':
        case 'h':
        case 'H':
        case 'l':
        case 'L':
        case 'T':
        case 'i':
        case 'I':
          out.push(getinteger(data, pos, h.endian, opt === opt.toLowerCase(), size));
          break;
        case 'x':
          break;
        case 'f':
          for (let i = 0; i < 4; i++) b4[h.endian === LITTLE ? i : 3 - i] = data.charCodeAt(pos + i);
          out.push(f32[0]);
          break;
        case 'd':
          for (let i = 0; i < 8; i++) b8[h.endian === LITTLE ? i : 7 - i] = data.charCodeAt(pos + i);
          out.push(f64[0]);
          break;
        case 'c': {
          if (size === 0) {
            const prev = out.length === 0 ? undefined : toNumber(out[out.length - 1]);
            if (prev === undefined) L.error("format 'c0' needs a previous size");
            size = Math.trunc(prev as number);
            out.pop();
            if (!(pos + size <= ld)) L.argError(2, 'data string too short');
          }
          out.push(data.substr(pos, size));
          break;
        }
        case 's': {
          const e = data.indexOf('\0', pos);
          if (e < 0) L.error('unfinished string in data');
          size = e - pos + 1;
          out.push(data.slice(pos, e));
          break;
        }
        default:
          controloptions(L, f, opt, h, 'unpack');
      }
      pos += size;
    }
    out.push(pos + 1);
    return out;
  });

  set('size', (L, args) => {
    const f = new Fmt(L, L.checkString(args, 1));
    const h: Header = { endian: LITTLE, align: 1 };
    let pos = 0;
    while (!f.done) {
      const opt = f.s[f.i++];
      const size = optsize(f, opt);
      pos += gettoalign(pos, h, opt, size);
      if (opt === 's') L.argError(1, "option 's' has no fixed size");
      else if (opt === 'c' && size === 0) L.argError(1, "option 'c0' has no fixed size");
      if (!/[0-9A-Za-z]/.test(opt)) controloptions(L, f, opt, h, 'size');
      pos += size;
    }
    return pos;
  });
}
