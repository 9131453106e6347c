// spinel-benchmark: redis-benchmark 7.2 for Spinel and any Redis. It runs the
// default test set or one command given on the command line, with -c
// connections (in --threads worker threads), -P pipelining and -r random
// keys, and prints redis-benchmark's progress line and report (latency
// percentiles and distribution, --csv, -q).

import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { defaultBenchConfig, parseBenchOptions, type BenchConfig } from './args.js';
import { EarlyExit } from '../cli/args.js';
import { Connection } from '../cli/connection.js';
import { T, encodeCommand, type Reply } from '../cli/resp.js';
import { Engine, C, LATENCY_MIN, LATENCY_MAX, type EngineSpec, type SharedState } from './engine.js';
import { Histogram } from './hdr.js';
import { fixed } from '../cli/tools/util.js';
import * as io from '../cli/io.js';

const SHOW_THROUGHPUT_INTERVAL = 250;

/** C's "%.Nf" of a float, with glibc's "-nan" for 0/0. */
function f(v: number, digits: number): string {
  if (Number.isNaN(v)) return '-nan';
  return fixed(v, digits);
}

const fl = Math.fround;

interface ServerConfig {
  save: string;
  appendonly: string;
}

/** A connection for the setup commands (CONFIG GET, CLUSTER NODES), authenticated. */
async function setupConnection(c: BenchConfig): Promise<Connection | null> {
  let conn: Connection;
  try {
    conn = await Connection.open({ host: c.host, port: c.port, socket: c.socket, family: 0, timeoutMs: 0, tls: c.tls.enabled ? c.tls : null });
  } catch (e) {
    io.err(`Could not connect to Redis at ${c.socket ?? `${c.host}:${c.port}`}: ${(e as Error).message}\n`);
    return null;
  }
  if (c.auth === null) return conn;
  let r: Reply;
  try {
    r = await conn.command(...(c.user === null ? ['AUTH', c.auth] : ['AUTH', c.user, c.auth]));
  } catch {
    io.err(`ERROR: failed to fetch reply from ${c.socket ?? `${c.host}:${c.port}`}\n`);
    conn.close();
    return null;
  }
  if (r.type === T.Error) {
    io.err(`Node ${c.socket ?? `${c.host}:${c.port}`} replied with error:\n${r.str}\n`);
    io.exit(1);
  }
  return conn;
}

/** The server's "save" and "appendonly" settings, shown in the report; null when unavailable. */
async function serverConfig(c: BenchConfig): Promise<ServerConfig | null> {
  const conn = await setupConnection(c);
  if (conn === null) io.exit(1);
  conn.send(['CONFIG', 'GET', 'save']);
  conn.send(['CONFIG', 'GET', 'appendonly']);
  const values: string[] = [];
  let failed: Reply | null = null;
  for (let i = 0; i < 2; i++) {
    let r: Reply;
    try {
      r = await conn.readReply();
    } catch {
      failed = { type: T.Nil, str: '', elements: null };
      break;
    }
    const els = r.type === T.Array || r.type === T.Map ? r.elements! : null;
    if (els === null || els.length < 2) {
      failed = r;
      break;
    }
    values.push(els[1].str);
  }
  conn.close();
  if (failed !== null) {
    if (failed.type === T.Error && failed.str.startsWith('NOAUTH')) {
      io.err(`Node ${c.socket ?? `${c.host}:${c.port}`} replied with error:\n${failed.str}\n`);
      io.exit(1);
    }
    return null;
  }
  return { save: values[0], appendonly: values[1] };
}

/** --cluster: Spinel has no cluster yet; a node answering CLUSTER NODES with an error fails as redis-benchmark does. */
async function clusterConfiguration(c: BenchConfig): Promise<never> {
  const where = c.socket ?? `${c.host}:${c.port}`;
  const conn = await setupConnection(c);
  if (conn !== null) {
    let r: Reply | null = null;
    try {
      r = await conn.command('CLUSTER', 'NODES');
    } catch {
      r = null;
    }
    conn.close();
    if (r !== null && r.type === T.Error) io.err(`Cluster node ${where} replied with error:\n${r.str}\n`);
    else if (r !== null) io.err('spinel-benchmark does not implement --cluster yet\n');
  }
  io.err(`Failed to fetch cluster configuration from ${where}\n`);
  io.exit(1);
}

/** redis-benchmark's pseudo-random payload: an LCG kept across the test set's loops. */
let dataState = 1234;
function benchmarkData(size: number): string {
  let s = '';
  for (let i = 0; i < size; i++) {
    dataState = (Math.imul(dataState, 1103515245) + 12345) >>> 0;
    s += String.fromCharCode(48 + ((dataState >>> 16) & 63));
  }
  return s;
}

class Benchmark {
  private readonly workerUrl = new URL('./worker.js', import.meta.url);
  private seedBase: number;

