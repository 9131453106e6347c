// The monitoring tools: --stat (rolling INFO figures), --latency,
// --latency-history, --latency-dist (PING round trips), --intrinsic-latency
// (the machine's own scheduling latency) and --lru-test (a cache workload).

import type { Cli } from '../cli.js';
import { T } from '../resp.js';
import { Output } from '../format.js';
import { bytesToHuman, fixed, longInfoField, LONG_MIN, reconnectingCommand, sleepUs } from './util.js';
import * as io from '../io.js';

const nowMs = (): number => Date.now();
const nowUs = (): number => Math.floor(performance.timeOrigin * 1000 + performance.now() * 1000);

export async function statMode(cli: Cli): Promise<never> {
  const c = cli.config;
  let requests = 0n;
  for (let i = 0; ; i++) {
    const r = await reconnectingCommand(cli, 'INFO');
    if (r.type === T.Error) {
      io.err(`ERROR: ${r.str}\n`);
      io.exit(1);
    }
    const info = r.str;
    if (i % 20 === 0) {
      io.out(
        '------- data ------ --------------------- load -------------------- - child -\n' +
          'keys       mem      clients blocked requests            connections          \n',
      );
    }
    let keys = 0n;
    for (let j = 0; j < 20; j++) {
      const k = longInfoField(info, `db${j}:keys`);
      if (k !== LONG_MIN) keys += k;
    }
    let line = String(keys).padEnd(11);
    line += bytesToHuman(Number(longInfoField(info, 'used_memory'))).padEnd(8);
    line += ' ' + String(longInfoField(info, 'connected_clients')).padEnd(8);
    line += String(longInfoField(info, 'blocked_clients')).padEnd(8);
    const total = longInfoField(info, 'total_commands_processed');
    line += `${total} (+${requests === 0n ? 0n : total - requests})`.padEnd(19);
    requests = total;
    line += ' ' + String(longInfoField(info, 'total_connections_received')).padEnd(12);
    const child =
      longInfoField(info, 'bgsave_in_progress') | (longInfoField(info, 'aof_rewrite_in_progress') << 1n) | (longInfoField(info, 'loading') << 2n);
    line += child === 1n ? 'SAVE' : child === 2n ? 'AOF' : child === 3n ? 'SAVE+AOF' : child === 4n ? 'LOAD' : '';
    io.out(line + '\n');
    io.flush();
    await sleepUs(c.interval);
  }
}

const LATENCY_SAMPLE_RATE = 10; // ms
const LATENCY_HISTORY_DEFAULT_INTERVAL = 15000; // ms

function latencyPrint(c: Cli['config'], min: number, max: number, avg: number, count: number): void {
  if (c.output === Output.Standard) io.out(`min: ${min}, max: ${max}, avg: ${fixed(avg, 2)} (${count} samples)`);
  else if (c.output === Output.Csv) io.out(`${min},${max},${fixed(avg, 2)},${count}\n`);
  else if (c.output === Output.Raw) io.out(`${min} ${max} ${fixed(avg, 2)} ${count}\n`);
  else if (c.output === Output.Json) io.out(`{"min": ${min}, "max": ${max}, "avg": ${fixed(avg, 2)}, "count": ${count}}\n`);
  io.flush();
}

export async function latencyMode(cli: Cli): Promise<never> {
  const c = cli.config;
  const historyInterval = c.interval ? c.interval / 1000 : LATENCY_HISTORY_DEFAULT_INTERVAL;
  let historyStart = nowMs();
  // Without a terminal the mode samples for one interval (default 1 s) and prints once.
  c.interval = c.interval === 0 ? 1000 : c.interval / 1000;
  let min = 0;
  let max = 0;
  let tot = 0;
  let count = 0;
  let avg = 0;
  for (;;) {
    const start = nowMs();
    await reconnectingCommand(cli, 'PING');
    const latency = nowMs() - start;
    count++;
    if (count === 1) {
      min = max = tot = latency;
      avg = latency;
    } else {
      if (latency < min) min = latency;
      if (latency > max) max = latency;
      tot += latency;
      avg = tot / count;
    }
    if (c.output === Output.Standard) {
      io.out('\x1b[0G\x1b[2K');
      latencyPrint(c, min, max, avg, count);
    } else if (c.latencyHistory) {
      latencyPrint(c, min, max, avg, count);
    } else if (nowMs() - historyStart > c.interval) {
      latencyPrint(c, min, max, avg, count);
      io.exit(0);
    }
    if (c.latencyHistory && nowMs() - historyStart > historyInterval) {
      io.out(` -- ${fixed(Math.fround((nowMs() - historyStart) / 1000), 2)} seconds range\n`);
      io.flush();
      historyStart = nowMs();
      min = max = tot = count = 0;
    }
    await sleepUs(LATENCY_SAMPLE_RATE * 1000);
  }
}

