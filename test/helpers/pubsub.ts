// Multi-connection comparisons for Pub/Sub, keyspace notifications and
// client-side caching: the same connections opened on Spinel and on the
// reference, the same commands sent on the same connection of each, and
// everything each connection received compared frame by frame, in order.
//
// After each step every connection gets a barrier, `PING <marker>`: its reply
// comes after whatever the server had queued for that connection when the
// step's command completed (replies, pub/sub messages, invalidations), so the
// frames read up to it are exactly what the step produced.

import assert from 'node:assert/strict';
import { RawClient } from './resp.js';
import type { DiffPair, Args } from './differential.js';

let markerSeq = 0;

/** The replies PING <marker> can get: plain bulk (RESP2/3) or the subscribed-RESP2 pong array. */
function isBarrier(frame: string, marker: string): boolean {
  const bulk = `$${marker.length}\r\n${marker}\r\n`;
  return frame === bulk || frame === `*2\r\n$4\r\npong\r\n${bulk}`;
}

/** Sends a barrier and returns the frames read before its reply. */
export async function drain(c: RawClient): Promise<string[]> {
  const marker = `barrier-${++markerSeq}`;
  c.send(Buffer.from(`*2\r\n$4\r\nPING\r\n$${marker.length}\r\n${marker}\r\n`, 'latin1'));
  const out: string[] = [];
  for (;;) {
    const f = await c.read();
    if (isBarrier(f, marker)) return out;
    out.push(f);
  }
}

export interface StepOptions {
  /** Compare frames as a multiset (orders Redis leaves to its hash tables). */
  unordered?: boolean;
  /** Connections not to drain (CLIENT REPLY OFF: the barrier would get no reply). */
  skipDrain?: number[];
  /** Rewrites a frame before comparing (client ids, times). */
  mask?: (frame: string) => string;
}

/** n connections on each server, compared step by step. */
export class MultiConn {
  private constructor(
    readonly spinel: RawClient[],
    readonly redis: RawClient[],
  ) {}

  static async open(pair: DiffPair, n: number): Promise<MultiConn> {
    const s: RawClient[] = [];
    const r: RawClient[] = [];
    for (let i = 0; i < n; i++) {
      const [a, b] = await pair.connectMore();
      s.push(a);
      r.push(b);
    }
    return new MultiConn(s, r);
  }

  /** Client ids of connection i on (Spinel, Redis). */
  async ids(i: number): Promise<[string, string]> {
    const a = await this.spinel[i].call('CLIENT', 'ID');
    const b = await this.redis[i].call('CLIENT', 'ID');
    return [a.slice(1, -2), b.slice(1, -2)];
  }

  /**
   * Sends a command on connection i of both servers (each server's own
   * version of it: ids differ), then drains every connection and compares
   * what each received. Returns Spinel's frames per connection.
   */
  async step(i: number, args: Args | [Args, Args], opts: StepOptions = {}): Promise<string[][]> {
    const [sArgs, rArgs] = Array.isArray(args[0]) ? (args as [Args, Args]) : [args as Args, args as Args];
    this.spinel[i].send(encode(sArgs));
    this.redis[i].send(encode(rArgs));
    // The command's first reply before the barrier: sent at once, the barrier
    // can share the command's read and run before the end of the event-loop
    // turn, where both servers send BCAST invalidations (beforeSleep).
    const first = opts.skipDrain?.includes(i) ? null : await Promise.all([this.spinel[i].read(), this.redis[i].read()]);
    return this.settle(`${sArgs.map(String).join(' ')} on connection ${i}`, opts, i, first);
  }

  /**
   * Drains and compares every connection, `first` first: once its barrier
   * is back, its command has run and the others' messages are queued ahead
   * of their own barriers.
   */
  async settle(what: string, opts: StepOptions = {}, first = 0, firstFrames: [string, string] | null = null): Promise<string[][]> {
    const n = this.spinel.length;
    const out: string[][] = new Array<string[]>(n);
    for (let k = 0; k < n; k++) {
      const j = (first + k) % n;
      if (opts.skipDrain?.includes(j)) {
        out[j] = [];
        continue;
      }
      let [a, b] = await Promise.all([drain(this.spinel[j]), drain(this.redis[j])]);
      if (j === first && firstFrames !== null) {
        a = [firstFrames[0], ...a];
        b = [firstFrames[1], ...b];
      }
      const mask = opts.mask ?? ((f: string) => f);
      let sa = a.map(mask);
      let sb = b.map(mask);
      if (opts.unordered) {
        sa = [...sa].sort();
        sb = [...sb].sort();
      }
      assert.deepEqual(sa, sb, `connection ${j} after ${what}`);
      out[j] = a;
    }
    return out;
  }

  close(): void {
    for (const c of [...this.spinel, ...this.redis]) c.close();
  }
}

function encode(args: Args): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = Buffer.isBuffer(a) ? a : Buffer.from(String(a), 'latin1');
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}