  constructor(
    private readonly c: BenchConfig,
    private readonly server: ServerConfig | null,
  ) {
    this.seedBase = c.seed ?? (Date.now() ^ process.pid);
  }

  private prefix(): [Buffer, number] {
    const c = this.c;
    const parts: Buffer[] = [];
    if (c.auth !== null) parts.push(encodeCommand(c.user === null ? ['AUTH', c.auth] : ['AUTH', c.user, c.auth]));
    if (c.enableTracking) parts.push(encodeCommand(['CLIENT', 'TRACKING', 'on']));
    if (c.dbnum !== 0) parts.push(encodeCommand(['SELECT', String(c.dbnum)]));
    if (c.resp3) parts.push(encodeCommand(['HELLO', '3']));
    return [Buffer.concat(parts), parts.length];
  }

  /** Runs one test: `cmd` is the request's bytes. */
  async run(title: string, cmd: Buffer): Promise<void> {
    const c = this.c;
    const hist = new Histogram(LATENCY_MIN, LATENCY_MAX, c.precision);
    const current = new Histogram(LATENCY_MIN, LATENCY_MAX, c.precision);
    const shared: SharedState = { counters: new SharedArrayBuffer(16), hist: hist.buffers(), current: current.buffers(), precision: c.precision };
    const counters = new Int32Array(shared.counters);
    const request = Buffer.concat(Array(c.pipeline).fill(cmd));
    const randOffsets: number[] = [];
    if (c.randomkeys) {
      for (let p = request.indexOf('__rand_int__'); p >= 0; p = request.indexOf('__rand_int__', p + 12)) randOffsets.push(p);
    }
    const [prefix, prefixReplies] = this.prefix();
    const spec: EngineSpec = {
      host: c.host,
      port: c.port,
      socket: c.socket,
      tls: c.tls.enabled ? c.tls : null,
      prefix,
      prefixReplies,
      request,
      randOffsets,
      pipeline: c.pipeline,
      requests: c.requests,
      keyspacelen: c.keyspacelen,
      randomize: c.randomkeys,
      keepalive: c.keepalive !== 0,
      idle: c.idlemode,
      seed: this.seedBase++,
    };

    let lastPrinted = 0;
    // The clock starts once every client is connected (as config.start after createMissingClients).
    let start = Date.now();
    let previousTick = 0;
    let previousFinished = 0;
    const showThroughput = (): void => {
      const live = Atomics.load(counters, C.Live);
      const finished = Atomics.load(counters, C.Finished);
      if (live === 0 && finished !== c.requests && started) {
        io.err('All clients disconnected... aborting.\n');
        io.exit(1);
      }
      if (c.csv) return;
      if (c.idlemode) {
        io.out(`clients: ${live}\r`);
        io.flush();
        return;
      }
      const tick = Date.now();
      const dt = fl(fl(tick - start) / 1000);
      const rps = fl(finished / dt);
      const idt = fl(fl(tick - previousTick) / 1000);
      const irps = fl(fl(finished - previousFinished) / idt);
      previousTick = tick;
      previousFinished = finished;
      io.out(' '.padStart(lastPrinted) + '\r');
      const line = `${title}: rps=${f(irps, 1)} (overall: ${f(rps, 1)}) avg_msec=${f(current.mean() / 1000, 3)} (overall: ${f(hist.mean() / 1000, 3)})\r`;
      io.out(line);
      lastPrinted = Buffer.byteLength(line, 'latin1');
      current.reset();
      io.flush();
    };
    let started = false;
    let timer: NodeJS.Timeout | null = null;
    const tick = (): void => {
      showThroughput();
      timer = setTimeout(tick, SHOW_THROUGHPUT_INTERVAL);
    };
    const onStarted = (): void => {
      started = true;
      start = Date.now();
      setImmediate(tick);
    };

    let fatal: string | null = null;
    const onFatal = (msg: string): void => {
      if (fatal !== null) return;
      fatal = msg;
      io.err(msg);
      io.exit(1);
    };
    if (c.idlemode) io.out(`Creating ${c.numclients} idle connections and waiting forever (Ctrl+C when done)\n`);
    if (c.threads === 0) {
      const engine = new Engine(spec, shared);
      engine.onFatal = onFatal;
      engine.onStarted = onStarted;
      await engine.run(c.numclients);
    } else {
      // Clients go round-robin to the threads.
      const workers: Worker[] = [];
      const exits: Promise<void>[] = [];
      let startedWorkers = 0;
      let allFinished: (() => void) | null = null;
      for (let t = 0; t < c.threads; t++) {
        const n = Math.floor(c.numclients / c.threads) + (t < c.numclients % c.threads ? 1 : 0);
        if (n === 0) continue;
        const w = new Worker(fileURLToPath(this.workerUrl), { workerData: { spec: { ...spec, seed: spec.seed * 7919 + t }, shared, clients: n } });
        w.on('message', (m: { fatal?: string; started?: boolean; finished?: boolean }) => {
          if (m.fatal) onFatal(m.fatal);
          if (m.started && ++startedWorkers === workers.length) onStarted();
          if (m.finished) allFinished?.();
        });
        w.on('error', (e) => onFatal(`${e.stack ?? e.message}\n`));
        exits.push(new Promise((r) => w.once('exit', () => r())));
        workers.push(w);
      }
      // The thread that finishes the last request says so; the workers stop when told.
      await new Promise<void>((resolve) => {
        const poll = setInterval(() => {
          if (Atomics.load(counters, C.Finished) >= c.requests || Atomics.load(counters, C.Stop) === 1) allFinished?.();
        }, 50);
        allFinished = () => {
          clearInterval(poll);
          allFinished = null;
          resolve();
        };
      });
      for (const w of workers) w.postMessage('stop');
      await Promise.all(exits);
    }
    const totlatency = Date.now() - start;
    if (timer) clearTimeout(timer);
    timer = null;
    this.report(title, hist, Math.min(Atomics.load(counters, C.Finished), c.requests), totlatency, lastPrinted);
  }

