// Introspection commands: INFO, TIME, LASTSAVE, MONITOR, SLOWLOG, LATENCY.

import { ClientFlag, type Client } from '../server/client.js';
import type { HandlerMap } from './types.js';
import { isArg, replyHelp } from './util.js';
import { parseInt64 } from '../protocol/format.js';
import { genInfo } from '../server/info.js';
import { cumulativeBuckets, histTotal, latencyGraph, latencyMonitor, type LatencySeries } from '../server/latency.js';
import type { Command } from './types.js';
import { wallMicros } from '../util/clock.js';
import { scriptingOf } from '../scripting/scripting.js';

function info(c: Client, argv: string[]): void {
  c.reply.verbatim(genInfo(c.server, argv.slice(1)));
}

function time(c: Client): void {
  // Inside a script, the time the script started (Redis's cached ustime, frozen while a script runs).
  const run = (c.flags & ClientFlag.Script) !== 0 ? scriptingOf(c.server).running : null;
  const us = run !== null ? run.timeUs : wallMicros();
  c.reply.array(2);
  c.reply.bulk(String(Math.floor(us / 1e6)));
  c.reply.bulk(String(us % 1e6));
}

function lastsave(c: Client): void {
  c.reply.int(c.server.lastSave);
}

function monitor(c: Client): void {
  // A client already monitoring just gets OK again; inside MULTI Redis ignores it (it is no_multi).
  if ((c.flags & ClientFlag.Monitor) !== 0) {
    c.reply.ok();
    return;
  }
  c.flags |= ClientFlag.Monitor;
  c.server.monitors.add(c);
  c.reply.ok();
}

// ------------------------------------------------------------------ SLOWLOG

function slowlogGet(c: Client, argv: string[]): void {
  const log = c.server.slowlog;
  let count = 10;
  if (argv.length === 3) {
    const v = parseInt64(argv[2]);
    if (v === null || v < -1) {
      c.reply.error('ERR count should be greater than or equal to -1');
      return;
    }
    count = v === -1 ? log.entries.length : Number(v);
  } else if (argv.length > 3) {
    c.reply.error(`ERR unknown subcommand or wrong number of arguments for '${argv[1].slice(0, 128)}'. Try SLOWLOG HELP.`);
    return;
  }
  const n = Math.min(count, log.entries.length);
  const r = c.reply;
  r.array(n);
  for (let i = 0; i < n; i++) {
    const e = log.entries[i];
    r.array(6);
    r.int(e.id);
    r.int(e.time);
    r.int(e.usec);
    r.bulks(e.argv);
    r.bulk(e.addr);
    r.bulk(e.name);
  }
}

function slowlogLen(c: Client): void {
  c.reply.int(c.server.slowlog.entries.length);
}

function slowlogReset(c: Client): void {
  c.server.slowlog.reset();
  c.reply.ok();
}

function slowlogHelp(c: Client): void {
  replyHelp(c, 'SLOWLOG', [
    'GET [<count>]',
    '    Return top <count> entries from the slowlog (default: 10, -1 mean all).',
    '    Entries are made of:',
    '    id, timestamp, time in microseconds, arguments array, client IP and port,',
    '    client name',
    'LEN',
    '    Return the length of the slowlog.',
    'RESET',
    '    Reset the slowlog.',
  ]);
}

// ------------------------------------------------------------------ LATENCY

function latencyLatest(c: Client): void {
  const mon = latencyMonitor(c.server);
  const r = c.reply;
  r.array(mon.events.size);
  for (const [event, ts] of mon.events) {
    const last = (ts.idx + ts.times.length - 1) % ts.times.length;
    r.array(4);
    r.bulk(event);
    r.int(ts.times[last]);
    r.int(ts.latencies[last]);
    r.int(ts.max);
  }
}

function latencyHistory(c: Client, argv: string[]): void {
  const mon = latencyMonitor(c.server);
  const ts = mon.events.get(argv[2]);
  const r = c.reply;
  if (ts === undefined) {
    r.array(0);
    return;
  }
  const samples = mon.samples(ts);
  r.array(samples.length);
  for (const [t, l] of samples) {
    r.array(2);
    r.int(t);
    r.int(l);
  }
}

