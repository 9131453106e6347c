// The keyspace tools: --scan, --bigkeys, --memkeys and --hotkeys, all built
// on SCAN with the TYPE / size / OBJECT FREQ commands pipelined per batch.

import { T, type Reply } from '../resp.js';
import type { Cli } from '../cli.js';
import { Output } from '../format.js';
import { repr } from '../../util/repr.js';
import { cancelOnSigint, cstr, dbsize, readOne, sendScan, sleepUs, zeroPadded, fixed } from './util.js';
import * as io from '../io.js';

export async function scanMode(cli: Cli): Promise<never> {
  const c = cli.config;
  const stop = cancelOnSigint();
  let cursor = '0';
  do {
    const [next, keys] = await sendScan(cli, cursor);
    cursor = next;
    for (const k of keys) io.out((c.output === Output.Standard ? repr(k.str) : cstr(k.str)) + '\n');
    io.flush();
    if (c.interval) await sleepUs(c.interval);
  } while (!stop.cancelled && cursor !== '0');
  io.exit(0);
}

interface TypeInfo {
  name: string;
  sizecmd: string | null;
  sizeunit: string;
  biggest: bigint;
  count: bigint;
  totalsize: bigint;
  biggestKey: string | null;
}

function typeInfo(name: string, sizecmd: string | null, sizeunit: string): TypeInfo {
  return { name, sizecmd, sizeunit, biggest: 0n, count: 0n, totalsize: 0n, biggestKey: null };
}

/** TYPE of each key, pipelined; null for keys deleted since the SCAN. */
async function keyTypes(cli: Cli, types: Map<string, TypeInfo>, keys: Reply[]): Promise<(TypeInfo | null)[]> {
  const conn = cli.conn!;
  for (const k of keys) conn.send(['TYPE', k.str]);
  const out: (TypeInfo | null)[] = [];
  for (const k of keys) {
    const r = await readOne(conn);
    if (r === null) {
      io.err(`Error getting type for key '${cstr(k.str)}' (1: ${conn.err?.message ?? ''})\n`);
      io.exit(1);
    } else if (r.type !== T.Status) {
      if (r.type === T.Error) io.err(`TYPE returned an error: ${r.str}\n`);
      else io.err(`Invalid reply type (${r.type}) for TYPE on key '${cstr(k.str)}'!\n`);
      io.exit(1);
    }
    let t = types.get(r.str) ?? null;
    // Module types get an entry of their own (not deleted keys).
    if (t === null && r.str !== 'none') {
      t = typeInfo(r.str, null, '?');
      types.set(r.str, t);
    }
    out.push(t);
  }
  return out;
}

async function keySizes(cli: Cli, keys: Reply[], types: (TypeInfo | null)[], memkeys: boolean, samples: number): Promise<bigint[]> {
  const conn = cli.conn!;
  const skip = (t: TypeInfo | null): boolean => !t || (!t.sizecmd && !memkeys);
  keys.forEach((k, i) => {
    const t = types[i];
    if (skip(t)) return;
    if (!memkeys) conn.send([t!.sizecmd!, k.str]);
    else if (samples === 0) conn.send(['MEMORY', 'USAGE', k.str]);
    else conn.send(['MEMORY', 'USAGE', k.str, 'SAMPLES', String(samples)]);
  });
  const sizes: bigint[] = [];
  for (let i = 0; i < keys.length; i++) {
    const t = types[i];
    if (skip(t)) {
      sizes.push(0n);
      continue;
    }
    const r = await readOne(conn);
    if (r === null) {
      io.err(`Error getting size for key '${cstr(keys[i].str)}' (1: ${conn.err?.message ?? ''})\n`);
      io.exit(1);
    } else if (r.type !== T.Integer) {
      // The key may have changed type between TYPE and the size command (or the server lacks it).
      io.err(`Warning:  ${!memkeys ? t!.sizecmd : 'MEMORY USAGE'} on '${cstr(keys[i].str)}' failed (may have changed type)\n`);
      sizes.push(0n);
    } else {
      sizes.push(BigInt(r.str));
    }
  }
  return sizes;
}

const pct = (v: number): string => zeroPadded(v, 5, 2);

