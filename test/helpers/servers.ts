// Starting servers for tests: Spinel in-process on a free port, and the
// reference redis-server as a child process on a free port.

import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Server } from '../../src/server/server.js';
import { Config } from '../../src/config/config.js';
import { RawClient } from './resp.js';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address() as net.AddressInfo;
      s.close(() => resolve(a.port));
    });
    s.on('error', reject);
  });
}

export interface Running {
  port: number;
  close(): Promise<void>;
}

export interface SpinelHandle extends Running {
  server: Server;
}

/**
 * Starts Spinel in this process. `config` entries are applied as CONFIG-style
 * values. Without save points unless `save` is given (like the reference
 * server below): FLUSHALL and SHUTDOWN would otherwise write dump.rdb into the
 * working directory the test processes share.
 */
export async function startSpinel(config: Record<string, unknown> = {}): Promise<SpinelHandle> {
  const cfg = new Config();
  cfg.set('save', []);
  for (const [k, v] of Object.entries(config)) cfg.set(k, v);
  const port = await freePort();
  cfg.set('port', port);
  cfg.set('bind', ['127.0.0.1']);
  const server = new Server(cfg);
  server.log.silent = true;
  await server.listen();
  server.startCron();
  return { port, server, close: () => server.close() };
}

let redisPath: string | null | undefined;
/**
 * Path of the reference redis-server, or null when it is not installed:
 * $REDIS_SERVER when set (it must exist), else `redis-server` on PATH.
 */
export function redisServerPath(): string | null {
  if (redisPath !== undefined) return redisPath;
  const fromEnv = process.env.REDIS_SERVER;
  if (fromEnv) {
    if (!fs.existsSync(fromEnv)) throw new Error(`REDIS_SERVER=${fromEnv} does not exist`);
    redisPath = nodePath.resolve(fromEnv);
    return redisPath;
  }
  const r = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  redisPath = r.status === 0 ? r.stdout.trim() : null;
  return redisPath;
}

let redisVersion: string | undefined;
/** The version the reference redis-server reports (`redis-server --version`: v=7.2.6). */
export function redisServerVersion(path: string): string {
  if (redisVersion !== undefined) return redisVersion;
  const r = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  redisVersion = /\bv=(\d+\.\d+\.\d+)/.exec(r.stdout ?? '')?.[1] ?? '?';
  return redisVersion;
}

/**
 * Message for tests that need the reference server, a Redis 7.2: they skip
 * when it is absent (or another version), except in CI (CI=true) where
 * .ci/run provides it, so they fail.
 */
export function referenceMissing(): string | false {
  const path = redisServerPath();
  let problem: string;
  if (path === null) problem = 'redis-server not installed';
  else {
    const v = redisServerVersion(path);
    if (v.startsWith('7.2.')) return false;
    problem = `the reference ${path} is Redis ${v}, not 7.2`;
  }
  if (process.env.CI === 'true') throw new Error(`${problem}: the differential tests need Redis 7.2 in CI (set REDIS_SERVER)`);
  return `${problem}: differential tests skipped (set REDIS_SERVER to a Redis 7.2 redis-server, or put one on PATH)`;
}

/** Starts the reference redis-server with the same defaults Spinel uses. */
export async function startRedis(args: string[] = []): Promise<Running> {
  const path = redisServerPath();
  if (!path) throw new Error('redis-server not installed');
  const port = await freePort();
  // A private --dir: a test that turns on AOF or saves must not write into the repository.
  const dir = fs.mkdtempSync(nodePath.join(os.tmpdir(), 'spinel-ref-'));
  const child: ChildProcess = spawn(
    path,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--enable-debug-command', 'yes', '--dir', dir, ...args],
    { stdio: 'ignore' },
  );
  const removeDir = () => fs.rmSync(dir, { recursive: true, force: true });
  for (let i = 0; i < 100; i++) {
    try {
      const c = await RawClient.connect(port);
      c.close();
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) {
          removeDir();
          return resolve();
        }
        child.once('exit', () => {
          removeDir();
          resolve();
        });
        child.kill('SIGKILL');
      }),
  };
}

/** A spinel-server child process (bin/spinel-server), for tests of start-up, files and signals. */
export interface SpinelProcess {
  port: number;
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  out(): string;
  /** Its exit code, once it exited. */
  exited: Promise<number | null>;
  /** Resolves once it logged "Ready to accept connections" (its start-up load is done), or it exited. */
  ready(): Promise<void>;
  /** Ends it (SIGKILL) if it still runs. */
  kill(): Promise<void>;
}

const SPINEL_BIN = nodePath.join(nodePath.resolve(nodePath.dirname(fileURLToPath(import.meta.url)), '../../..'), 'bin', 'spinel-server');

/** Starts bin/spinel-server with `args` (a free --port is added) in `cwd`. */
export async function spawnSpinel(args: string[], cwd: string): Promise<SpinelProcess> {
  const port = await freePort();
  const child = spawn(SPINEL_BIN, ['--port', String(port), ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString('latin1')));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString('latin1')));
  let code: number | null | undefined;
  const exited = new Promise<number | null>((r) =>
    child.on('exit', (c) => {
      code = c;
      r(c);
    }),
  );
  const p: SpinelProcess = {
    port,
    child,
    out: () => out,
    exited,
    async ready() {
      for (let i = 0; i < 1200 && code === undefined && !/Ready to accept connections/.test(out); i++) await new Promise((r) => setTimeout(r, 25));
    },
    async kill() {
      if (code === undefined) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
  return p;
}
