// Differential testing: the same commands against Spinel and the reference
// redis-server (Redis 7.2, found through $REDIS_SERVER or PATH), replies
// compared byte for byte. A difference that must remain is skipped by the
// test concerned, item by item, and explained in docs/compatibility.md.

import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { RawClient, type WireMode } from './resp.js';
import { startSpinel, startRedis, referenceMissing, type Running, type SpinelHandle } from './servers.js';

export type Args = (string | number | Buffer)[];

/** How the main Spinel connection of a pair sends requests (SPINEL_WIRE, default mixed) and the seed of its cuts (SPINEL_WIRE_SEED). */
const WIRE_MODE = (process.env.SPINEL_WIRE ?? 'mixed') as WireMode;
const WIRE_SEED = Number(process.env.SPINEL_WIRE_SEED ?? 7);

export class DiffPair {
  constructor(
    public spinel: RawClient,
    public redis: RawClient,
    public spinelServer: SpinelHandle,
    public redisServer: Running,
  ) {}

  /** Sends a command to both; asserts the replies are identical. */
  async check(...args: Args): Promise<string> {
    const [a, b] = await Promise.all([this.spinel.call(...args), this.redis.call(...args)]);
    assert.equal(a, b, `reply to ${show(args)} (sent to Spinel ${this.spinel.lastDelivery}, wire seed ${WIRE_SEED})`);
    return a;
  }

  /** Runs several commands in order, checking each. */
  async checkAll(cmds: Args[]): Promise<void> {
    for (const c of cmds) await this.check(...c);
  }

  /** Sends a command to both without comparing (setup, or nondeterministic replies); returns both replies. */
  async both(...args: Args): Promise<[string, string]> {
    return Promise.all([this.spinel.call(...args), this.redis.call(...args)]);
  }

  /** Switches both connections to RESP3 (or back to 2). */
  async resp(v: 2 | 3): Promise<void> {
    await this.both('HELLO', v);
  }

  /** New connections to both servers (for multi-client tests). */
  async connectMore(): Promise<[RawClient, RawClient]> {
    return Promise.all([RawClient.connect(this.spinelServer.port), RawClient.connect(this.redisServer.port)]);
  }

  async close(): Promise<void> {
    this.spinel.close();
    this.redis.close();
    await Promise.all([this.spinelServer.close(), this.redisServer.close()]);
  }
}

function show(args: Args): string {
  return args.map((a) => JSON.stringify(Buffer.isBuffer(a) ? a.toString('latin1') : String(a))).join(' ').slice(0, 300);
}

/**
 * Starts both servers for a test file. Returns null (with the reason logged
 * through `skip`) when redis-server is absent outside CI.
 */
export async function startPair(spinelConfig: Record<string, unknown> = {}, redisArgs: string[] = []): Promise<DiffPair | null> {
  if (referenceMissing()) return null;
  const [s, r] = await Promise.all([startSpinel({ 'enable-debug-command': 'yes', ...spinelConfig }), startRedis(redisArgs)]);
  const [a, b] = await Promise.all([RawClient.connect(s.port), RawClient.connect(r.port)]);
  // The corpus reaches Spinel cut into pieces (whole, byte by byte or at random
  // points, per request) and Redis whole: replies must not depend on the split.
  a.setWire(WIRE_MODE, WIRE_SEED);
  return new DiffPair(a, b, s, r);
}

/**
 * Starts the pair before a test file's tests and closes it after them; hands
 * the started pair to `onStart`. Returns the skip reason (false when the
 * reference server is there), for `test(name, { skip }, ...)`.
 */
export function usePair(onStart: (pair: DiffPair) => void, spinelConfig: Record<string, unknown> = {}, redisArgs: string[] = []): string | false {
  const skip = skipReason();
  let started: DiffPair | null = null;
  before(async () => {
    if (skip) return;
    started = (await startPair(spinelConfig, redisArgs))!;
    onStart(started);
  });
  after(async () => {
    if (started) await started.close();
  });
  return skip;
}

/** The skip reason when the reference server is missing, for `test(name, { skip }, ...)`. */
export function skipReason(): string | false {
  return referenceMissing();
}