function latencyGraphCmd(c: Client, argv: string[]): void {
  const ts = latencyMonitor(c.server).events.get(argv[2]);
  if (ts === undefined) {
    c.reply.error(`ERR No samples available for event '${argv[2]}'`);
    return;
  }
  c.reply.verbatim(latencyGraph(argv[2], ts));
}

function latencyReset(c: Client, argv: string[]): void {
  const mon = latencyMonitor(c.server);
  if (argv.length === 2) {
    c.reply.int(mon.reset(null));
    return;
  }
  let n = 0;
  for (let i = 2; i < argv.length; i++) n += mon.reset(argv[i]);
  c.reply.int(n);
}

function latencyDoctor(c: Client): void {
  c.reply.verbatim(latencyReport(c));
}

function replyCdf(c: Client, cmd: Command): void {
  const h = cmd.stats.hist!;
  const r = c.reply;
  r.bulk(cmd.fullName);
  r.map(2);
  r.bulk('calls');
  r.int(histTotal(h));
  r.bulk('histogram_usec');
  const buckets = cumulativeBuckets(h);
  r.map(buckets.length);
  for (const [usec, n] of buckets) {
    r.int(usec);
    r.int(n);
  }
}

function latencyHistogram(c: Client, argv: string[]): void {
  const table = c.server.commands;
  const out: Command[] = [];
  if (argv.length === 2) {
    for (const cmd of table.byName.values()) {
      if (cmd.stats.hist !== null) out.push(cmd);
      if (cmd.subcommands) for (const sub of cmd.subcommands.values()) if (sub.stats.hist !== null) out.push(sub);
    }
  } else {
    for (let i = 2; i < argv.length; i++) {
      const cmd = table.lookupFull(argv[i].toLowerCase());
      if (cmd === undefined) continue;
      if (cmd.stats.hist !== null) out.push(cmd);
      if (cmd.subcommands) for (const sub of cmd.subcommands.values()) if (sub.stats.hist !== null) out.push(sub);
    }
  }
  c.reply.map(out.length);
  for (const cmd of out) replyCdf(c, cmd);
}

function latencyHelp(c: Client): void {
  replyHelp(c, 'LATENCY', [
    'DOCTOR',
    '    Return a human readable latency analysis report.',
    'GRAPH <event>',
    '    Return an ASCII latency graph for the <event> class.',
    'HISTORY <event>',
    '    Return time-latency samples for the <event> class.',
    'LATEST',
    '    Return the latest latency samples for all events.',
    'RESET [<event> ...]',
    '    Reset latency data of one or more <event> classes.',
    '    (default: reset all data for all event classes)',
    'HISTOGRAM [COMMAND ...]',
    '    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.',
    '    If no commands are specified then all histograms are replied.',
  ]);
}

/** Per-event statistics of latency.c analyzeLatencyForEvent. */
interface EventStats {
  samples: number;
  avg: number;
  min: number;
  max: number;
  mad: number;
  period: number;
}

function analyze(ts: LatencySeries): EventStats {
  const st: EventStats = { samples: 0, avg: 0, min: 0, max: 0, mad: 0, period: 0 };
  let sum = 0;
  let min = 0;
  let max = 0;
  let samples = 0;
  let tmin = 0;
  const len = ts.times.length;
  for (let j = 0; j < len; j++) {
    if (ts.times[j] === 0) continue;
    samples++;
    const l = ts.latencies[j];
    if (samples === 1) {
      min = max = l;
      tmin = ts.times[j];
    } else {
      if (l < min) min = l;
      if (l > max) max = l;
      if (ts.times[j] < tmin) tmin = ts.times[j];
    }
    sum += l;
  }
  if (samples === 0) return st;
  st.samples = samples;
  st.avg = sum / samples;
  st.min = min;
  st.max = max;
  let mad = 0;
  for (let j = 0; j < len; j++) {
    if (ts.times[j] === 0) continue;
    mad += Math.abs(ts.latencies[j] - st.avg);
  }
  st.mad = mad / samples;
  // Seconds from the oldest sample to now, at least 1 (reported divided by the samples).
  st.period = Math.max(Math.floor(Date.now() / 1000) - tmin, 1);
  return st;
}

