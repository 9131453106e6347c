// Wire scenarios shared by the integration and differential wire tests: big
// values for the commands that store them, a pipeline of mixed commands, and
// protocol desyncs. Requests are delivered in the ways of WireMode (resp.ts).

import net from 'node:net';
import { RawClient, encodeCommand, seededRandom, type WireMode } from './resp.js';

export type Args = (string | Buffer | number)[];

/** A value of `size` bytes where every offset is recognisable (so a shifted or stale byte shows), drawn from `alphabet`. */
export function patternValue(size: number, alphabet = 251): Buffer {
  const b = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) b[i] = (i * 7 + (i >>> 8)) % alphabet;
  return b;
}

/** The sizes the issue names: 1 KB, 64 KB - 1, 64 KB, 64 KB + 1, 1 MB, 16 MB (big argument threshold is 32 KB). */
export const BIG_SIZES = [1024, 65535, 65536, 65537, 1 << 20, 16 << 20];

export interface Delivery {
  name: string;
  mode: WireMode;
  seed: number;
  /** Byte-by-byte up to this many bytes (bigger requests are cut at random instead). */
  bytewiseMax?: number;
  /** Header, value and trailing CRLF in three writes (how redis-py sends a big value). */
  threeWrites?: boolean;
}

export const DELIVERIES: Delivery[] = [
  { name: 'whole', mode: 'whole', seed: 1 },
  { name: 'byte by byte (random cuts past 4 KB)', mode: 'bytes', seed: 2 },
  { name: 'random cuts', mode: 'random', seed: 3 },
  { name: 'header, value and CRLF in three writes', mode: 'whole', seed: 4, threeWrites: true },
];

/** A command that stores a big value, and the command that reads it back. */
export interface BigValueCase {
  name: string;
  setup: Args[];
  write(v: Buffer): Args;
  read: Args;
}

export const BIG_VALUE_CASES: BigValueCase[] = [
  { name: 'SET', setup: [], write: (v) => ['SET', 'k', v], read: ['GET', 'k'] },
  { name: 'APPEND', setup: [['SET', 'k', 'head:']], write: (v) => ['APPEND', 'k', v], read: ['GET', 'k'] },
  { name: 'SETRANGE', setup: [['SET', 'k', 'abcdef']], write: (v) => ['SETRANGE', 'k', 3, v], read: ['GET', 'k'] },
  { name: 'HSET', setup: [], write: (v) => ['HSET', 'h', 'f', v, 'g', 'tail'], read: ['HMGET', 'h', 'f', 'g'] },
  { name: 'RPUSH (big element followed by another argument)', setup: [], write: (v) => ['RPUSH', 'l', v, 'x'], read: ['LRANGE', 'l', 0, -1] },
  // SORT ... ALPHA: a hashtable set's member order is Spinel's own, the sorted members are not.
  { name: 'SADD', setup: [['SADD', 's', 'a']], write: (v) => ['SADD', 's', v], read: ['SORT', 's', 'ALPHA'] },
  { name: 'ZADD member', setup: [], write: (v) => ['ZADD', 'z', 1, v, 2, 'y'], read: ['ZRANGE', 'z', 0, -1, 'WITHSCORES'] },
];

/** Sends one request as `d` says and resolves with its reply. */
export async function deliver(c: RawClient, args: Args, d: Delivery): Promise<string> {
  if (d.threeWrites) {
    // Everything up to the last argument's length line, then its bytes, then CRLF.
    const last = args[args.length - 1];
    const lastBuf = Buffer.isBuffer(last) ? last : Buffer.from(String(last), 'latin1');
    const whole = encodeCommand(args);
    const headEnd = whole.length - lastBuf.length - 2;
    c.setWire('whole');
    const reply = c.read();
    c.socket.write(whole.subarray(0, headEnd));
    await new Promise((r) => setImmediate(r));
    c.socket.write(whole.subarray(headEnd, whole.length - 2));
    await new Promise((r) => setImmediate(r));
    c.socket.write(whole.subarray(whole.length - 2));
    return reply;
  }
  c.setWire(d.mode, d.seed);
  c.bytewiseMax = d.bytewiseMax ?? 4096;
  try {
    return await c.call(...args);
  } finally {
    c.setWire('whole');
  }
}

/**
 * A pipeline of `n` mixed commands (strings, counters, lists, hashes, sets,
 * sorted sets, inline commands, errors, values around the big-argument size),
 * deterministic for a seed, as one buffer; every command has exactly one reply.
 */