  private report(title: string, h: Histogram, finished: number, totlatency: number, lastPrinted: number): void {
    const c = this.c;
    const reqpersec = fl(finished / fl(fl(totlatency) / 1000));
    const p0 = fl(fl(h.min()) / 1000);
    const p50 = fl(h.valueAtPercentile(50) / 1000);
    const p95 = fl(h.valueAtPercentile(95) / 1000);
    const p99 = fl(h.valueAtPercentile(99) / 1000);
    const p100 = fl(fl(h.max()) / 1000);
    const avg = fl(h.mean() / 1000);
    let s = '';
    if (!c.quiet && !c.csv) {
      s += ' '.padStart(lastPrinted) + '\r';
      s += `====== ${title} ======\n`;
      s += `  ${finished} requests completed in ${f(fl(totlatency) / 1000, 2)} seconds\n`;
      s += `  ${c.numclients} parallel clients\n`;
      s += `  ${c.datasize} bytes payload\n`;
      s += `  keep alive: ${c.keepalive}\n`;
      if (this.server) {
        s += `  host configuration "save": ${this.server.save}\n`;
        s += `  host configuration "appendonly": ${this.server.appendonly}\n`;
      }
      s += `  multi-thread: ${c.threads ? 'yes' : 'no'}\n`;
      if (c.threads) s += `  threads: ${c.threads}\n`;
      s += '\nLatency by percentile distribution:\n';
      const total = h.totalCount;
      let previous = -1;
      for (const it of h.percentiles()) {
        if (previous !== it.cumulative || it.cumulative === total) {
          s += `${f(it.percentile, 3)}% <= ${f(it.highest / 1000, 3)} milliseconds (cumulative count ${it.cumulative})\n`;
        }
        previous = it.cumulative;
      }
      s += '\nCumulative distribution of latencies:\n';
      previous = -1;
      // 0.1 ms steps up to 2 ms, then 1 ms steps (finer steps there would be noise).
      for (const it of h.linear(100, (highest) => (highest > 2000 ? 1000 : 100))) {
        const percentile = (it.cumulative / total) * 100;
        if (previous !== it.cumulative || it.cumulative === total) {
          s += `${f(percentile, 3)}% <= ${f(it.highest / 1000, 3)} milliseconds (cumulative count ${it.cumulative})\n`;
        }
        previous = it.cumulative;
      }
      s += '\nSummary:\n';
      s += `  throughput summary: ${f(reqpersec, 2)} requests per second\n`;
      s += '  latency summary (msec):\n';
      s += `    ${['avg', 'min', 'p50', 'p95', 'p99', 'max'].map((x) => x.padStart(9)).join(' ')}\n`;
      s += `    ${[avg, p0, p50, p95, p99, p100].map((x) => f(x, 3).padStart(9)).join(' ')}\n`;
    } else if (c.csv) {
      s += `"${title}","${f(reqpersec, 2)}","${f(avg, 3)}","${f(p0, 3)}","${f(p50, 3)}","${f(p95, 3)}","${f(p99, 3)}","${f(p100, 3)}"\n`;
    } else {
      s += ' '.padStart(lastPrinted) + '\r';
      s += `${title}: ${f(reqpersec, 2)} requests per second, p50=${f(p50, 3)} msec\n`;
    }
    io.out(s);
    io.flush();
  }
}

function selected(c: BenchConfig, name: string): boolean {
  return c.tests === null || c.tests.includes(`,${name},`);
}

