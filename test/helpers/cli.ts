// Running spinel-cli / spinel-benchmark and the reference redis-cli /
// redis-benchmark as child processes: stdout, stderr and exit code as bytes,
// with stdout a pipe, a fake terminal (FAKETTY, which both honour) or a real
// pseudo-terminal (util-linux `script`).

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { redisServerPath } from './servers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const SPINEL_CLI = path.join(root, 'bin/spinel-cli');
export const SPINEL_BENCHMARK = path.join(root, 'bin/spinel-benchmark');

/** The reference tool next to the reference redis-server ($REDIS_CLI / $REDIS_BENCHMARK override). */
export function referenceTool(name: 'redis-cli' | 'redis-benchmark'): string | null {
  const env = process.env[name === 'redis-cli' ? 'REDIS_CLI' : 'REDIS_BENCHMARK'];
  if (env) return env;
  const server = redisServerPath();
  if (!server) return null;
  const p = path.join(path.dirname(server), name);
  return fs.existsSync(p) ? p : null;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

export type TtyMode = 'pipe' | 'fake' | 'pty';

export interface RunOptions {
  input?: string | Buffer;
  env?: Record<string, string>;
  tty?: TtyMode;
  /** The child is killed after this long (default 20 s). */
  timeoutMs?: number;
  /**
   * For programs that run until stopped (--stat, --latency): the child is
   * killed as soon as its output so far satisfies this, so a test waits for
   * the output it needs rather than a fixed time a loaded machine may miss.
   */
  until?: (stdout: string) => boolean;
}

let scriptOk: boolean | undefined;
/** True when util-linux `script` can give a child a pseudo-terminal. */
export function havePty(): boolean {
  if (scriptOk === undefined) {
    const r = spawnSync('script', ['-qec', 'test -t 1', '/dev/null'], { stdio: ['ignore', 'ignore', 'ignore'] });
    scriptOk = r.status === 0;
  }
  return scriptOk;
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Runs a program (asynchronously: an in-process server must keep answering). */
export function run(bin: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'dumb', ...(opts.env ?? {}) };
  delete env.FAKETTY;
  if (opts.tty === 'fake') env.FAKETTY = '1';
  let cmd = bin;
  let argv = args;
  if (opts.tty === 'pty') {
    // `script` runs the command on a pseudo-terminal; stderr joins stdout there.
    cmd = 'script';
    argv = ['-qec', [bin, ...args].map(shellQuote).join(' ') + ' </dev/null', '/dev/null'];
  }
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => {
      out.push(d);
      if (opts.until?.(Buffer.concat(out).toString('latin1'))) child.kill('SIGKILL');
    });
    child.stderr.on('data', (d: Buffer) => err.push(d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 20000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout: Buffer.concat(out).toString('latin1'), stderr: Buffer.concat(err).toString('latin1'), code });
    });
    child.stdin.on('error', () => {});
    if (opts.input !== undefined) child.stdin.end(opts.input);
    else child.stdin.end();
  });
}

/**
 * The reference tool's output in Spinel's words: its name and version
 * ("redis-cli 7.2.6 (git:...)") become spinel-cli's, as do the other mentions
 * of the program's name (usage, messages naming the tool).
 */
export function asSpinel(s: string): string {
  return s
    .replace(/redis-cli \d+\.\d+\.\d+( \(git:[0-9a-f]+(-dirty)?\))?/g, 'spinel-cli 7.2.6')
    .replace(/redis-benchmark \d+\.\d+\.\d+( \(git:[0-9a-f]+(-dirty)?\))?/g, 'spinel-benchmark 7.2.6')
    .replace(/redis-cli/g, 'spinel-cli')
    .replace(/redis-benchmark/g, 'spinel-benchmark')
    .replace(/\.redisclirc/g, '.spinelclirc');
}