export function mixedPipeline(n: number, seed: number): Buffer {
  const rnd = seededRandom(seed);
  const parts: Buffer[] = [];
  const key = () => `k${rnd(20)}`;
  const val = () => {
    const r = rnd(200);
    if (r === 0) return patternValue(32768 + rnd(3) - 1); // around the big-argument threshold
    if (r < 10) return patternValue(1 + rnd(3000));
    return `v${rnd(1000)}`;
  };
  for (let i = 0; i < n; i++) {
    const r = rnd(16);
    const k = key();
    let args: Args;
    switch (r) {
      case 0: args = ['SET', k, val()]; break;
      case 1: args = ['GET', k]; break;
      case 2: args = ['INCR', `n${rnd(5)}`]; break;
      case 3: args = ['RPUSH', `l${rnd(5)}`, val(), val()]; break;
      case 4: args = ['LPOP', `l${rnd(5)}`]; break;
      case 5: args = ['HSET', `h${rnd(5)}`, `f${rnd(10)}`, val()]; break;
      case 6: args = ['HMGET', `h${rnd(5)}`, `f${rnd(10)}`, `f${rnd(10)}`]; break; // not HGETALL: a hashtable's order is Spinel's own
      case 7: args = ['SADD', `s${rnd(5)}`, `m${rnd(50)}`]; break;
      case 8: args = ['SCARD', `s${rnd(5)}`]; break;
      case 9: args = ['ZADD', `z${rnd(5)}`, rnd(100), `m${rnd(50)}`]; break;
      case 10: args = ['ZRANGE', `z${rnd(5)}`, 0, -1, 'WITHSCORES']; break;
      case 11: args = ['DEL', k]; break;
      case 12: args = ['APPEND', k, val()]; break;
      case 13: args = ['STRLEN', k]; break;
      case 14: args = ['EXISTS', k, key()]; break;
      default: {
        // Inline form, and now and then a command that fails.
        parts.push(Buffer.from(rnd(4) === 0 ? `NOSUCH ${k}\r\n` : `ECHO "${k} x"\r\n`, 'latin1'));
        continue;
      }
    }
    parts.push(encodeCommand(args));
  }
  return Buffer.concat(parts);
}

/** Sends a whole pipeline as `d` says and collects its `n` replies. */
export async function deliverPipeline(c: RawClient, bytes: Buffer, n: number, d: Delivery): Promise<string[]> {
  c.setWire(d.mode, d.seed);
  c.bytewiseMax = d.bytewiseMax ?? 4096;
  try {
    return await c.raw(bytes, n);
  } finally {
    c.setWire('whole');
  }
}

/** A stream that never ends its line: Redis answers with a protocol error once 64 KB arrived, then closes. */
export interface DesyncCase {
  name: string;
  prefix: string;
}

export const DESYNC_CASES: DesyncCase[] = [
  // Redis's own "Protocol desync regression test #1..#3" (tests/unit/protocol.tcl).
  { name: 'NUL then an endless line', prefix: '\x00' },
  { name: "'*' NUL then an endless line", prefix: '*\x00' },
  { name: "'$' NUL then an endless line", prefix: '$\x00' },
  { name: 'an endless inline command line', prefix: 'SET key ' },
  { name: 'an endless multibulk count', prefix: '*1' },
  { name: 'an endless bulk length line', prefix: '*2\r\n$3\r\nGET\r\n$1' },
];

/**
 * Sends the case's prefix, then filler without a newline in 1 KB writes until
 * the server closes; resolves with everything the server sent. Rejects if the
 * server still reads after `limit` bytes.
 */
export function runDesync(port: number, d: DesyncCase, limit = 4 << 20): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    const got: Buffer[] = [];
    let sent = 0;
    let done = false;
    const filler = Buffer.alloc(1024, d.prefix.endsWith('1') ? '1' : 'A');
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      s.destroy();
      if (err) reject(err);
      else resolve(Buffer.concat(got).toString('latin1'));
    };
    s.on('data', (b) => got.push(b));
    s.on('error', () => {
      // A reset after the reply: what was received is the answer.
    });
    s.on('close', () => finish());
    s.on('connect', async () => {
      s.write(Buffer.from(d.prefix, 'latin1'));
      // Once the server may answer (64 KB), write slowly and stop at its
      // answer: a write into the connection it closed would reset ours
      // before its reply is read.
      while (!done && !s.destroyed && got.length === 0) {
        if (sent > limit) return finish(new Error(`server still reading after ${sent} bytes of ${d.name}`));
        s.write(filler);
        sent += filler.length;
        await new Promise((r) => (sent < 60 * 1024 ? setImmediate(r) : setTimeout(r, 5)));
      }
    });
  });
}