/**
 * LATENCY DOCTOR: the human report of latency.c createLatencyReport, for the
 * events Spinel records (command, fast-command) and the advices that apply to
 * them.
 */
function latencyReport(c: Client): string {
  const server = c.server;
  const mon = latencyMonitor(server);
  const threshold = Number(server.config.get('latency-monitor-threshold') ?? 0);
  if (mon.events.size === 0 && threshold === 0) {
    return (
      "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. " +
      'You may use "CONFIG SET latency-monitor-threshold <milliseconds>." in order to enable it. ' +
      "If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n"
    );
  }
  let report = '';
  let eventnum = 0;
  let adviceSlowlogEnabled = false;
  let adviceSlowlog = false;
  let adviceSlowCmds = false;
  let adviceFastCmds = false;
  for (const [event, ts] of mon.events) {
    const st = analyze(ts);
    if (st.samples === 0) continue;
    if (eventnum === 0) {
      report += "Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n";
    }
    eventnum++;
    report +=
      `${eventnum}. ${event}: ${st.samples} latency spikes (average ${Math.floor(st.avg)}ms, mean deviation ${Math.floor(st.mad)}ms, ` +
      `period ${(st.period / st.samples).toFixed(2)} sec). Worst all time event ${ts.max}ms.\n`;
    if (event === 'command') {
      const slower = server.slowlogThreshold;
      if (slower < 0) adviceSlowlogEnabled = true;
      else if (Math.floor(slower / 1000) > threshold) adviceSlowlog = true;
      adviceSlowCmds = true;
    } else if (event === 'fast-command') {
      adviceFastCmds = true;
    }
  }
  if (eventnum === 0) {
    return 'Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n';
  }
  const advices = adviceSlowlogEnabled || adviceSlowlog || adviceSlowCmds || adviceFastCmds;
  if (!advices) {
    report += "\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use the Redis community to get some help, providing this report in your help request.\n";
    return report;
  }
  report += '\nI have a few advices for you:\n\n';
  if (adviceSlowlogEnabled) {
    report +=
      `- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than ${threshold * 1000}'. ` +
      'If the Slow log is disabled Redis is not able to log slow commands execution for you.\n';
  }
  if (adviceSlowlog) {
    report += `- Your current Slow Log configuration only logs events that are slower than your configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than ${threshold * 1000}'.\n`;
  }
  if (adviceSlowCmds) {
    report += '- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n';
  }
  if (adviceFastCmds) {
    report +=
      '- The system is slow to execute Redis code paths not containing system calls. This usually means the system does not provide Redis CPU time to run for long periods. You should try to:\n' +
      '  1) Lower the system load.\n' +
      "  2) Use a computer / VM just for Redis if you are running other software in the same system.\n" +
      '  3) Check if you have a "noisy neighbour" problem.\n' +
      '  4) Check with \'redis-cli --intrinsic-latency 100\' what is the intrinsic latency in your system.\n' +
      '  5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, if you are using Jemalloc. However this may create fragmentation problems.\n';
  }
  if (adviceSlowCmds) {
    report +=
      '- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.\n';
  }
  return report;
}

export const handlers: HandlerMap = {
  info,
  time,
  lastsave,
  monitor,
  'slowlog|get': slowlogGet,
  'slowlog|len': slowlogLen,
  'slowlog|reset': slowlogReset,
  'slowlog|help': slowlogHelp,
  'latency|latest': latencyLatest,
  'latency|history': latencyHistory,
  'latency|graph': latencyGraphCmd,
  'latency|reset': latencyReset,
  'latency|doctor': latencyDoctor,
  'latency|histogram': latencyHistogram,
  'latency|help': latencyHelp,
};

export { isArg };
