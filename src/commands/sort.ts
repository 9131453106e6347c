// SORT and SORT_RO (Redis's sort.c): sort a list, set or sorted set,
// numerically or ALPHA, optionally BY an external key pattern ('*' replaced
// by the element, 'key->field' reading a hash field; a pattern without '*'
// means no sorting), LIMIT, GET patterns ('#' is the element), ASC/DESC and,
// for SORT only, STORE into a list.

import type { Client } from '../server/client.js';
import type { HandlerMap } from './types.js';
import { RObj, ObjType } from '../db/robj.js';
import { Notify } from '../db/keyspace.js';
import { strtod } from '../protocol/format.js';
import { ERR_SYNTAX, ERR_WRONGTYPE, getIntArg, isArg } from './util.js';
import type { ZSet } from '../types/zset.js';
import { Enc } from '../db/robj.js';
import { ClientFlag } from '../server/client.js';
import { ListValue } from '../types/list.js';
import { stringOf, type StringValue } from '../types/bytes.js';

interface SortItem {
  obj: string;
  score: number;
  cmp: string | null;
}

/** The element as a string (int-encoded values are numbers). */
function str(v: unknown): string {
  return typeof v === 'string' ? v : stringOf(v as StringValue);
}

/**
 * lookupKeyByPattern: '#' is the element itself; otherwise the first '*' is
 * replaced by the element and, with a '->field' suffix after it, the value
 * is that hash field. Null when the key is missing or of the wrong type.
 */
function lookupByPattern(c: Client, pattern: string, subst: string): string | null {
  if (pattern === '#') return subst;
  const p = pattern.indexOf('*');
  if (p < 0) return null;
  const f = pattern.indexOf('->', p + 1);
  let field: string | null = null;
  let keyEnd = pattern.length;
  if (f >= 0 && f + 2 < pattern.length) {
    field = pattern.slice(f + 2);
    keyEnd = f;
  }
  const key = pattern.slice(0, p) + subst + pattern.slice(p + 1, keyEnd);
  const o = c.db.lookupRead(key);
  if (o === undefined) return null;
  if (field !== null) {
    if (o.type !== ObjType.Hash) return null;
    const v = (o.value as { get(f: string): string | undefined }).get(field);
    return v === undefined ? null : v;
  }
  if (o.type !== ObjType.String) return null;
  return str(o.value);
}

function isCSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** The smallest normal double. */
const DBL_MIN = 2.2250738585072014e-308;

/** strtod over the whole value with Redis's SORT checks (no trailing junk, no ERANGE, no NaN). */
function sortScore(s: string): number | null {
  if (s.length === 0) return 0;
  let i = 0;
  while (i < s.length && isCSpace(s.charCodeAt(i))) i++;
  if (i === s.length) return null;
  const t = i === 0 ? s : s.slice(i);
  const v = strtod(t);
  if (v === null || Number.isNaN(v)) return null;
  if ((v === Infinity || v === -Infinity) && !t.toLowerCase().includes('inf')) return null;
  // Underflow is ERANGE for glibc's strtod, to zero or to a subnormal (decimal input; hex is exact).
  if (Math.abs(v) < DBL_MIN && !/^[+-]?0[xX]/.test(t)) {
    if (v !== 0 || /[1-9]/.test(t.replace(/[eE].*$/, ''))) return null;
  }
  return v;
}