const PALETTE_COLOR = [0, 233, 234, 235, 237, 239, 241, 243, 245, 247, 144, 143, 142, 184, 226, 214, 208, 202, 196];
const PALETTE_MONO = [0, 233, 234, 235, 237, 239, 241, 243, 245, 247, 249, 251, 253];

/** Buckets of --latency-dist: upper bound in µs (0: the rest) and the character shown. */
const DIST_BUCKETS: [number, string][] = [
  [10, '.'], [125, '-'], [250, '*'], [500, '#'],
  [1000, '1'], [2000, '2'], [3000, '3'], [4000, '4'], [5000, '5'], [6000, '6'], [7000, '7'], [8000, '8'], [9000, '9'],
  [10000, 'A'], [20000, 'B'], [30000, 'C'], [40000, 'D'], [50000, 'E'],
  [100000, 'F'], [200000, 'G'], [300000, 'H'], [400000, 'I'], [500000, 'J'],
  [1000000, 'K'], [2000000, 'L'], [4000000, 'M'], [8000000, 'N'], [16000000, 'O'], [30000000, 'P'], [60000000, 'Q'],
  [0, '?'],
];

export async function latencyDistMode(cli: Cli): Promise<never> {
  const c = cli.config;
  const palette = c.monoPalette ? PALETTE_MONO : PALETTE_COLOR;
  const historyInterval = c.interval ? c.interval / 1000 : 1000;
  let historyStart = nowUs();
  const counts = new Array<number>(DIST_BUCKETS.length).fill(0);
  let count = 0;
  let outputs = 0;
  const legend = (): void => {
    let s = '---------------------------------------------\n';
    s += '. - * #          .01 .125 .25 .5 milliseconds\n';
    s += '1,2,3,...,9      from 1 to 9     milliseconds\n';
    s += 'A,B,C,D,E        10,20,30,40,50  milliseconds\n';
    s += 'F,G,H,I,J        .1,.2,.3,.4,.5       seconds\n';
    s += 'K,L,M,N,O,P,Q,?  1,2,4,8,16,30,60,>60 seconds\n';
    s += 'From 0 to 100%: ';
    for (const col of palette) s += `\x1b[48;5;${col}m `;
    s += '\x1b[0m\n---------------------------------------------\n';
    io.out(s);
  };
  for (;;) {
    const start = nowUs();
    await reconnectingCommand(cli, 'PING');
    const latency = nowUs() - start;
    count++;
    for (let j = 0; ; j++) {
      const [max] = DIST_BUCKETS[j];
      if (max === 0 || latency <= max) {
        counts[j]++;
        break;
      }
    }
    if (count && (nowUs() - historyStart) / 1000 > historyInterval) {
      if (outputs++ % 20 === 0) legend();
      // Each bucket's share of the samples picks its color (the spectrum ignores the request rate).
      let s = '\x1b[38;5;0m';
      for (let j = 0; j < DIST_BUCKETS.length; j++) {
        const idx = Math.ceil((counts[j] / count) * (palette.length - 1));
        s += `\x1b[48;5;${palette[idx]}m${DIST_BUCKETS[j][1]}`;
        counts[j] = 0;
      }
      io.out(s + '\x1b[0m\n');
      io.flush();
      historyStart = nowUs();
      count = 0;
    }
    await sleepUs(LATENCY_SAMPLE_RATE * 1000);
  }
}

