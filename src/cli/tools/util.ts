// Helpers shared by the tool modes: C-style number formatting, INFO field
// lookup, and the commands of the tools (SCAN, DBSIZE, a PING that reconnects).

import { Connection, ErrKind, type ConnError } from '../connection.js';
import { T, type Reply } from '../resp.js';
import type { Cli } from '../cli.js';
import * as io from '../io.js';

/** printf("%.Nf"), with C's rounding of the exact binary value. */
export function fixed(v: number, digits: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? (v < 0 ? '-nan' : 'nan') : v < 0 ? '-inf' : 'inf';
  return v.toFixed(digits);
}

/** printf("%0W.Nf"). */
export function zeroPadded(v: number, width: number, digits: number): string {
  const s = fixed(v, digits);
  if (!Number.isFinite(v)) return s.padStart(width);
  if (s.length >= width) return s;
  return s.startsWith('-') ? '-' + s.slice(1).padStart(width - 1, '0') : s.padStart(width, '0');
}

/** redis-cli's getInfoField: the first occurrence of the name anywhere in the text, up to '\r' or ','. */
export function infoField(info: string, field: string): string | null {
  const p = info.indexOf(field);
  if (p < 0) return null;
  const start = p + field.length + 1;
  let end = info.indexOf('\r', start);
  if (end < 0) end = info.length;
  const comma = info.indexOf(',', start);
  if (comma >= 0 && comma < end) end = comma;
  return info.slice(start, end);
}

export const LONG_MIN = -(2n ** 63n);

/** getLongInfoField: strtol of the field, LONG_MIN when absent. */
export function longInfoField(info: string, field: string): bigint {
  const v = infoField(info, field);
  if (v === null) return LONG_MIN;
  const m = /^\s*([+-]?\d+)/.exec(v);
  return m ? BigInt(m[1]) : 0n;
}

/** bytesToHuman: 1023B, 1.00K, 2.50M, ... */
export function bytesToHuman(n: number): string {
  let sign = '';
  if (n < 0) {
    sign = '-';
    n = -n;
  }
  const units = ['K', 'M', 'G', 'T', 'P'];
  if (n < 1024) return `${sign}${n}B`;
  let d = n / 1024;
  for (const u of units) {
    if (d < 1024) return `${sign}${d.toFixed(2)}${u}`;
    d /= 1024;
  }
  return `${sign}${n}B`;
}

/** Sends a command and reads its reply; "I/O error" and exit 1 if the connection fails. */
export async function command(cli: Cli, ...argv: string[]): Promise<Reply> {
  try {
    return await cli.conn!.command(...argv);
  } catch {
    io.err('\nI/O error\n');
    io.exit(1);
  }
}

/** Reads a reply of a pipelined command; null on a connection error. */
export async function readOne(conn: Connection): Promise<Reply | null> {
  try {
    return await conn.readReply();
  } catch {
    return null;
  }
}

export async function dbsize(cli: Cli): Promise<number> {
  const r = await command(cli, 'DBSIZE');
  if (r.type === T.Error) {
    io.err(`Couldn't determine DBSIZE: ${r.str}\n`);
    io.exit(1);
  } else if (r.type !== T.Integer) {
    io.err('Non INTEGER response from DBSIZE!\n');
    io.exit(1);
  }
  // redis-cli keeps the count in a C int.
  return Number(BigInt.asIntN(32, BigInt(r.str)));
}

/** One SCAN call of the tools: [next cursor, keys]. */
export async function sendScan(cli: Cli, cursor: string): Promise<[string, Reply[]]> {
  const c = cli.config;
  const argv = ['SCAN', cursor];
  if (c.pattern !== null) argv.push('MATCH', c.pattern);
  argv.push('COUNT', String(c.count));
  const r = await command(cli, ...argv);
  if (r.type === T.Error) {
    io.err(`SCAN error: ${r.str}\n`);
    io.exit(1);
  } else if (r.type !== T.Array) {
    io.err('Non ARRAY response from SCAN!\n');
    io.exit(1);
  } else if (r.elements!.length !== 2) {
    io.err('Invalid element count from SCAN!\n');
    io.exit(1);
  }
  const next = /^\d+/.exec(r.elements![0].str)?.[0] ?? '0';
  return [BigInt(next).toString(), r.elements![1].elements ?? []];
}

/**
 * redis-cli's reconnectingRedisCommand (--stat, --latency): when the
 * connection is lost it reconnects once a second, showing "Reconnecting... N".
 */
export async function reconnectingCommand(cli: Cli, ...argv: string[]): Promise<Reply> {
  const c = cli.config;
  let tries = 0;
  for (;;) {
    while (cli.conn === null || cli.conn.err !== null) {
      io.out(`\r\x1b[0KReconnecting... ${++tries}\r`);
      io.flush();
      cli.conn?.close();
      try {
        cli.conn = await Connection.open({ host: c.host, port: c.port, socket: null, family: c.family, timeoutMs: 0, tls: c.tls.enabled ? c.tls : null });
      } catch {
        cli.conn = null;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
    try {
      const r = await cli.conn.command(...argv);
      if (tries > 0) {
        io.out('\r\x1b[0K');
        io.flush();
      }
      return r;
    } catch (e) {
      const err = cli.conn.err as ConnError | null;
      if (err && err.kind !== ErrKind.Io && err.kind !== ErrKind.Eof) {
        io.err(`Error: ${err.message}\n`);
        io.exit(1);
      }
      void e;
    }
  }
}

/** SIGINT ends the loop of a long tool at its next step (the summary is still printed). */
export function cancelOnSigint(): { cancelled: boolean } {
  const state = { cancelled: false };
  process.on('SIGINT', () => {
    state.cancelled = true;
  });
  return state;
}

export function sleepUs(us: number): Promise<void> {
  return new Promise((r) => setTimeout(r, us / 1000));
}

export function cstr(s: string): string {
  const i = s.indexOf('\0');
  return i < 0 ? s : s.slice(0, i);
}
