// Side effects of commands compared with the reference server: keyspace
// notifications (a PSUBSCRIBE'd client on the reference, the keyspace notify
// hook in Spinel), the dirty counter (rdb_changes_since_last_save vs
// server.dirty) and the propagated commands (the reference's replication
// stream read through SYNC vs Spinel's propagate targets).
//
//   const fx = useEffects();              // at the top of a test file
//   await fx.reset();  await fx.effect('GEOADD', 'k', '1', '2', 'm');
//
// (test/differential/strings-effects.test.ts has its own copy of this.)

import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPair, skipReason, type DiffPair, type Args } from './differential.js';
import { RawClient, decode } from './resp.js';
import { Notify } from '../../src/db/keyspace.js';

/** Classes in notify-keyspace-events "A" (everything but keymiss and new). */
const CLASS_A = Notify.Generic | Notify.String | Notify.List | Notify.Set | Notify.Hash | Notify.ZSet | Notify.Expired | Notify.Evicted | Notify.Stream | Notify.Module;

/** Reads a master's replication stream after SYNC: skips the RDB payload, then collects commands. */
class ReplStream {
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
  /** Commands up to (not including) PUBLISH sync <marker>; SELECT, PING, MULTI and EXEC left out. */
  async until(marker: string): Promise<string[][]> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const i = this.commands.findIndex((c) => c[0].toUpperCase() === 'PUBLISH' && c[2] === marker);
      if (i >= 0) {
        const out = this.commands.slice(0, i).filter((c) => !['SELECT', 'PING', 'MULTI', 'EXEC'].includes(c[0].toUpperCase()));
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

export class Effects {
  pair!: DiffPair;
  /** Spinel-side records since the last sync. */
  private events: string[] = [];
  private propagated: string[][] = [];
  private sub!: RawClient;
  private repl!: ReplStream;
  private markerSeq = 0;

  async start(dir: string): Promise<void> {
    this.pair = (await startPair({}, ['--dir', dir, '--notify-keyspace-events', 'EA', '--repl-diskless-sync', 'no']))!;
    const hooks = this.pair.spinelServer.server.keyspace.hooks;
    const orig = hooks.notify;
    hooks.notify = (type, event, key, dbid) => {
      if ((type & CLASS_A) !== 0) this.events.push(`${event} ${key}`);
      orig.call(hooks, type, event, key, dbid);
    };
    this.pair.spinelServer.server.propagateTargets.push((_db, argv) => this.propagated.push(argv.slice()));
    this.sub = await RawClient.connect(this.pair.redisServer.port);
    await this.sub.call('PSUBSCRIBE', '__keyevent@0__:*');
    await this.sub.call('SUBSCRIBE', 'sync');
    this.repl = await ReplStream.connect(this.pair.redisServer.port);
  }

  async close(): Promise<void> {
    this.sub?.close();
    this.repl?.close();
    if (this.pair) await this.pair.close();
  }

  /** Notifications the reference sent since the last sync (as "event key"). */
  private async redisEvents(marker: string): Promise<string[]> {
    const out: string[] = [];
    for (;;) {
      const m = decode(Buffer.from(await this.sub.read(), 'latin1'))[0] as string[];
      if (m[0] === 'message' && m[1] === 'sync' && m[2] === marker) return out;
      if (m[0] === 'pmessage') out.push(`${m[2].slice('__keyevent@0__:'.length)} ${m[3]}`);
    }
  }

  private async redisDirty(): Promise<number> {
    const info = await this.pair.redis.call('INFO', 'persistence');
    return Number(/rdb_changes_since_last_save:(\d+)/.exec(info)![1]);
  }

  /** Drains both servers' side channels. */
  private async sync(): Promise<{ ev: string[]; prop: string[][] }> {
    const marker = String(++this.markerSeq);
    await this.pair.redis.call('PUBLISH', 'sync', marker);
    const ev = await this.redisEvents(marker);
    const prop = await this.repl.until(marker);
    return { ev, prop };
  }

  /** Empties both servers and the records. */
  async reset(): Promise<void> {
    await this.pair.both('FLUSHALL');
    await this.sync();
    this.events = [];
    this.propagated = [];
  }

  /** Runs one command on both; compares the reply, the dirty delta, the notifications and the propagation. */
  async effect(...args: Args): Promise<void> {
    const d0 = await this.redisDirty();
    const s0 = this.pair.spinelServer.server.dirty;
    await this.pair.check(...args);
    const d1 = await this.redisDirty();
    const s1 = this.pair.spinelServer.server.dirty;
    const what = args.map(String).join(' ');
    assert.equal(s1 - s0, d1 - d0, `dirty delta of ${what}`);
    const { ev, prop } = await this.sync();
    assert.deepEqual(this.events, ev, `notifications of ${what}`);
    assert.deepEqual(this.propagated, prop, `propagation of ${what}`);
    this.events = [];
    this.propagated = [];
  }
}

/** An Effects pair started before a test file's tests and closed after them. */
export function useEffects(): { fx: Effects; skip: string | false } {
  const skip = skipReason();
  const fx = new Effects();
  let dir = '';
  before(async () => {
    if (skip) return;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spinel-effects-'));
    await fx.start(dir);
  });
  after(async () => {
    await fx.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
  return { fx, skip };
}
