// Side effects of commands compared with the reference server: keyspace
// notifications (a PSUBSCRIBE'd client on the reference, the keyspace notify
// hook in Spinel), the dirty counter (rdb_changes_since_last_save vs
// server.dirty) and the propagated commands (the reference's replication
// stream read through SYNC vs Spinel's propagate targets). The same harness
// as test/differential/strings-effects.test.ts, shared.

import assert from 'node:assert/strict';
import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPair, type DiffPair, type Args } from './differential.js';
import { RawClient, decode } from './resp.js';
import { Notify } from '../../src/db/keyspace.js';

/** Classes in notify-keyspace-events "A" (everything but keymiss and new). */
const CLASS_A = Notify.Generic | Notify.String | Notify.List | Notify.Set | Notify.Hash | Notify.ZSet | Notify.Expired | Notify.Evicted | Notify.Stream | Notify.Module;

/** Reads a master's replication stream after SYNC: skips the RDB payload, then yields commands. */
export class ReplStream {
  private buf = Buffer.alloc(0);
  private rdbLeft = -1;
  private commands: string[][] = [];
  private waiter: (() => void) | null = null;
  constructor(private socket: net.Socket) {
    socket.on('data', (d) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.parse();
      if (this.waiter) this.waiter();
    });
  }
  static async connect(port: number): Promise<ReplStream> {
    const s = net.connect(port, '127.0.0.1');
    await new Promise((r) => s.once('connect', r));
    s.write('SYNC\r\n');
    const r = new ReplStream(s);
    const deadline = Date.now() + 10000;
    while (r.rdbLeft !== 0) {
      if (Date.now() > deadline) throw new Error('SYNC: no RDB payload');
      await new Promise((res) => setTimeout(res, 20));
    }
    return r;
  }
  private parse(): void {
    for (;;) {
      if (this.rdbLeft < 0) {
        while (this.buf.length > 0 && this.buf[0] === 10) this.buf = this.buf.subarray(1);
        const nl = this.buf.indexOf('\r\n');
        if (nl < 0) return;
        this.rdbLeft = Number(this.buf.toString('latin1', 1, nl));
        this.buf = this.buf.subarray(nl + 2);
      }
      if (this.rdbLeft > 0) {
        const n = Math.min(this.rdbLeft, this.buf.length);
        this.buf = this.buf.subarray(n);
        this.rdbLeft -= n;
        if (this.rdbLeft > 0) return;
      }
      if (this.buf.length === 0 || this.buf[0] !== 42) return;
      try {
        const [v, end] = decode(this.buf, 0);
        if (end > this.buf.length) return;
        this.buf = this.buf.subarray(end);
        this.commands.push(v as string[]);
      } catch {
        return;
      }
    }
  }
  /**
   * Commands up to (not including) PUBLISH sync <marker>, SELECT and PING
   * left out (MULTI and EXEC kept: a unit's several commands are wrapped).
   */
  async until(marker: string): Promise<string[][]> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const i = this.commands.findIndex((c) => c[0].toUpperCase() === 'PUBLISH' && c[2] === marker);
      if (i >= 0) {
        const out = this.commands.slice(0, i).filter((c) => !['SELECT', 'PING'].includes(c[0].toUpperCase()));
        this.commands = this.commands.slice(i + 1);
        return out;
      }
      if (Date.now() > deadline) throw new Error('replication stream: marker not seen');
      await new Promise<void>((r) => {
        this.waiter = r;
        setTimeout(r, 50);
      });
      this.waiter = null;
    }
  }
  close(): void {
    this.socket.destroy();
  }
}

/** Arguments that may differ between the servers: unix times in ms, and whatever `sameArg` accepts. */
export type ArgMatcher = (spinel: string, redis: string) => boolean;

const closeTimes: ArgMatcher = (a, b) => /^\d{13}$/.test(a) && /^\d{13}$/.test(b) && Math.abs(Number(a) - Number(b)) < 3000;