/** Binary comparison (memcmp, then length). */
function cmpBinary(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** strcoll in the C/C.UTF-8 locale: strcmp, which stops at the first NUL. */
function cmpColl(a: string, b: string): number {
  const na = a.indexOf('\0');
  const nb = b.indexOf('\0');
  if (na >= 0) a = a.slice(0, na);
  if (nb >= 0) b = b.slice(0, nb);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** BY and GET patterns read keys the ACL check never saw: they need read access to every key (`~*` or `%R~*`). */
function fullKeyAccess(c: Client, argv: string[]): boolean {
  const u = c.aclUser;
  if (u === null || u.unrestricted || c.cmd === null) return true;
  return c.server.acl.fullKeyAccess(u, c.cmd, argv, 1);
}

function sortGeneric(c: Client, argv: string[], readonly: boolean): void {
  let desc = false;
  let alpha = false;
  let limitStart = 0;
  let limitCount = -1;
  let dontsort = false;
  let sortby: string | null = null;
  let storekey: string | null = null;
  const gets: string[] = [];
  let j = 2;
  while (j < argv.length) {
    const left = argv.length - j - 1;
    const a = argv[j];
    if (isArg(a, 'ASC')) desc = false;
    else if (isArg(a, 'DESC')) desc = true;
    else if (isArg(a, 'ALPHA')) alpha = true;
    else if (isArg(a, 'LIMIT') && left >= 2) {
      const s = getIntArg(c, argv[j + 1]);
      if (s === null) return;
      const n = getIntArg(c, argv[j + 2]);
      if (n === null) return;
      limitStart = s;
      limitCount = n;
      j += 2;
    } else if (!readonly && isArg(a, 'STORE') && left >= 1) {
      storekey = argv[j + 1];
      j++;
    } else if (isArg(a, 'BY') && left >= 1) {
      sortby = argv[j + 1];
      if (sortby.indexOf('*') < 0) dontsort = true;
      else if (!fullKeyAccess(c, argv)) {
        c.reply.error('ERR BY option of SORT denied due to insufficient ACL permissions.');
        return;
      }
      j++;
    } else if (isArg(a, 'GET') && left >= 1) {
      if (!fullKeyAccess(c, argv)) {
        c.reply.error('ERR GET option of SORT denied due to insufficient ACL permissions.');
        return;
      }
      gets.push(argv[j + 1]);
      j++;
    } else {
      c.reply.error(ERR_SYNTAX);
      return;
    }
    j++;
  }
  const sortval = c.db.lookupRead(argv[1]);
  if (sortval !== undefined && sortval.type !== ObjType.Set && sortval.type !== ObjType.List && sortval.type !== ObjType.ZSet) {
    c.reply.error(ERR_WRONGTYPE);
    return;
  }
  const type = sortval === undefined ? ObjType.List : sortval.type;
  if (dontsort && type === ObjType.Set && (storekey !== null || (c.flags & ClientFlag.Script) !== 0)) {
    // Sets have no order: sort them when the result must be deterministic.
    dontsort = false;
    alpha = true;
    sortby = null;
  }
  if (sortval !== undefined && type === ObjType.ZSet) {
    // Redis converts the sorted set to its skiplist form for SORT.
    (sortval.value as ZSet).toSkiplist();
    sortval.enc = Enc.Skiplist;
  }
  let vectorlen = sortval === undefined ? 0 : (sortval.value as { size: number }).size;
  let start = limitStart < 0 ? 0 : limitStart;
  let end = limitCount < 0 ? vectorlen - 1 : start + limitCount - 1;
  if (start >= vectorlen) {
    start = vectorlen - 1;
    end = vectorlen - 2;
  }
  if (end >= vectorlen) end = vectorlen - 1;

  const vector: SortItem[] = [];
  if (sortval !== undefined) {
    if ((type === ObjType.List || type === ObjType.ZSet) && dontsort) {
      // Native order (reversed for DESC), just the LIMIT range.
      if (end >= start) {
        const all: string[] = [];
        if (type === ObjType.List) for (const e of sortval.value as Iterable<unknown>) all.push(str(e));
        else for (const [m] of sortval.value as ZSet) all.push(m);
        if (desc) all.reverse();
        for (let k = start; k <= end; k++) vector.push({ obj: all[k], score: 0, cmp: null });
        end -= start;
        start = 0;
      }
      vectorlen = vector.length;
    } else if (type === ObjType.ZSet) {
      for (const m of (sortval.value as ZSet).dictMembers()) vector.push({ obj: m, score: 0, cmp: null });
    } else {
      for (const e of sortval.value as Iterable<unknown>) vector.push({ obj: str(e), score: 0, cmp: null });
    }
  }

  let conversionError = false;
  if (!dontsort) {
    for (let k = 0; k < vector.length; k++) {
      const it = vector[k];
      let byval: string | null;
      if (sortby !== null) {
        byval = lookupByPattern(c, sortby, it.obj);
        if (byval === null) continue;
      } else byval = it.obj;
      if (alpha) {
        if (sortby !== null) it.cmp = byval;
      } else {
        const v = sortScore(byval);
        if (v === null) conversionError = true;
        else it.score = v;
      }
    }
    const byPattern = sortby !== null;
    const store = storekey !== null;
    const sign = desc ? -1 : 1;
    vector.sort((x, y) => {
      let cmp: number;
      if (!alpha) {
        cmp = x.score > y.score ? 1 : x.score < y.score ? -1 : cmpBinary(x.obj, y.obj);
      } else if (byPattern) {
        if (x.cmp === null || y.cmp === null) cmp = x.cmp === y.cmp ? 0 : x.cmp === null ? -1 : 1;
        else cmp = store ? cmpBinary(x.cmp, y.cmp) : cmpColl(x.cmp, y.cmp);
      } else {
        cmp = store ? cmpBinary(x.obj, y.obj) : cmpColl(x.obj, y.obj);
      }
      return sign * cmp;
    });
  }

  const n = end - start + 1 > 0 ? end - start + 1 : 0;
  const outputlen = gets.length > 0 ? gets.length * n : n;
  if (conversionError) {
    c.reply.error("ERR One or more scores can't be converted into double");
    return;
  }
  if (storekey === null) {
    const r = c.reply;
    r.array(outputlen);
    for (let k = start; k <= end; k++) {
      const e = vector[k].obj;
      if (gets.length === 0) r.bulk(e);
      for (let g = 0; g < gets.length; g++) r.bulk(lookupByPattern(c, gets[g], e));
    }
    return;
  }
  const out: string[] = [];
  for (let k = start; k <= end; k++) {
    const e = vector[k].obj;
    if (gets.length === 0) out.push(e);
    else for (let g = 0; g < gets.length; g++) out.push(lookupByPattern(c, gets[g], e) ?? '');
  }
  if (outputlen > 0) {
    c.db.setKey(storekey, createListObject(c, out));
    c.db.notify(Notify.List, 'sortstore', storekey);
    c.server.dirty += outputlen;
  } else if (c.db.del(storekey)) {
    c.server.dirty++;
  }
  c.reply.int(outputlen);
}

function sort(c: Client, argv: string[]): void {
  sortGeneric(c, argv, false);
}

function sortRo(c: Client, argv: string[]): void {
  sortGeneric(c, argv, true);
}

/** A list value holding `items` (SORT ... STORE), listpack-encoded when small as in Redis 7.2. */
function createListObject(c: Client, items: string[]): RObj {
  const v = c.server.config.get<number | undefined>('list-max-listpack-size');
  const fill = typeof v === 'number' ? v : -2;
  const l = new ListValue();
  let bytes = 0;
  for (let i = 0; i < items.length; i++) bytes += items[i].length;
  l.growCheck(fill, bytes, items.length);
  for (let i = 0; i < items.length; i++) l.pushTail(items[i], fill);
  return new RObj(ObjType.List, l.enc, l, 0);
}

export const handlers: HandlerMap = {
  sort,
  sort_ro: sortRo,
};
