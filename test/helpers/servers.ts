// Starting servers for tests: Spinel in-process on a free port, and the
// reference redis-server as a child process on a free port.

import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
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

/** Starts Spinel in this process. `config` entries are applied as CONFIG-style values. */
export async function startSpinel(config: Record<string, unknown> = {}): Promise<SpinelHandle> {
  const cfg = new Config();
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
/** Path of the reference redis-server, or null when it is not installed. */
export function redisServerPath(): string | null {
  if (redisPath !== undefined) return redisPath;
  const r = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  redisPath = r.status === 0 ? r.stdout.trim() : null;
  return redisPath;
}

/**
 * Message for tests that need the reference server: they skip when it is
 * absent, except in CI (CI=true) where .ci/run installs it, so they fail.
 */
export function referenceMissing(): string | false {
  if (redisServerPath()) return false;
  if (process.env.CI === 'true') throw new Error('redis-server is required in CI but is not installed');
  return 'redis-server not installed: differential tests skipped (apt-get install redis-server)';
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
