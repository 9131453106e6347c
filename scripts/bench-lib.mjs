// What scripts/bench.mjs and scripts/bench-scale.mjs share: finding the
// reference Redis, starting and watching servers, running redis-benchmark,
// a small RESP connection for setup commands, and /proc readings.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Command-line flags as environment settings: `--keyspace 1000` or
 * `--keyspace=1000` sets `${prefix}_KEYSPACE`, `--pin` sets `${prefix}_PIN=1`,
 * `--no-one-key` sets `${prefix}_ONE_KEY=0`. Flags win over the environment;
 * `known` lists the settings (without the prefix). Returns true when --help
 * was given; exits on a flag it does not know.
 */
export function flagsToEnv(prefix, known, argv = process.argv.slice(2)) {
  let help = false;
  const fail = (why) => {
    console.error(`${why}\nflags: ${known.map((k) => `--${k.toLowerCase().replace(/_/g, '-')}`).join(' ')} (--name value, --name=value, --name for 1, --no-name for 0), --help`);
    process.exit(2);
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    const m = /^--(no-)?([a-z0-9-]+)(?:=(.*))?$/.exec(arg);
    if (!m) fail(`unknown argument ${arg}`);
    const key = m[2].replace(/-/g, '_').toUpperCase();
    if (!known.includes(key)) fail(`unknown flag ${arg}`);
    const name = `${prefix}_${key}`;
    let value = m[3];
    if (m[1]) value = '0';
    else if (value === undefined) value = i + 1 < argv.length && !argv[i + 1].startsWith('--') ? argv[++i] : '1';
    process.env[name] = value;
  }
  return help;
}

/** The leading comment of a script, as its --help text. */
export function usage(file) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const out = [];
  for (const l of lines) {
    if (!l.startsWith('//')) break;
    out.push(l.replace(/^\/\/ ?/, ''));
  }
  return out.join('\n');
}

function onPath(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/**
 * The reference Redis: $REDIS_SERVER (path to redis-server; it must exist),
 * else ../shared/redis-7.2.6/bin beside the repository, else PATH. Its
 * redis-benchmark is the one in the same directory (PATH's when there is none).
 * Exits with a message when there is none.
 */
export function findRedis() {
  try {
    return lookUpRedis();
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}

function lookUpRedis() {
  let server = null;
  let from = '';
  if (process.env.REDIS_SERVER) {
    server = path.resolve(process.env.REDIS_SERVER);
    if (!fs.existsSync(server)) throw new Error(`REDIS_SERVER=${process.env.REDIS_SERVER} does not exist`);
    from = 'REDIS_SERVER';
  } else {
    const shared = path.resolve(root, '../shared/redis-7.2.6/bin/redis-server');
    if (fs.existsSync(shared)) {
      server = shared;
      from = '../shared/redis-7.2.6/bin';
    } else {
      server = onPath('redis-server');
      from = 'PATH';
    }
  }
  if (!server) {
    throw new Error('redis-server not found: set REDIS_SERVER to a Redis 7.2 redis-server (redis-benchmark beside it), or put both on PATH (apt-get install redis-server redis-tools)');
  }
  const beside = path.join(path.dirname(server), 'redis-benchmark');
  const benchmark = fs.existsSync(beside) ? beside : onPath('redis-benchmark');
  if (!benchmark) throw new Error(`redis-benchmark not found beside ${server} nor on PATH`);
  return { server, benchmark, from, version: versionOf(server), benchmarkVersion: versionOf(benchmark) };
}

function versionOf(bin) {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  const m = /v=([\d.]+)|redis-benchmark ([\d.]+)/.exec(r.stdout);
  return m ? m[1] || m[2] : '?';
}

/** taskset is used for pinning only where it exists. */
export const hasTaskset = onPath('taskset') !== null;

/** [command, args], under `taskset -c cpu` when cpu is given and taskset exists. */
export function pinned(cpu, cmd, args) {
  return cpu !== null && cpu !== undefined && hasTaskset ? ['taskset', ['-c', String(cpu), cmd, ...args]] : [cmd, args];
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

const children = new Set();
let cleanupInstalled = false;

/** Every child started here is killed when this process ends, however it ends. */
function track(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.on('exit', () => {
    for (const c of children) c.kill('SIGKILL');
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      console.error(`\n${sig}: stopping the servers`);
      process.exit(130);
    });
  }
}

/**
 * Starts a server: kind 'redis' (the reference), 'spinel' (bin/spinel-server)
 * or 'floor' (scripts/bench-floor.mjs). Keeps the last 16 KB of its output,
 * notes how it exited, and resolves once it accepts connections (rejects if
 * it exits first).
 */
export async function startServer(kind, { redis, cpu = null, args = [] } = {}) {
  const port = await freePort();
  let cmd;
  let argv;
  if (kind === 'redis') {
    cmd = redis.server;
    argv = ['--port', String(port), '--save', '', '--appendonly', 'no', '--loglevel', 'warning', ...args];
  } else if (kind === 'spinel') {
    cmd = path.join(root, 'bin/spinel-server');
    argv = ['--port', String(port), '--save', '', '--loglevel', 'warning', ...args];
  } else {
    cmd = process.execPath;
    argv = [path.join(root, 'scripts/bench-floor.mjs'), String(port)];
  }
  const child = spawn(...pinned(cpu, cmd, argv), { stdio: ['ignore', 'pipe', 'pipe'], cwd: os.tmpdir() });
  track(child);
  const server = { kind, port, pid: child.pid, child, output: '', exit: null };
  const keep = (d) => {
    server.output = (server.output + d.toString('utf8')).slice(-16384);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  server.exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      server.exit = { code, signal };
      resolve(server.exit);
    });
  });
  for (let i = 0; i < 400 && !server.exit; i++) {
    const ok = await new Promise((r) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        r(true);
      });
      s.once('error', () => r(false));
    });
    if (ok) return server;
    await sleep(50);
  }
  child.kill('SIGKILL');
  throw new Error(`${kind} did not start on port ${port}${server.exit ? ` (exited: ${describeDeath(server)})` : ''}`);
}

