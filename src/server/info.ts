// INFO: the sections and fields of Redis 7.2's genRedisInfoString, in the
// same order and format. Fields of subsystems Spinel does not have (fork,
// AOF, replication links, defrag, modules, ...) show the values an idle Redis
// shows; nothing reports activity that did not happen.

import { scriptingIfAny } from '../scripting/scripting.js';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { ClientFlag } from './client.js';
import type { Server } from './server.js';
import { SPINEL_VERSION } from '../version.js';
import { lruClock } from '../db/keyspace.js';
import { percentilesLine } from './latency.js';
import { blockingStats } from './blocking.js';
import type { Command } from '../commands/types.js';
import { resetStatHooks } from '../commands/config.js';
import { wallMicros } from '../util/clock.js';
import { usedMemory } from './memory.js';

/** Sections of plain INFO / INFO default. */
const DEFAULT_SECTIONS = ['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'module_list', 'errorstats', 'cluster', 'keyspace'];

/** Per-server sampled metrics (instantaneous_*, memory peak, client buffer peaks). */
export class InfoMetrics {
  startupMemory = usedMemory();
  peakMemory = this.startupMemory;
  private lastSample = Date.now();
  private lastOps = 0;
  private lastIn = 0;
  private lastOut = 0;
  private readonly ops = new Float64Array(16);
  private readonly netIn = new Float64Array(16);
  private readonly netOut = new Float64Array(16);
  private idx = 0;

  /** trackInstantaneousMetric, run from the cron every 100 ms. */
  sample(server: Server): void {
    const now = Date.now();
    const dt = now - this.lastSample;
    if (dt < 100) return;
    const st = server.stats;
    this.ops[this.idx] = ((st.totalCommands - this.lastOps) * 1000) / dt;
    this.netIn[this.idx] = ((st.netInputBytes - this.lastIn) * 1000) / dt;
    this.netOut[this.idx] = ((st.netOutputBytes - this.lastOut) * 1000) / dt;
    this.idx = (this.idx + 1) % 16;
    this.lastSample = now;
    this.lastOps = st.totalCommands;
    this.lastIn = st.netInputBytes;
    this.lastOut = st.netOutputBytes;
    const used = usedMemory();
    if (used > this.peakMemory) this.peakMemory = used;
  }

  private static avg(a: Float64Array): number {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i];
    return s / a.length;
  }
  opsPerSec(): number {
    return Math.round(InfoMetrics.avg(this.ops));
  }
  inputKbps(): number {
    return InfoMetrics.avg(this.netIn) / 1024;
  }
  outputKbps(): number {
    return InfoMetrics.avg(this.netOut) / 1024;
  }
}

const metricsByServer = new WeakMap<Server, InfoMetrics>();
// CONFIG RESETSTAT also resets the memory peak (Redis's stat_peak_memory).
resetStatHooks.push((server) => {
  const m = metricsByServer.get(server);
  if (m !== undefined) m.peakMemory = usedMemory();
});
/** The metrics of a server; the first call registers the sampling cron task. */
export function infoMetrics(server: Server): InfoMetrics {
  let m = metricsByServer.get(server);
  if (m === undefined) {
    const metrics = new InfoMetrics();
    m = metrics;
    metricsByServer.set(server, m);
    server.cronTasks.push((s) => metrics.sample(s));
  }
  return m;
}