const rc4 = new Uint8Array(256);

/** A small fixed amount of work (an RC4-like shuffle), timed by --intrinsic-latency. */
function computeSomethingFast(): number {
  const s = rc4;
  for (let k = 0; k < 256; k++) s[k] = k;
  let i = 0;
  let j = 0;
  let output = 0;
  for (let count = 1000; count > 0; count--) {
    i = (i + 1) & 255;
    j = (j + s[i]) & 255;
    const t = s[i];
    s[i] = s[j];
    s[j] = t;
    output += s[(s[i] + s[j]) & 255];
  }
  return output;
}

export async function intrinsicLatencyMode(cli: Cli): Promise<never> {
  const c = cli.config;
  const runTime = c.intrinsicLatencyDuration * 1000000;
  const testEnd = nowUs() + runTime;
  let stop = false;
  process.on('SIGINT', () => (stop = true));
  let maxLatency = 0;
  let runs = 0;
  let sink = 0;
  let lastYield = nowUs();
  for (;;) {
    const start = nowUs();
    sink += computeSomethingFast();
    const end = nowUs();
    const latency = end - start;
    runs++;
    // Let Ctrl-C through now and then (outside the timed part).
    if (end - lastYield > 50000) {
      await new Promise((r) => setImmediate(r));
      lastYield = nowUs();
    }
    if (latency <= 0) continue;
    if (latency > maxLatency) {
      maxLatency = latency;
      io.out(`Max latency so far: ${maxLatency} microseconds.\n`);
      io.flush();
    }
    const avgUs = runTime / runs;
    if (stop || end > testEnd) {
      io.out(`\n${runs} total runs (avg latency: ${fixed(avgUs, 4)} microseconds / ${fixed(avgUs * 1e3, 2)} nanoseconds per run).\n`);
      io.out(`Worst run took ${fixed(maxLatency / avgUs, 0)}x longer than the average latency.\n`);
      void sink;
      io.exit(0);
    }
  }
}

const LRU_CYCLE_PERIOD = 1000;
const LRU_CYCLE_PIPELINE_SIZE = 250;

/** A key among the --lru-test sample size, with an 80-20 (power law) distribution. */
function lruKey(size: number): string {
  const alpha = 6.2;
  const min = 1;
  const max = size + 1;
  const r = Math.random();
  const pl = Math.pow((Math.pow(max, alpha + 1) - Math.pow(min, alpha + 1)) * r + Math.pow(min, alpha + 1), 1 / (alpha + 1));
  return `lru:${max - 1 - Math.trunc(pl) + min}`;
}

export async function lruTestMode(cli: Cli): Promise<never> {
  const c = cli.config;
  const conn = cli.conn!;
  for (;;) {
    const cycleStart = nowMs();
    let hits = 0;
    let misses = 0;
    while (nowMs() - cycleStart < LRU_CYCLE_PERIOD) {
      for (let j = 0; j < LRU_CYCLE_PIPELINE_SIZE; j++) {
        let val = '';
        for (let i = 0; i < 5; i++) val += String.fromCharCode(65 + Math.floor(Math.random() * (122 - 65)));
        conn.send(['SET', lruKey(c.lruTestSampleSize), val]);
      }
      try {
        for (let j = 0; j < LRU_CYCLE_PIPELINE_SIZE; j++) await conn.readReply();
        for (let j = 0; j < LRU_CYCLE_PIPELINE_SIZE; j++) conn.send(['GET', lruKey(c.lruTestSampleSize)]);
        for (let j = 0; j < LRU_CYCLE_PIPELINE_SIZE; j++) {
          const r = await conn.readReply();
          if (r.type === T.Error) io.err(r.str + '\n');
          else if (r.type === T.Nil) misses++;
          else hits++;
        }
      } catch {
        io.err('I/O error during LRU test\n');
        io.exit(1);
      }
    }
    const n = hits + misses;
    io.out(`${n} Gets/sec | Hits: ${hits} (${fixed((hits / n) * 100, 2)}%) | Misses: ${misses} (${fixed((misses / n) * 100, 2)}%)\n`);
    io.flush();
  }
}