/** Kills a server and waits until it is gone. */
export async function stopServer(server) {
  if (!server || server.exit) return;
  server.child.kill('SIGKILL');
  await server.exited;
}

/** One line on how a server ended: its exit and the first error line it printed. */
export function describeDeath(server) {
  const e = server.exit;
  const how = !e ? 'running' : e.signal ? `killed by ${e.signal}` : `exited with code ${e.code}`;
  const lines = server.output.split('\n').map((l) => l.trim());
  const err = lines.find((l) => /FATAL|RangeError|Error:|out of memory|Aborted/i.test(l));
  return err ? `${how}: ${err.slice(0, 160)}` : how;
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Runs redis-benchmark with --csv (before `args`, which may end with a
 * command of its own) and resolves to its rows
 * ({ name, rps, avg, min, p50, p95, p99, max }; latencies in ms), or null if
 * it failed, with `error` set to its message. `timeoutMs` kills it; the
 * promise's `child` is the process, for whoever must stop it earlier.
 * `driver` ([executable, ...args]) runs another program with redis-benchmark's
 * options and CSV output instead (scripts/bench-multi.mjs).
 */
export function runBenchmark(redis, port, args, { cpu = null, timeoutMs = 600000, driver = null } = {}) {
  const [exe, ...pre] = driver ?? [redis.benchmark];
  const child = spawn(...pinned(cpu, exe, [...pre, '-h', '127.0.0.1', '-p', String(port), '--csv', ...args]), { stdio: ['ignore', 'pipe', 'pipe'] });
  track(child);
  const done = new Promise((resolve) => {
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err = (err + d).slice(-4096)));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const rows = parseCsv(out);
      if (code !== 0 || rows.length === 0) {
        const last = err.trim().split('\n').pop() || '';
        resolve({ rows: null, error: last + (signal ? ` (${signal})` : code ? ` (exit ${code})` : '') });
      } else resolve({ rows });
    });
  });
  done.child = child;
  return done;
}

/**
 * redis-benchmark 7.2's --csv: a header line
 * "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
 * then one quoted line per test.
 */
export function parseCsv(text) {
  const rows = [];
  for (const line of text.split('\n')) {
    const m = /^"(.*)","([\d.]+)","([\d.]+)","([\d.]+)","([\d.]+)","([\d.]+)","([\d.]+)","([\d.]+)"$/.exec(line.trim());
    if (!m) continue;
    const [rps, avg, min, p50, p95, p99, max] = m.slice(2).map(Number);
    rows.push({ name: m[1], rps, avg, min, p50, p95, p99, max });
  }
  return rows;
}

function encode(args) {
  let out = `*${args.length}\r\n`;
  for (const a of args) {
    const s = String(a);
    out += `$${Buffer.byteLength(s)}\r\n${s}\r\n`;
  }
  return out;
}

/**
 * A RESP2 connection for setup and probes: send() resolves to one reply
 * (strings, numbers, arrays; an error reply rejects); bulk() pipelines many
 * commands and resolves when all are answered.
 */
