// The table library (ltablib.c), Lua 5.1, including table.sort's exact
// quicksort (so comparators that are not strict orders behave as in Lua).

import { LuaTable } from '../table.js';
import { NONE, type HostFunction, type LuaValue } from '../value.js';
import { LuaState, isFunction, typeName } from '../vm.js';
import { numberToString } from '../numbers.js';
import { MAX_STRING } from './string.js';

export function openTable(L: LuaState): void {
  const T = new LuaTable();
  L.globals.setStr('table', T);
  const set = (name: string, f: HostFunction): void => T.setStr(name, f);

  set('concat', (L, args) => {
    const t = L.checkTable(args, 1);
    const sep = L.optString(args, 2, '');
    const i = L.optInt(args, 3, 1);
    const last = args[3] === undefined ? t.length() : L.checkInt(args, 4);
    const parts: string[] = [];
    let size = 0;
    for (let k = i; k <= last; k++) {
      const v = t.getInt(k);
      if (typeof v === 'string') parts.push(v);
      else if (typeof v === 'number') parts.push(numberToString(v));
      else L.error(`invalid value (${typeName(v)}) at index ${k} in table for 'concat'`);
      size += parts[parts.length - 1].length + sep.length;
      if (size > MAX_STRING) L.error('not enough memory', 0);
    }
    return parts.join(sep);
  });

  set('foreach', (L, args) => {
    const t = L.checkTable(args, 1);
    const f = args[1];
    if (!isFunction(f)) L.argTypeError(args, 2, 'function');
    let p = t.nextIndex(undefined);
    while (p >= 0) {
      const k = t.keyAt(p);
      const r = L.callSync(f, [k, t.valueAt(p)])[0];
      if (r !== undefined) return r;
      p = t.nextIndex(k);
      if (p === -2) L.error("invalid key to 'next'", 0);
    }
    return NONE;
  });

  set('foreachi', (L, args) => {
    const t = L.checkTable(args, 1);
    const f = args[1];
    if (!isFunction(f)) L.argTypeError(args, 2, 'function');
    const n = t.length();
    for (let i = 1; i <= n; i++) {
      const r = L.callSync(f, [i, t.getInt(i)])[0];
      if (r !== undefined) return r;
    }
    return NONE;
  });

  set('getn', (L, args) => L.checkTable(args, 1).length());

  set('setn', (L, args) => {
    L.checkTable(args, 1);
    return L.error("'setn' is obsolete");
  });

  set('insert', (L, args) => {
    const t = L.checkTable(args, 1);
    let e = t.length() + 1;
    let pos = 0;
    switch (args.length) {
      case 2:
        pos = e;
        break;
      case 3: {
        pos = L.checkInt(args, 2);
        if (pos > e) e = pos;
        for (let i = e; i > pos; i--) t.setInt(i, t.getInt(i - 1));
        break;
      }
      default:
        L.error("wrong number of arguments to 'insert'");
    }
    if (t.readonly) L.error('Attempt to modify a readonly table', 0);
    t.setInt(pos, args[args.length - 1]);
    return NONE;
  });

  set('maxn', (L, args) => {
    const t = L.checkTable(args, 1);
    let max = 0;
    t.forEach((k) => {
      if (typeof k === 'number' && k > max) max = k;
    });
    return max;
  });

  set('remove', (L, args) => {
    const t = L.checkTable(args, 1);
    const e = t.length();
    let pos = L.optInt(args, 2, e);
    if (!(1 <= pos && pos <= e)) return NONE;
    const v = t.getInt(pos);
    for (; pos < e; pos++) t.setInt(pos, t.getInt(pos + 1));
    t.setInt(e, undefined);
    return v;
  });

  set('sort', (L, args) => {
    const t = L.checkTable(args, 1);
    const n = t.length();
    const comp = args[1];
    if (comp !== undefined && !isFunction(comp)) L.argTypeError(args, 2, 'function');
    sort(L, t, comp, n);
    return NONE;
  });
}

/** ltablib.c's auxsort, step by step. */
function sort(L: LuaState, t: LuaTable, comp: LuaValue, n: number): void {
  const lt = (a: LuaValue, b: LuaValue): boolean => {
    if (comp === undefined) {
      if (typeof a === 'number' && typeof b === 'number') return a < b;
      if (typeof a === 'string' && typeof b === 'string') return a < b;
      return L.lt(a, b, -1);
    }
    const r = L.callSync(comp, [a, b])[0];
    return r !== undefined && r !== false;
  };
  const get = (i: number): LuaValue => t.getInt(i);
  const put = (i: number, v: LuaValue): void => t.setInt(i, v);
  const auxsort = (l: number, u: number): void => {
    while (l < u) {
      // sort a[l], a[(l+u)/2], a[u]
      {
        const al = get(l);
        const au = get(u);
        if (lt(au, al)) {
          put(l, au);
          put(u, al);
        }
      }
      if (u - l === 1) break;
      let i = Math.floor((l + u) / 2);
      {
        const ai = get(i);
        const al = get(l);
        if (lt(ai, al)) {
          put(i, al);
          put(l, ai);
        } else {
          const au = get(u);
          if (lt(au, ai)) {
            put(i, au);
            put(u, ai);
          }
        }
      }
      if (u - l === 2) break;
      const P = get(i);
      {
        const au1 = get(u - 1);
        put(i, au1);
        put(u - 1, P);
      }
      i = l;
      let j = u - 1;
      for (;;) {
        let ai: LuaValue;
        while (((ai = get(++i)), lt(ai, P))) {
          if (i > u) L.error('invalid order function for sorting');
        }
        let aj: LuaValue;
        while (((aj = get(--j)), lt(P, aj))) {
          if (j < l) L.error('invalid order function for sorting');
        }
        if (j < i) break;
        put(i, aj);
        put(j, ai);
      }
      {
        const au1 = get(u - 1);
        const ai = get(i);
        put(u - 1, ai);
        put(i, au1);
      }
      let lo: number;
      let hi: number;
      if (i - l < u - i) {
        lo = l;
        hi = i - 1;
        l = i + 1;
      } else {
        lo = i + 1;
        hi = u;
        u = i - 1;
      }
      auxsort(lo, hi);
    }
  };
  auxsort(1, n);
}