/** Redis's bytesToHuman. */
export function bytesToHuman(n: number): string {
  if (n < 1024) return `${n}B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(2)}K`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(2)}M`;
  if (n < 1024 ** 4) return `${(n / 1024 ** 3).toFixed(2)}G`;
  if (n < 1024 ** 5) return `${(n / 1024 ** 4).toFixed(2)}T`;
  if (n < 1024 ** 6) return `${(n / 1024 ** 5).toFixed(2)}P`;
  return `${n}B`;
}

const BUILD_ID = crypto.createHash('sha1').update(`spinel-${SPINEL_VERSION}-${process.version}`).digest('hex').slice(0, 16);

function cpuSeconds(usec: number): string {
  return `${Math.floor(usec / 1e6)}.${String(Math.floor(usec % 1e6)).padStart(6, '0')}`;
}

/** Parses INFO's arguments into the set of sections (genInfoSectionDict). */
export function sectionSet(args: string[]): { sections: Set<string>; all: boolean; everything: boolean } {
  const sections = new Set<string>();
  let all = false;
  let everything = false;
  if (args.length === 0) {
    for (const s of DEFAULT_SECTIONS) sections.add(s);
    return { sections, all, everything };
  }
  for (const a of args) {
    const l = a.toLowerCase();
    if (l === 'default') for (const s of DEFAULT_SECTIONS) sections.add(s);
    else if (l === 'all') all = true;
    else if (l === 'everything') all = everything = true;
    else sections.add(l);
  }
  return { sections, all, everything };
}

/**
 * Values that other subsystems provide for INFO fields they own (pub/sub
 * counts, tracking, persistence, replication, ACL denials, ...): field name ->
 * getter. A field with no provider shows the value an idle Redis shows.
 */
export const infoProviders = new Map<string, (server: Server) => number | string>();

/** Whole-section builders that replace the idle one (e.g. 'replication' once a server can be a replica). */
export const infoSectionProviders = new Map<string, (server: Server) => string>();

/** Builds the INFO text for the given arguments (section names). */
/**
 * The scripting figures of INFO memory. The Lua VMs' sizes are estimates (a
 * V8 heap has no per-VM count): the size an idle Redis reports for an empty
 * VM plus the code held; the caches count their bodies and entries.
 */
function scriptingMemoryInfo(server: Server): string {
  const s = scriptingIfAny(server);
  const nscripts = s?.scripts.size ?? 0;
  const evalBytes = s === undefined ? 0 : s.scriptsBodyBytes + 136 * nscripts;
  const vmEval = 32768 + (s === undefined ? 0 : 2 * s.scriptsBodyBytes);
  const fnBytes = 200 + (s === undefined ? 0 : s.functionsBytes());
  const vmFunctions = 33792 + (s === undefined ? 0 : 2 * (fnBytes - 200));
  const vmTotal = vmEval + vmFunctions;
  return (
    `used_memory_lua:${vmEval}\r\n` +
    `used_memory_vm_eval:${vmEval}\r\n` +
    `used_memory_lua_human:${bytesToHuman(vmEval)}\r\n` +
    `used_memory_scripts_eval:${evalBytes}\r\n` +
    `number_of_cached_scripts:${nscripts}\r\n` +
    `number_of_functions:${s?.functions.size ?? 0}\r\n` +
    `number_of_libraries:${s?.libraries.size ?? 0}\r\n` +
    `used_memory_vm_functions:${vmFunctions}\r\n` +
    `used_memory_vm_total:${vmTotal}\r\n` +
    `used_memory_vm_total_human:${bytesToHuman(vmTotal)}\r\n` +
    `used_memory_functions:${fnBytes}\r\n` +
    `used_memory_scripts:${evalBytes + fnBytes}\r\n` +
    `used_memory_scripts_human:${bytesToHuman(evalBytes + fnBytes)}\r\n`
  );
}

export function genInfo(server: Server, args: string[]): string {
  const { sections, all } = sectionSet(args);
  const want = (name: string): boolean => all || sections.has(name);
  const metrics = infoMetrics(server);
  const cfg = server.config;
  const parts: string[] = [];
  const now = Date.now();
  const f = (name: string, dflt: string): string => {
    const p = infoProviders.get(name);
    return `${name}:${p === undefined ? dflt : p(server)}\r\n`;
  };

  if (want('server')) {
    const uptime = Math.floor((now - server.startTime) / 1000);
    const hz = cfg.num('hz');
    let s =
      '# Server\r\n' +
      `redis_version:${SPINEL_VERSION}\r\n` +
      'redis_git_sha1:00000000\r\n' +
      'redis_git_dirty:0\r\n' +
      `redis_build_id:${BUILD_ID}\r\n` +
      `redis_mode:${cfg.get('cluster-enabled') === true ? 'cluster' : 'standalone'}\r\n` +
      `os:${os.type()} ${os.release()} ${os.machine()}\r\n` +
      `arch_bits:${/64/.test(process.arch) ? 64 : 32}\r\n` +
      'monotonic_clock:POSIX clock_gettime\r\n' +
      `multiplexing_api:${process.platform === 'linux' ? 'epoll' : process.platform === 'win32' ? 'winsock_IOCP' : 'kqueue'}\r\n` +
      'atomicvar_api:c11-builtin\r\n' +
      'gcc_version:0.0.0\r\n' +
      `process_id:${process.pid}\r\n` +
      'process_supervised:no\r\n' +
      `run_id:${server.runId}\r\n` +
      `tcp_port:${server.boundPort || cfg.num('port')}\r\n` +
      `server_time_usec:${wallMicros()}\r\n` +
      `uptime_in_seconds:${uptime}\r\n` +
      `uptime_in_days:${Math.floor(uptime / 86400)}\r\n` +
      `hz:${hz}\r\n` +
      `configured_hz:${hz}\r\n` +
      `lru_clock:${lruClock()}\r\n` +
      `executable:${path.resolve(process.argv[1] ?? process.execPath)}\r\n` +
      `config_file:${(server as { configFile?: string }).configFile ?? ''}\r\n` +
      'io_threads_active:0\r\n';
    s += listenersInfo(server);
    parts.push(s);
  }

  if (want('clients')) {
    let maxIn = 0;
    let maxOut = 0;
    let paused = 0;
    let normal = 0;
    for (const c of server.clients.values()) {
      if ((c.flags & ClientFlag.Replica) === 0) normal++;
      const qin = c.parser.pending;
      if (qin > maxIn) maxIn = qin;
      if (c.reply.size > maxOut) maxOut = c.reply.size;
      if ((c.flags & ClientFlag.Paused) !== 0) paused++;
    }
    parts.push(
      '# Clients\r\n' +
        `connected_clients:${normal}\r\n` +
        f('cluster_connections', '0') +
        `maxclients:${cfg.num('maxclients')}\r\n` +
        `client_recent_max_input_buffer:${maxIn}\r\n` +
        `client_recent_max_output_buffer:${maxOut}\r\n` +
        `blocked_clients:${server.blockedClients + paused}\r\n` +
        `tracking_clients:${server.tracking.clients}\r\n` +
        f('clients_in_timeout_table', String(blockingStats(server).clientsInTimeoutTable)) +
        `total_blocking_keys:${server.blockingKeys}\r\n` +
        `total_blocking_keys_on_nokey:${server.blockingKeysOnNokey}\r\n`,
    );
  }

  if (want('memory')) {
    const mu = process.memoryUsage();
    // usedMemory()'s figure, from the same sample as rss.
    const used = mu.heapUsed + mu.external;
    const guard = server.memory;
    if (used > metrics.peakMemory) metrics.peakMemory = used;
    const peak = metrics.peakMemory;
    const rss = mu.rss;
    let clientMem = 0;
    for (const c of server.clients.values()) clientMem += c.reply.size + c.parser.pending;
    const startup = metrics.startupMemory;
    const overhead = Math.min(used, startup + clientMem);
    const dataset = used - overhead;
    const netUsed = used > startup ? used - startup : 0;
    const allocated = mu.heapUsed + mu.external;
    const active = mu.heapTotal + mu.external;
    const resident = rss;
    const maxmemory = numOr(cfg, 'maxmemory', 0);
    const sysmem = os.totalmem();
    parts.push(
      '# Memory\r\n' +
        `used_memory:${used}\r\n` +
        `used_memory_human:${bytesToHuman(used)}\r\n` +
        `used_memory_rss:${rss}\r\n` +
        `used_memory_rss_human:${bytesToHuman(rss)}\r\n` +
        `used_memory_peak:${peak}\r\n` +
        `used_memory_peak_human:${bytesToHuman(peak)}\r\n` +
        `used_memory_peak_perc:${((used * 100) / peak).toFixed(2)}%\r\n` +
        `used_memory_overhead:${overhead}\r\n` +
        `used_memory_startup:${startup}\r\n` +
        `used_memory_dataset:${dataset}\r\n` +
        `used_memory_dataset_perc:${(netUsed ? (dataset * 100) / netUsed : 0).toFixed(2)}%\r\n` +
        `allocator_allocated:${allocated}\r\n` +
        `allocator_active:${active}\r\n` +
        `allocator_resident:${resident}\r\n` +
        `total_system_memory:${sysmem}\r\n` +
        `total_system_memory_human:${bytesToHuman(sysmem)}\r\n` +
        scriptingMemoryInfo(server) +
        `maxmemory:${maxmemory}\r\n` +
        `maxmemory_human:${bytesToHuman(maxmemory)}\r\n` +
        `maxmemory_policy:${strOr(cfg, 'maxmemory-policy', 'noeviction')}\r\n` +
        `allocator_frag_ratio:${(active / allocated).toFixed(2)}\r\n` +
        `allocator_frag_bytes:${active - allocated}\r\n` +
        `allocator_rss_ratio:${(resident / active).toFixed(2)}\r\n` +
        `allocator_rss_bytes:${resident - active}\r\n` +
        `rss_overhead_ratio:${(rss / resident).toFixed(2)}\r\n` +
        `rss_overhead_bytes:${rss - resident}\r\n` +
        `mem_fragmentation_ratio:${(rss / used).toFixed(2)}\r\n` +
        `mem_fragmentation_bytes:${rss - used}\r\n` +
        'mem_not_counted_for_evict:0\r\n' +
        'mem_replication_backlog:0\r\n' +
        'mem_total_replication_buffers:0\r\n' +
        'mem_clients_slaves:0\r\n' +
        `mem_clients_normal:${clientMem}\r\n` +
        'mem_cluster_links:0\r\n' +
        'mem_aof_buffer:0\r\n' +
        'mem_allocator:libc\r\n' +
        'active_defrag_running:0\r\n' +
        'lazyfree_pending_objects:0\r\n' +
        'lazyfreed_objects:0\r\n' +
        // Spinel's heap guard (src/server/memory.ts): "oom" while it refuses writes.
        `heap_guard:${guard.oom ? 'oom' : 'ok'}\r\n` +
        `heap_guard_used:${guard.used}\r\n` +
        `heap_guard_limit:${guard.guardLimit}\r\n` +
        `heap_size_limit:${guard.heapLimit}\r\n`,
    );
  }

  if (want('persistence')) {
    parts.push(
      '# Persistence\r\n' +
        f('loading', '0') +
        f('async_loading', '0') +
        f('current_cow_peak', '0') +
        f('current_cow_size', '0') +
        f('current_cow_size_age', '0') +
        f('current_fork_perc', '0.00') +
        f('current_save_keys_processed', '0') +
        f('current_save_keys_total', '0') +
        `rdb_changes_since_last_save:${server.dirty}\r\n` +
        f('rdb_bgsave_in_progress', '0') +
        `rdb_last_save_time:${server.lastSave}\r\n` +
        `rdb_last_bgsave_status:${server.persistence.lastSaveOk ? 'ok' : 'err'}\r\n` +
        f('rdb_last_bgsave_time_sec', '-1') +
        f('rdb_current_bgsave_time_sec', '-1') +
        `rdb_saves:${server.persistence.rdbSaves}\r\n` +
        f('rdb_last_cow_size', '0') +
        `rdb_last_load_keys_expired:${server.persistence.lastLoadKeysExpired}\r\n` +
        `rdb_last_load_keys_loaded:${server.persistence.lastLoadKeysLoaded}\r\n` +
        f('aof_enabled', '0') +
        f('aof_rewrite_in_progress', '0') +
        f('aof_rewrite_scheduled', '0') +
        f('aof_last_rewrite_time_sec', '-1') +
        f('aof_current_rewrite_time_sec', '-1') +
        f('aof_last_bgrewrite_status', 'ok') +
        f('aof_rewrites', '0') +
        f('aof_rewrites_consecutive_failures', '0') +
        f('aof_last_write_status', 'ok') +
        f('aof_last_cow_size', '0') +
        f('module_fork_in_progress', '0') +
        f('module_fork_last_cow_size', '0'),
    );
  }

  if (want('stats')) {
    const st = server.stats;
    const ks = server.keyspace.stats;
    parts.push(
      '# Stats\r\n' +
        `total_connections_received:${st.totalConnections}\r\n` +
        `total_commands_processed:${st.totalCommands}\r\n` +
        `instantaneous_ops_per_sec:${metrics.opsPerSec()}\r\n` +
        `total_net_input_bytes:${st.netInputBytes}\r\n` +
        `total_net_output_bytes:${st.netOutputBytes}\r\n` +
        f('total_net_repl_input_bytes', '0') +
        f('total_net_repl_output_bytes', '0') +
        `instantaneous_input_kbps:${metrics.inputKbps().toFixed(2)}\r\n` +
        `instantaneous_output_kbps:${metrics.outputKbps().toFixed(2)}\r\n` +
        f('instantaneous_input_repl_kbps', '0.00') +
        f('instantaneous_output_repl_kbps', '0.00') +
        `rejected_connections:${st.rejectedConnections}\r\n` +
        f('sync_full', '0') +
        f('sync_partial_ok', '0') +
        f('sync_partial_err', '0') +
        `expired_keys:${ks.expiredKeys}\r\n` +
        `expired_stale_perc:${(ks.expiredStalePerc * 100).toFixed(2)}\r\n` +
        `expired_time_cap_reached_count:${ks.expiredTimeCapReachedCount}\r\n` +
        `expire_cycle_cpu_milliseconds:${Math.round(ks.expireCycleCpuMs)}\r\n` +
        `evicted_keys:${ks.evictedKeys}\r\n` +
        f('evicted_clients', '0') +
        f('total_eviction_exceeded_time', '0') +
        f('current_eviction_exceeded_time', '0') +
        `keyspace_hits:${ks.keyspaceHits}\r\n` +
        `keyspace_misses:${ks.keyspaceMisses}\r\n` +
        `pubsub_channels:${server.pubsub.channels.size}\r\n` +
        `pubsub_patterns:${server.pubsub.patterns.size}\r\n` +
        `pubsubshard_channels:${server.pubsub.shardChannels.size}\r\n` +
        f('latest_fork_usec', '0') +
        f('total_forks', '0') +
        f('migrate_cached_sockets', '0') +
        f('slave_expires_tracked_keys', '0') +
        f('active_defrag_hits', '0') +
        f('active_defrag_misses', '0') +
        f('active_defrag_key_hits', '0') +
        f('active_defrag_key_misses', '0') +
        f('total_active_defrag_time', '0') +
        f('current_active_defrag_time', '0') +
        `tracking_total_keys:${server.tracking.table?.size ?? 0}\r\n` +
        `tracking_total_items:${server.tracking.totalItems}\r\n` +
        `tracking_total_prefixes:${server.tracking.prefixes.size}\r\n` +
        `unexpected_error_replies:${st.unexpectedErrorReplies}\r\n` +
        `total_error_replies:${st.totalErrorReplies}\r\n` +
        `dump_payload_sanitizations:${server.persistence.dumpPayloadSanitizations}\r\n` +
        `total_reads_processed:${st.totalReads}\r\n` +
        `total_writes_processed:${st.totalWrites}\r\n` +
        f('io_threaded_reads_processed', '0') +
        f('io_threaded_writes_processed', '0') +
        f('reply_buffer_shrinks', '0') +
        f('reply_buffer_expands', '0') +
        f('eventloop_cycles', '0') +
        f('eventloop_duration_sum', '0') +
        f('eventloop_duration_cmd_sum', '0') +
        f('instantaneous_eventloop_cycles_per_sec', '0') +
        f('instantaneous_eventloop_duration_usec', '0') +
        `acl_access_denied_auth:${server.acl.deniedAuth}\r\n` +
        `acl_access_denied_cmd:${server.acl.deniedCmd}\r\n` +
        `acl_access_denied_key:${server.acl.deniedKey}\r\n` +
        `acl_access_denied_channel:${server.acl.deniedChannel}\r\n` +
        // Spinel's own: exceptions contained instead of crashing (see Server.internalError).
        `internal_errors:${st.internalErrors}\r\n`,
    );
  }

  const replSection = infoSectionProviders.get('replication');
  if (want('replication') && replSection !== undefined) parts.push(replSection(server));
  else if (want('replication')) {
    parts.push(
      '# Replication\r\n' +
        f('role', 'master') +
        f('connected_slaves', '0') +
        f('master_failover_state', 'no-failover') +
        `master_replid:${replId(server)}\r\n` +
        f('master_replid2', '0000000000000000000000000000000000000000') +
        f('master_repl_offset', '0') +
        f('second_repl_offset', '-1') +
        f('repl_backlog_active', '0') +
        `repl_backlog_size:${numOr(cfg, 'repl-backlog-size', 1048576)}\r\n` +
        f('repl_backlog_first_byte_offset', '0') +
        f('repl_backlog_histlen', '0'),
    );
  }

  if (want('cpu')) {
    const cpu = process.cpuUsage();
    parts.push(
      '# CPU\r\n' +
        `used_cpu_sys:${cpuSeconds(cpu.system)}\r\n` +
        `used_cpu_user:${cpuSeconds(cpu.user)}\r\n` +
        'used_cpu_sys_children:0.000000\r\n' +
        'used_cpu_user_children:0.000000\r\n' +
        `used_cpu_sys_main_thread:${cpuSeconds(cpu.system)}\r\n` +
        `used_cpu_user_main_thread:${cpuSeconds(cpu.user)}\r\n`,
    );
  }

  if (all || sections.has('module_list') || sections.has('modules')) parts.push('# Modules\r\n');

  if (want('commandstats')) {
    let s = '# Commandstats\r\n';
    for (const cmd of sortedCommands(server)) {
      const st = cmd.stats;
      if (st.calls === 0 && st.failedCalls === 0 && st.rejectedCalls === 0) continue;
      s +=
        `cmdstat_${cmd.fullName}:calls=${st.calls},usec=${Math.floor(st.usec)},` +
        `usec_per_call=${(st.calls ? st.usec / st.calls : 0).toFixed(2)},` +
        `rejected_calls=${st.rejectedCalls},failed_calls=${st.failedCalls}\r\n`;
    }
    parts.push(s);
  }

  if (want('errorstats')) {
    let s = '# Errorstats\r\n';
    for (const code of [...server.errorStats.keys()].sort()) s += `errorstat_${code}:count=${server.errorStats.get(code)}\r\n`;
    parts.push(s);
  }

  if (want('latencystats')) {
    let s = '# Latencystats\r\n';
    if (server.latencyTracking) {
      const pct = cfg.get<number[]>('latency-tracking-info-percentiles') ?? [50, 99, 99.9];
      for (const cmd of sortedCommands(server)) {
        const h = cmd.stats.hist;
        if (h === null) continue;
        s += `latency_percentiles_usec_${cmd.fullName}:${percentilesLine(h, pct)}\r\n`;
      }
    }
    parts.push(s);
  }

  if (want('cluster')) parts.push(`# Cluster\r\ncluster_enabled:${cfg.get('cluster-enabled') === true ? 1 : 0}\r\n`);

  if (want('keyspace')) {
    let s = '# Keyspace\r\n';
    for (const db of server.keyspace.dbs) {
      const keys = db.dict.size;
      if (keys === 0) continue;
      s += `db${db.id}:keys=${keys},expires=${db.expires.size},avg_ttl=${Math.round(db.avgTtl)}\r\n`;
    }
    parts.push(s);
  }

  // Redis 7.2's debug section: only when asked for by name.
  if (sections.has('debug')) {
    parts.push(
      '# Debug\r\n' +
        'eventloop_duration_aof_sum:0\r\n' +
        'eventloop_duration_cron_sum:0\r\n' +
        'eventloop_duration_max:0\r\n' +
        'eventloop_cmd_per_cycle_max:0\r\n',
    );
  }
  return parts.join('\r\n');
}