export async function findBigKeys(cli: Cli, memkeys: boolean, samples: number): Promise<never> {
  const c = cli.config;
  // redis-cli keeps these in a hash table; its iteration order is one of these.
  const types = new Map<string, TypeInfo>([
    ['list', typeInfo('list', 'LLEN', 'items')],
    ['hash', typeInfo('hash', 'HLEN', 'fields')],
    ['string', typeInfo('string', 'STRLEN', 'bytes')],
    ['stream', typeInfo('stream', 'XLEN', 'entries')],
    ['set', typeInfo('set', 'SCARD', 'members')],
    ['zset', typeInfo('zset', 'ZCARD', 'members')],
  ]);
  const stop = cancelOnSigint();
  const total = await dbsize(cli);
  io.out('\n# Scanning the entire keyspace to find biggest keys as well as\n');
  io.out('# average sizes per key type.  You can use -i 0.1 to sleep 0.1 sec\n');
  io.out('# per 100 SCAN commands (not usually needed).\n\n');
  let sampled = 0;
  let totlen = 0;
  let loops = 0;
  let cursor = '0';
  let p = 0;
  do {
    p = (100 * sampled) / total;
    const [next, keys] = await sendScan(cli, cursor);
    cursor = next;
    loops++;
    const ktypes = await keyTypes(cli, types, keys);
    const sizes = await keySizes(cli, keys, ktypes, memkeys, samples);
    for (let i = 0; i < keys.length; i++) {
      const t = ktypes[i];
      if (!t) continue;
      t.totalsize += sizes[i];
      t.count++;
      totlen += keys[i].str.length;
      sampled++;
      if (t.biggest < sizes[i]) {
        t.biggestKey = repr(keys[i].str);
        io.out(`[${pct(p)}%] Biggest ${t.name.padEnd(6)} found so far '${t.biggestKey}' with ${sizes[i]} ${!memkeys ? t.sizeunit : 'bytes'}\n`);
        t.biggest = sizes[i];
      }
      if (sampled % 1000000 === 0) io.out(`[${pct(p)}%] Sampled ${sampled} keys so far\n`);
    }
    io.flush();
    if (c.interval && loops % 100 === 0) await sleepUs(c.interval);
  } while (!stop.cancelled && cursor !== '0');

  io.out('\n-------- summary -------\n\n');
  if (stop.cancelled) io.out(`[${pct(p)}%] `);
  io.out(`Sampled ${sampled} keys in the keyspace!\n`);
  io.out(`Total key length in bytes is ${totlen} (avg len ${fixed(totlen ? totlen / sampled : 0, 2)})\n\n`);
  for (const t of types.values()) {
    if (t.biggestKey !== null) {
      io.out(`Biggest ${t.name.padStart(6)} found '${t.biggestKey}' has ${t.biggest} ${!memkeys ? t.sizeunit : 'bytes'}\n`);
    }
  }
  io.out('\n');
  for (const t of types.values()) {
    const share = sampled ? (100 * Number(t.count)) / sampled : 0;
    const avg = t.count ? Number(t.totalsize) / Number(t.count) : 0;
    io.out(`${t.count} ${t.name}s with ${t.totalsize} ${!memkeys ? t.sizeunit : 'bytes'} (${pct(share)}% of keys, avg size ${fixed(avg, 2)})\n`);
  }
  io.exit(0);
}

const HOTKEYS_SAMPLE = 16;

export async function findHotKeys(cli: Cli): Promise<never> {
  const c = cli.config;
  const counters: bigint[] = new Array(HOTKEYS_SAMPLE).fill(0n);
  const hotkeys: (string | null)[] = new Array(HOTKEYS_SAMPLE).fill(null);
  const stop = cancelOnSigint();
  const total = await dbsize(cli);
  io.out('\n# Scanning the entire keyspace to find hot keys as well as\n');
  io.out('# average sizes per key type.  You can use -i 0.1 to sleep 0.1 sec\n');
  io.out('# per 100 SCAN commands (not usually needed).\n\n');
  let sampled = 0;
  let loops = 0;
  let cursor = '0';
  let p = 0;
  const conn = cli.conn!;
  do {
    p = (100 * sampled) / total;
    const [next, keys] = await sendScan(cli, cursor);
    cursor = next;
    loops++;
    for (const k of keys) conn.send(['OBJECT', 'FREQ', k.str]);
    const freqs: bigint[] = [];
    for (const k of keys) {
      const r = await readOne(conn);
      if (r === null) {
        io.err(`Error getting freq for key '${repr(k.str)}' (1: ${conn.err?.message ?? ''})\n`);
        io.exit(1);
      } else if (r.type !== T.Integer) {
        if (r.type === T.Error) {
          io.err(`Error: ${r.str}\n`);
          io.exit(1);
        }
        io.err(`Warning: OBJECT FREQ on '${repr(k.str)}' failed (may have changed type)\n`);
        freqs.push(0n);
      } else {
        freqs.push(BigInt(r.str));
      }
    }
    for (let i = 0; i < keys.length; i++) {
      sampled++;
      if (sampled % 1000000 === 0) io.out(`[${pct(p)}%] Sampled ${sampled} keys so far\n`);
      // A small sorted pool of the hottest keys (ascending counters).
      let k = 0;
      while (k < HOTKEYS_SAMPLE && freqs[i] > counters[k]) k++;
      if (k === 0) continue;
      k--;
      if (!(k === 0 || counters[k] === 0n)) {
        counters.copyWithin(0, 1, k + 1);
        hotkeys.copyWithin(0, 1, k + 1);
      }
      counters[k] = freqs[i];
      hotkeys[k] = repr(keys[i].str);
      io.out(`[${pct(p)}%] Hot key '${hotkeys[k]}' found so far with counter ${freqs[i]}\n`);
    }
    io.flush();
    if (c.interval && loops % 100 === 0) await sleepUs(c.interval);
  } while (!stop.cancelled && cursor !== '0');
  io.out('\n-------- summary -------\n\n');
  if (stop.cancelled) io.out(`[${pct(p)}%] `);
  io.out(`Sampled ${sampled} keys in the keyspace!\n`);
  for (let i = 1; i <= HOTKEYS_SAMPLE; i++) {
    const k = HOTKEYS_SAMPLE - i;
    if (counters[k] > 0n) io.out(`hot key found with counter: ${counters[k]}\tkeyname: ${hotkeys[k]}\n`);
  }
  io.exit(0);
}