/** A pair of servers with their side channels. */
export class EffectsPair {
  events: string[] = [];
  propagated: string[][] = [];
  private markerSeq = 0;
  private constructor(
    readonly pair: DiffPair,
    private readonly sub: RawClient,
    private readonly repl: ReplStream,
    private readonly dir: string,
    /** A connection of its own for INFO: the pair's may be inside MULTI. */
    private readonly info: RawClient,
  ) {}

  static async start(): Promise<EffectsPair> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spinel-effects-'));
    const pair = (await startPair({}, ['--dir', dir, '--notify-keyspace-events', 'EA', '--repl-diskless-sync', 'no']))!;
    const sub = await RawClient.connect(pair.redisServer.port);
    await sub.call('PSUBSCRIBE', '__keyevent@0__:*');
    await sub.call('SUBSCRIBE', 'sync');
    const repl = await ReplStream.connect(pair.redisServer.port);
    const ep = new EffectsPair(pair, sub, repl, dir, await RawClient.connect(pair.redisServer.port));
    const hooks = pair.spinelServer.server.keyspace.hooks;
    const orig = hooks.notify;
    hooks.notify = (type, event, key, dbid) => {
      if ((type & CLASS_A) !== 0) ep.events.push(`${event} ${key}`);
      orig.call(hooks, type, event, key, dbid);
    };
    pair.spinelServer.server.propagateTargets.push((_db, argv) => ep.propagated.push(argv.slice()));
    return ep;
  }

  async close(): Promise<void> {
    this.sub.close();
    this.repl.close();
    this.info.close();
    await this.pair.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private async redisEvents(marker: string): Promise<string[]> {
    const out: string[] = [];
    for (;;) {
      const m = decode(Buffer.from(await this.sub.read(), 'latin1'))[0] as string[];
      if (m[0] === 'message' && m[1] === 'sync' && m[2] === marker) return out;
      if (m[0] === 'pmessage') out.push(`${m[2].slice('__keyevent@0__:'.length)} ${m[3]}`);
    }
  }

  private async redisDirty(): Promise<number> {
    const info = await this.info.call('INFO', 'persistence');
    return Number(/rdb_changes_since_last_save:(\d+)/.exec(info)![1]);
  }

  /** Drains both servers' side channels. */
  async sync(): Promise<{ ev: string[]; prop: string[][] }> {
    const marker = String(++this.markerSeq);
    await this.pair.redis.call('PUBLISH', 'sync', marker);
    const ev = await this.redisEvents(marker);
    const prop = await this.repl.until(marker);
    return { ev, prop };
  }

  /** FLUSHALL on both, side channels drained and cleared. */
  async reset(): Promise<void> {
    await this.pair.both('FLUSHALL');
    await this.sync();
    this.events = [];
    this.propagated = [];
  }

  /**
   * Runs one command on both and compares the reply (unless `reply` is
   * false), the dirty delta, the notifications and the propagation (an
   * argument may differ where `same` accepts it).
   */
  async effect(args: Args, opts: { reply?: boolean; same?: ArgMatcher } = {}): Promise<void> {
    const d0 = await this.redisDirty();
    const s0 = this.pair.spinelServer.server.dirty;
    if (opts.reply === false) await this.pair.both(...args);
    else await this.pair.check(...args);
    const d1 = await this.redisDirty();
    const s1 = this.pair.spinelServer.server.dirty;
    const what = args.map(String).join(' ');
    assert.equal(s1 - s0, d1 - d0, `dirty delta of ${what}`);
    const { ev, prop } = await this.sync();
    assert.deepEqual(this.events, ev, `notifications of ${what}`);
    const same = (a: string, b: string) => a === b || closeTimes(a, b) || (opts.same !== undefined && opts.same(a, b));
    const ok = this.propagated.length === prop.length && this.propagated.every((p, i) => p.length === prop[i].length && p.every((x, j) => same(x, prop[i][j])));
    assert.ok(ok, `propagation of ${what}: spinel ${JSON.stringify(this.propagated)} redis ${JSON.stringify(prop)}`);
    this.events = [];
    this.propagated = [];
  }
}