/** Redis 7.2's listener lines: listener0:name=tcp,bind=...,port=..., listener1:name=unix,bind=path. */
function listenersInfo(server: Server): string {
  const cfg = server.config;
  let s = '';
  const port = cfg.num('port');
  if (port !== 0) {
    s += 'listener0:name=tcp';
    for (const b of cfg.get<string[]>('bind') ?? []) s += `,bind=${b}`;
    s += `,port=${server.boundPort || port}\r\n`;
  }
  const us = cfg.str('unixsocket');
  if (us) s += `listener1:name=unix,bind=${us}\r\n`;
  return s;
}

function numOr(cfg: Server['config'], name: string, dflt: number): number {
  const v = cfg.get<number | undefined>(name);
  return typeof v === 'number' ? v : dflt;
}

function strOr(cfg: Server['config'], name: string, dflt: string): string {
  const v = cfg.get<string | undefined>(name);
  return typeof v === 'string' ? v : dflt;
}

const replIds = new WeakMap<Server, string>();
/** The replication ID (40 hex chars), random per server start like Redis's. */
export function replId(server: Server): string {
  const own = (server as { replId?: string }).replId;
  if (typeof own === 'string') return own;
  let id = replIds.get(server);
  if (id === undefined) {
    id = crypto.randomBytes(20).toString('hex');
    replIds.set(server, id);
  }
  return id;
}

function sortedCommands(server: Server): Command[] {
  return [...server.commands.all()].sort((a, b) => (a.fullName < b.fullName ? -1 : a.fullName > b.fullName ? 1 : 0));
}