export class Conn {
  static open(port) {
    return new Promise((resolve, reject) => {
      const sock = net.connect(port, '127.0.0.1');
      sock.once('connect', () => resolve(new Conn(sock)));
      sock.once('error', reject);
    });
  }

  constructor(sock) {
    this.sock = sock;
    this.buf = Buffer.alloc(0);
    this.waiting = [];
    this.closed = false;
    sock.setNoDelay(true);
    sock.on('data', (d) => {
      this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
      let pos = 0;
      while (this.waiting.length) {
        const r = parseReply(this.buf, pos);
        if (!r) break;
        pos = r[1];
        const w = this.waiting.shift();
        if (r[0] instanceof Error) w.reject(r[0]);
        else w.resolve(r[0]);
      }
      this.buf = this.buf.subarray(pos);
    });
    const fail = (e) => {
      this.closed = true;
      for (const w of this.waiting.splice(0)) w.reject(e || new Error('connection closed'));
    };
    sock.on('error', fail);
    sock.on('close', () => fail(new Error('connection closed')));
  }

  send(...args) {
    if (this.closed) return Promise.reject(new Error('connection closed'));
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.sock.write(encode(args));
    });
  }

  /** Sends the commands (any iterable) `batch` at a time and waits for every reply. */
  async bulk(commands, batch = 100) {
    let part = [];
    const flush = async () => {
      if (this.closed) throw new Error('connection closed');
      const replies = part.map(() => new Promise((resolve, reject) => this.waiting.push({ resolve, reject })));
      this.sock.write(part.map(encode).join(''));
      part = [];
      await Promise.all(replies);
    };
    for (const cmd of commands) {
      part.push(cmd);
      if (part.length === batch) await flush();
    }
    if (part.length) await flush();
  }

  close() {
    this.closed = true;
    this.sock.destroy();
  }
}

function parseReply(buf, pos) {
  const nl = buf.indexOf('\r\n', pos);
  if (nl < 0) return null;
  const type = buf[pos];
  const line = buf.toString('latin1', pos + 1, nl);
  const next = nl + 2;
  if (type === 43) return [line, next]; // +
  if (type === 45) return [new Error(line), next]; // -
  if (type === 58) return [Number(line), next]; // :
  if (type === 36) {
    // $
    const n = Number(line);
    if (n < 0) return [null, next];
    if (buf.length < next + n + 2) return null;
    return [buf.toString('latin1', next, next + n), next + n + 2];
  }
  if (type === 42) {
    // *
    const n = Number(line);
    if (n < 0) return [null, next];
    const arr = [];
    let p = next;
    for (let i = 0; i < n; i++) {
      const r = parseReply(buf, p);
      if (!r) return null;
      arr.push(r[0]);
      p = r[1];
    }
    return [arr, p];
  }
  throw new Error(`unexpected reply type ${String.fromCharCode(type)}`);
}

/** Runs one command on a fresh connection. */
export async function command(port, ...args) {
  const c = await Conn.open(port);
  try {
    return await c.send(...args);
  } finally {
    c.close();
  }
}

/** A field of INFO's text, as a number. */
export function infoField(info, name) {
  const m = new RegExp(`^${name}:(\\S+)`, 'm').exec(info);
  return m ? Number(m[1]) : null;
}

/** Resident memory of a process in bytes (VmRSS), or null. */
export function rssBytes(pid) {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** utime+stime of a process in ticks, or null where /proc is missing. */
export function cpuTicks(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]); // fields 14 and 15 of the whole line
  } catch {
    return null;
  }
}

/** [steal, total] ticks of the whole machine, or null. */
export function machineTicks() {
  try {
    const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
    return [f[7], f.reduce((x, y) => x + y, 0)];
  } catch {
    return null;
  }
}

export const TICK_US = 1e6 / Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim() || 100);

export function median(xs) {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** A markdown table with padded columns. */
export function table(header, rows) {
  const lines = [header, ...rows].map((r) => r.map(String));
  const widths = header.map((_, i) => Math.max(...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (l) => '| ' + l.map((x, i) => (x ?? '').padEnd(widths[i])).join(' | ') + ' |';
  return [fmt(lines[0]), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...lines.slice(1).map(fmt)].join('\n');
}

/** 1234567 -> "1.23 M", for key counts. */
export function count(n) {
  if (n >= 1e6) return `${+(n / 1e6).toFixed(2)} M`;
  if (n >= 1e3) return `${+(n / 1e3).toFixed(1)} k`;
  return String(n);
}

/** Bytes as MB. */
export function mb(bytes) {
  return bytes === null || bytes === undefined ? 'n/a' : `${(bytes / 1048576).toFixed(1)} MB`;
}
