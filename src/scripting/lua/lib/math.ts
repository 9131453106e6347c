// The math library (lmathlib.c), Lua 5.1. math.random and math.randomseed
// use Redis's generator (rand48, as redisLrand48), so sequences are the
// same on every system.

import { LuaTable } from '../table.js';
import { NONE, type HostFunction } from '../value.js';
import { LuaState } from '../vm.js';

/** The 48-bit linear congruential generator of lrand48 (Redis's redisLrand48). */
export class Rand48 {
  // X = hi * 2^24 + lo
  private hi = 0x1234ab;
  private lo = 0xcd330e;

  seed(seedval: number): void {
    const s = seedval | 0;
    // X = (seedval as 32 bits) << 16 | 0x330e
    const low16 = s & 0xffff;
    const high16 = (s >>> 16) & 0xffff;
    const x = high16 * 2 ** 32 + low16 * 2 ** 16 + 0x330e;
    this.hi = Math.floor(x / 2 ** 24);
    this.lo = x % 2 ** 24;
  }

  /** Next value in 0..2^31-1. */
  next(): number {
    // X = (a * X + c) mod 2^48, a = 0x5DEECE66D = aHi * 2^24 + aLo, c = 0xB
    const aHi = 0x5de;
    const aLo = 0xece66d;
    const lo = this.lo;
    const hi = this.hi;
    const p = aLo * lo + 0xb;
    const mid = (aLo * hi + aHi * lo + Math.floor(p / 2 ** 24)) % 2 ** 24;
    this.lo = p % 2 ** 24;
    this.hi = mid;
    return Math.floor((this.hi * 2 ** 24 + this.lo) / 2 ** 17);
  }
}

const REDIS_LRAND48_MAX = 2147483647;

function frexp(x: number): [number, number] {
  if (x === 0 || !Number.isFinite(x)) return [x, 0];
  const a = Math.abs(x);
  let e = Math.max(-1073, Math.floor(Math.log2(a)) + 1);
  let m = a * 2 ** -e;
  // correct for rounding in log2 and subnormals
  while (m < 0.5) {
    m *= 2;
    e--;
  }
  while (m >= 1) {
    m /= 2;
    e++;
  }
  return [x < 0 ? -m : m, e];
}

function ldexp(m: number, e: number): number {
  // scale in steps so intermediate powers stay finite
  let r = m;
  while (e > 1000) {
    r *= 2 ** 1000;
    e -= 1000;
  }
  while (e < -1000) {
    r *= 2 ** -1000;
    e += 1000;
  }
  return r * 2 ** e;
}

export function openMath(L: LuaState, rng: Rand48): void {
  const M = new LuaTable();
  L.globals.setStr('math', M);
  const set = (name: string, f: HostFunction): void => M.setStr(name, f);
  const one = (name: string, f: (x: number) => number): void => set(name, (L, args) => f(L.checkNumber(args, 1)));

  one('abs', Math.abs);
  one('acos', Math.acos);
  one('asin', Math.asin);
  one('atan', Math.atan);
  set('atan2', (L, args) => Math.atan2(L.checkNumber(args, 1), L.checkNumber(args, 2)));
  one('ceil', Math.ceil);
  one('cos', Math.cos);
  one('cosh', Math.cosh);
  one('deg', (x) => x * (180 / Math.PI));
  one('exp', Math.exp);
  one('floor', Math.floor);
  const fmod: HostFunction = (L, args) => L.checkNumber(args, 1) % L.checkNumber(args, 2);
  set('fmod', fmod);
  set('mod', fmod);
  set('frexp', (L, args) => frexp(L.checkNumber(args, 1)));
  set('ldexp', (L, args) => ldexp(L.checkNumber(args, 1), L.checkInt(args, 2)));
  one('log', Math.log);
  one('log10', Math.log10);
  set('max', (L, args) => {
    let d = L.checkNumber(args, 1);
    for (let i = 2; i <= args.length; i++) {
      const v = L.checkNumber(args, i);
      if (v > d) d = v;
    }
    return d;
  });
  set('min', (L, args) => {
    let d = L.checkNumber(args, 1);
    for (let i = 2; i <= args.length; i++) {
      const v = L.checkNumber(args, i);
      if (v < d) d = v;
    }
    return d;
  });
  set('modf', (L, args) => {
    const x = L.checkNumber(args, 1);
    if (x === Infinity || x === -Infinity) return [x, x > 0 ? 0 : -0];
    const ip = Math.trunc(x);
    return [ip, x - ip === 0 ? (x < 0 || Object.is(x, -0) ? -0 : 0) : x - ip];
  });
  set('pow', (L, args) => Math.pow(L.checkNumber(args, 1), L.checkNumber(args, 2)));
  one('rad', (x) => x * (Math.PI / 180));
  one('sin', Math.sin);
  one('sinh', Math.sinh);
  one('sqrt', Math.sqrt);
  one('tan', Math.tan);
  one('tanh', Math.tanh);
  M.setStr('pi', Math.PI);
  M.setStr('huge', Infinity);

  set('random', (L, args) => {
    const r = (rng.next() % REDIS_LRAND48_MAX) / REDIS_LRAND48_MAX;
    switch (args.length) {
      case 0:
        return r;
      case 1: {
        const u = L.checkInt(args, 1);
        if (!(1 <= u)) L.argError(1, 'interval is empty');
        return Math.floor(r * u) + 1;
      }
      case 2: {
        const l = L.checkInt(args, 1);
        const u = L.checkInt(args, 2);
        if (!(l <= u)) L.argError(2, 'interval is empty');
        return Math.floor(r * (u - l + 1)) + l;
      }
      default:
        L.error('wrong number of arguments');
    }
  });
  set('randomseed', (L, args) => {
    rng.seed(L.checkInt(args, 1));
    return NONE;
  });
}