async function main(): Promise<void> {
  const c = defaultBenchConfig();
  const argv = process.argv.slice(2).map(io.toBytes);
  let first: number;
  try {
    first = parseBenchOptions(argv, c);
  } catch (e) {
    if (e instanceof EarlyExit) {
      for (const w of c.warnings) io.err(w);
      if (e.stdout) io.out(e.stdout);
      if (e.stderr) io.err(e.stderr);
      io.exit(e.code);
    }
    throw e;
  }
  for (const w of c.warnings) io.err(w);
  const args = argv.slice(first);

  let tag = '';
  let server: ServerConfig | null = null;
  if (c.clusterMode) {
    tag = ':{tag}';
    void tag;
    await clusterConfiguration(c);
  } else {
    server = await serverConfig(c);
    if (server === null) io.err('WARNING: Could not fetch server CONFIG\n');
  }
  if (c.keepalive === 0) {
    io.err(
      "WARNING: Keepalive disabled. You probably need 'echo 1 > /proc/sys/net/ipv4/tcp_tw_reuse' for Linux and 'sudo sysctl -w net.inet.tcp.msl=1000' for Mac OS X in order to use a lot of clients/requests\n",
    );
  }
  const bench = new Benchmark(c, server);
  if (c.idlemode) {
    await bench.run('', Buffer.alloc(0));
    return;
  }
  if (c.csv) io.out('"test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"\n');

  if (args.length > 0) {
    const title = args.join(' ');
    const cmdArgs = args.slice();
    if (c.stdinarg) cmdArgs.push(fs.readFileSync(0).toString('latin1'));
    do {
      const cmd = encodeCommand(cmdArgs);
      // The payload shown for a command line is the whole request's size.
      c.datasize = cmd.length;
      await bench.run(title, cmd);
    } while (c.loop);
    io.exit(0);
  }

  do {
    const data = benchmarkData(c.datasize);
    const cmd = (...a: string[]): Buffer => encodeCommand(a);
    if (selected(c, 'ping_inline') || selected(c, 'ping')) await bench.run('PING_INLINE', Buffer.from('PING\r\n'));
    if (selected(c, 'ping_mbulk') || selected(c, 'ping')) await bench.run('PING_MBULK', cmd('PING'));
    if (selected(c, 'set')) await bench.run('SET', cmd('SET', `key${tag}:__rand_int__`, data));
    if (selected(c, 'get')) await bench.run('GET', cmd('GET', `key${tag}:__rand_int__`));
    if (selected(c, 'incr')) await bench.run('INCR', cmd('INCR', `counter${tag}:__rand_int__`));
    if (selected(c, 'lpush')) await bench.run('LPUSH', cmd('LPUSH', `mylist${tag}`, data));
    if (selected(c, 'rpush')) await bench.run('RPUSH', cmd('RPUSH', `mylist${tag}`, data));
    if (selected(c, 'lpop')) await bench.run('LPOP', cmd('LPOP', `mylist${tag}`));
    if (selected(c, 'rpop')) await bench.run('RPOP', cmd('RPOP', `mylist${tag}`));
    if (selected(c, 'sadd')) await bench.run('SADD', cmd('SADD', `myset${tag}`, 'element:__rand_int__'));
    if (selected(c, 'hset')) await bench.run('HSET', cmd('HSET', `myhash${tag}`, 'element:__rand_int__', data));
    if (selected(c, 'spop')) await bench.run('SPOP', cmd('SPOP', `myset${tag}`));
    if (selected(c, 'zadd')) await bench.run('ZADD', cmd('ZADD', `myzset${tag}`, c.randomkeys ? '__rand_int__' : '0', 'element:__rand_int__'));
    if (selected(c, 'zpopmin')) await bench.run('ZPOPMIN', cmd('ZPOPMIN', `myzset${tag}`));
    const lranges = ['lrange', 'lrange_100', 'lrange_300', 'lrange_500', 'lrange_600'];
    if (lranges.some((t) => selected(c, t))) await bench.run('LPUSH (needed to benchmark LRANGE)', cmd('LPUSH', `mylist${tag}`, data));
    for (const n of [100, 300, 500, 600]) {
      if (selected(c, 'lrange') || selected(c, `lrange_${n}`)) {
        await bench.run(`LRANGE_${n} (first ${n} elements)`, cmd('LRANGE', `mylist${tag}`, '0', String(n - 1)));
      }
    }
    if (selected(c, 'mset')) {
      const a = ['MSET'];
      for (let i = 0; i < 10; i++) a.push(`key${tag}:__rand_int__`, data);
      await bench.run('MSET (10 keys)', encodeCommand(a));
    }
    if (selected(c, 'xadd')) await bench.run('XADD', cmd('XADD', `mystream${tag}`, '*', 'field', data));
    if (!c.csv) {
      io.out('\n');
      io.flush();
    }
  } while (c.loop);
  io.exit(0);
}

main().catch((e) => {
  io.err(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  io.exit(1);
});
