// Every configuration parameter of Redis 7.2, with Redis's names, aliases,
// types, defaults, bounds and mutability (config.c's static_configs).
//
// Stored value forms (what Config.get returns):
//   bool -> boolean; int / memory -> number (percent values of
//   maxmemory-clients are stored negative, as Redis does: -10 = "10%");
//   enum -> its canonical name (bit-flag enums like shutdown-on-sigterm: the
//   names joined by spaces, 'default' for none); string -> string ('' = unset);
//   special:
//     save                         Array<[seconds, changes]>
//     bind                         string[]
//     replicaof                    string[]  ([] or [host, port])
//     client-output-buffer-limit   Record<'normal'|'replica'|'pubsub', {hard, soft, softSeconds}>
//     oom-score-adj-values         number[3]
//     notify-keyspace-events       number (Notify bits of src/db/keyspace.ts)
//     latency-tracking-info-percentiles number[]
//     dir                          string (absolute path; the process cwd)

import type { ConfigParam } from './table.js';

const INT_MAX = 2147483647n;
const INT_MIN = -2147483648n;
const UINT_MAX = 4294967295n;
const LONG_MAX = 9223372036854775807n;
const ULLONG_MAX = 18446744073709551615n;

type Opts = Partial<ConfigParam>;

function bool(name: string, def: boolean, mutable = true, o: Opts = {}): ConfigParam {
  return { name, type: 'bool', default: def, mutable, ...o };
}
function str(name: string, def: string, mutable = true, o: Opts = {}): ConfigParam {
  return { name, type: 'string', default: def, mutable, ...o };
}
/** A string whose empty value is NULL in Redis (EMPTY_STRING_IS_NULL). */
function nstr(name: string, mutable = true, o: Opts = {}): ConfigParam {
  return { name, type: 'string', default: '', mutable, emptyIsNull: true, ...o };
}
function num(name: string, lo: bigint, hi: bigint, def: number, mutable = true, o: Opts = {}): ConfigParam {
  return { name, type: 'int', default: def, mutable, bounds: [lo, hi], min: Number(lo), max: Number(hi), ...o };
}
function mem(name: string, lo: bigint, hi: bigint, def: number, mutable = true, o: Opts = {}): ConfigParam {
  return { name, type: 'memory', default: def, mutable, bounds: [lo, hi], min: Number(lo), max: Number(hi), ...o };
}
function en(name: string, values: string[], def: string, mutable = true, o: Opts = {}): ConfigParam {
  return { name, type: 'enum', default: def, mutable, enumValues: values, ...o };
}
function special(name: string, def: unknown, mutable = true, o: Opts = {}): ConfigParam {
  return { name, type: 'special', default: def, mutable, ...o };
}

const PROTECTED_ACTION = ['no', 'yes', 'local'];
const MB = 1024 * 1024;

export const DEFAULT_SAVE: [number, number][] = [
  [3600, 1],
  [300, 100],
  [60, 10000],
];

export const PARAMS: ConfigParam[] = [
  // Bool configs
  bool('rdbchecksum', true, false),
  bool('daemonize', false, false, { effective: true }),
  bool('io-threads-do-reads', false, false),
  bool('always-show-logo', false, false, { effective: true }),
  bool('protected-mode', true, true, { effective: true }),
  bool('rdbcompression', true),
  bool('rdb-del-sync-files', false),
  bool('activerehashing', true),
  bool('stop-writes-on-bgsave-error', true),
  bool('set-proc-title', true, false),
  bool('dynamic-hz', true),
  bool('lazyfree-lazy-eviction', false),
  bool('lazyfree-lazy-expire', false),
  bool('lazyfree-lazy-server-del', false),
  bool('lazyfree-lazy-user-del', false),
  bool('lazyfree-lazy-user-flush', false),
  bool('repl-disable-tcp-nodelay', false),
  bool('repl-diskless-sync', true),
  bool('aof-rewrite-incremental-fsync', true),
  bool('no-appendfsync-on-rewrite', false),
  bool('cluster-require-full-coverage', true),
  bool('rdb-save-incremental-fsync', true),
  bool('aof-load-truncated', true),
  bool('aof-use-rdb-preamble', true),
  bool('aof-timestamp-enabled', false),
  bool('cluster-replica-no-failover', false, true, { aliases: ['cluster-slave-no-failover'] }),
  bool('replica-lazy-flush', false, true, { aliases: ['slave-lazy-flush'] }),
  bool('replica-serve-stale-data', true, true, { aliases: ['slave-serve-stale-data'] }),
  bool('replica-read-only', true, true, { aliases: ['slave-read-only'] }),
  bool('replica-ignore-maxmemory', true, true, { aliases: ['slave-ignore-maxmemory'] }),
  bool('jemalloc-bg-thread', true),
  bool('activedefrag', false),
  bool('syslog-enabled', false, false),
  bool('cluster-enabled', false, false),
  bool('appendonly', false),
  bool('cluster-allow-reads-when-down', false),
  bool('cluster-allow-pubsubshard-when-down', true),
  bool('crash-log-enabled', true),
  bool('crash-memcheck-enabled', true),
  bool('use-exit-on-panic', false, true, { hidden: true }),
  bool('disable-thp', true, false),
  bool('cluster-allow-replica-migration', true),
  bool('replica-announced', true),
  bool('latency-tracking', true, true, { effective: true }),
  bool('aof-disable-auto-gc', false, true, { hidden: true }),
  bool('replica-ignore-disk-write-errors', false),

  // String configs
  str('aclfile', '', false),
  nstr('unixsocket', false, { effective: true }),
  nstr('pidfile', false, { effective: true }),
  nstr('replica-announce-ip', true, { aliases: ['slave-announce-ip'] }),
  nstr('masteruser', true, { sensitive: true }),
  nstr('cluster-announce-ip'),
  str('cluster-config-file', 'nodes.conf', false),
  nstr('cluster-announce-hostname'),
  nstr('cluster-announce-human-nodename', true),
  str('syslog-ident', 'redis', false),
  str('dbfilename', 'dump.rdb', true, {
    protected: true,
    validate: (v) => (v.includes('/') ? "dbfilename can't be a path, just a filename" : null),
  }),
  str('appendfilename', 'appendonly.aof', false, {
    validate: (v) => (v.includes('/') ? "appendfilename can't be a path, just a filename" : null),
  }),
  str('appenddirname', 'appendonlydir', false, {
    validate: (v) => (v.includes('/') ? "appenddirname can't be a path, just a dirname" : null),
  }),
  nstr('server_cpulist', false),
  nstr('bio_cpulist', false),
  nstr('aof_rewrite_cpulist', false),
  nstr('bgsave_cpulist', false),
  str('ignore-warnings', ''),
  str('proc-title-template', '{title} {listen-addr} {server-mode}'),
  nstr('bind-source-addr'),
  str('logfile', '', false, { effective: true }),
  str('locale-collate', '', true),
  nstr('masterauth', true, { sensitive: true }),
  nstr('requirepass', true, { sensitive: true, effective: true }),

  // Enum configs
  en('supervised', ['upstart', 'systemd', 'auto', 'no'], 'no', false),
  en('syslog-facility', ['user', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'], 'local0', false),
  en('repl-diskless-load', ['disabled', 'on-empty-db', 'swapdb'], 'disabled'),
  en('loglevel', ['debug', 'verbose', 'notice', 'warning', 'nothing'], 'notice', true, { effective: true }),
  en(
    'maxmemory-policy',
    ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl', 'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'noeviction'],
    'noeviction',
  ),
  en('appendfsync', ['everysec', 'always', 'no'], 'everysec'),
  en('oom-score-adj', ['no', 'yes', 'relative', 'absolute'], 'no', true, { enumAliases: { relative: 'yes' } }),
  en('acl-pubsub-default', ['allchannels', 'resetchannels'], 'resetchannels'),
  en('sanitize-dump-payload', ['no', 'yes', 'clients'], 'no'),
  en('enable-protected-configs', PROTECTED_ACTION, 'no', false, { effective: true }),
  en('enable-debug-command', PROTECTED_ACTION, 'no', false, { effective: true }),
  en('enable-module-command', PROTECTED_ACTION, 'no', false),
  en('cluster-preferred-endpoint-type', ['ip', 'hostname', 'unknown-endpoint'], 'ip'),
  en('propagation-error-behavior', ['ignore', 'panic', 'panic-on-replicas'], 'ignore'),
  en('shutdown-on-sigint', ['default', 'save', 'nosave', 'now', 'force'], 'default', true, { multi: true, multiArg: true, effective: true }),
  en('shutdown-on-sigterm', ['default', 'save', 'nosave', 'now', 'force'], 'default', true, { multi: true, multiArg: true, effective: true }),

  // Integer configs
  num('databases', 1n, INT_MAX, 16, false, { effective: true }),
  num('port', 0n, 65535n, 6379, true, { effective: true }),
  num('io-threads', 1n, 128n, 1, false),
  num('auto-aof-rewrite-percentage', 0n, INT_MAX, 100),
  num('cluster-replica-validity-factor', 0n, INT_MAX, 10, true, { aliases: ['cluster-slave-validity-factor'] }),
  num('list-max-listpack-size', INT_MIN, INT_MAX, -2, true, { aliases: ['list-max-ziplist-size'] }),
  num('tcp-keepalive', 0n, INT_MAX, 300, true, { effective: true }),
  num('cluster-migration-barrier', 0n, INT_MAX, 1),
  num('active-defrag-cycle-min', 1n, 99n, 1),
  num('active-defrag-cycle-max', 1n, 99n, 25),
  num('active-defrag-threshold-lower', 0n, 1000n, 10),
  num('active-defrag-threshold-upper', 0n, 1000n, 100),
  num('lfu-log-factor', 0n, INT_MAX, 10),
  num('lfu-decay-time', 0n, INT_MAX, 1),
  num('replica-priority', 0n, INT_MAX, 100, true, { aliases: ['slave-priority'] }),
  num('repl-diskless-sync-delay', 0n, INT_MAX, 5),
  num('maxmemory-samples', 1n, INT_MAX, 5),
  num('maxmemory-eviction-tenacity', 0n, 100n, 10),
  num('timeout', 0n, INT_MAX, 0, true, { effective: true }),
  num('replica-announce-port', 0n, 65535n, 0, true, { aliases: ['slave-announce-port'] }),
  num('tcp-backlog', 0n, INT_MAX, 511, false, { effective: true }),
  num('cluster-port', 0n, 65535n, 0, false),
  num('cluster-announce-bus-port', 0n, 65535n, 0),
  num('cluster-announce-port', 0n, 65535n, 0),
  num('cluster-announce-tls-port', 0n, 65535n, 0),
  num('repl-timeout', 1n, INT_MAX, 60),
  num('repl-ping-replica-period', 1n, INT_MAX, 10, true, { aliases: ['repl-ping-slave-period'] }),
  num('list-compress-depth', 0n, INT_MAX, 0),
  num('rdb-key-save-delay', INT_MIN, INT_MAX, 0, true, { hidden: true }),
  num('key-load-delay', INT_MIN, INT_MAX, 0, true, { hidden: true }),
  num('active-expire-effort', 1n, 10n, 1),
  // A hint: any int is accepted, then capped to CONFIG_MIN_HZ..CONFIG_MAX_HZ (what CONFIG GET and INFO show).
  num('hz', 0n, INT_MAX, 10, true, { effective: true, cap: [1, 500] }),
  num('min-replicas-to-write', 0n, INT_MAX, 0, true, { aliases: ['min-slaves-to-write'] }),
  num('min-replicas-max-lag', 0n, INT_MAX, 10, true, { aliases: ['min-slaves-max-lag'] }),
  num('watchdog-period', 0n, INT_MAX, 0, true, { hidden: true }),
  num('shutdown-timeout', 0n, INT_MAX, 10),
  num('repl-diskless-sync-max-replicas', 0n, INT_MAX, 0),
  num('socket-mark-id', 0n, UINT_MAX, 0),
  // Unsigned int configs
  num('maxclients', 1n, UINT_MAX, 10000, true, { effective: true }),
  num('unixsocketperm', 0n, 0o777n, 0, false, { octal: true, effective: true }),
  // Unsigned long configs
  num('active-defrag-max-scan-fields', 1n, LONG_MAX, 1000),
  num('slowlog-max-len', 0n, LONG_MAX, 128, true, { effective: true }),
  num('acllog-max-len', 0n, LONG_MAX, 128),
  // Long long configs
  num('busy-reply-threshold', 0n, LONG_MAX, 5000, true, { aliases: ['lua-time-limit'], effective: true }),
  num('cluster-node-timeout', 0n, LONG_MAX, 15000),
  num('slowlog-log-slower-than', -1n, LONG_MAX, 10000, true, { effective: true }),
  num('latency-monitor-threshold', 0n, LONG_MAX, 0),
  mem('proto-max-bulk-len', BigInt(MB), LONG_MAX, 512 * MB, true, { effective: true }),
  num('stream-node-max-entries', 0n, LONG_MAX, 100),
  mem('repl-backlog-size', 1n, LONG_MAX, MB),
  // Unsigned long long configs
  mem('maxmemory', 0n, ULLONG_MAX, 0),
  mem('cluster-link-sendbuf-limit', 0n, ULLONG_MAX, 0),
  // size_t configs
  num('hash-max-listpack-entries', 0n, LONG_MAX, 512, true, { aliases: ['hash-max-ziplist-entries'] }),
  num('set-max-intset-entries', 0n, LONG_MAX, 512),
  num('set-max-listpack-entries', 0n, LONG_MAX, 128, true),
  num('set-max-listpack-value', 0n, LONG_MAX, 64, true),
  num('zset-max-listpack-entries', 0n, LONG_MAX, 128, true, { aliases: ['zset-max-ziplist-entries'] }),
  mem('active-defrag-ignore-bytes', 1n, LONG_MAX, 100 * MB),
  mem('hash-max-listpack-value', 0n, LONG_MAX, 64, true, { aliases: ['hash-max-ziplist-value'] }),
  mem('stream-node-max-bytes', 0n, LONG_MAX, 4096),
  mem('zset-max-listpack-value', 0n, LONG_MAX, 64, true, { aliases: ['zset-max-ziplist-value'] }),
  mem('hll-sparse-max-bytes', 0n, LONG_MAX, 3000),
  num('tracking-table-max-keys', 0n, LONG_MAX, 1000000, true, { effective: true }),
  mem('client-query-buffer-limit', BigInt(MB), LONG_MAX, 1024 * MB, true, { effective: true }),
  mem('maxmemory-clients', -100n, LONG_MAX, 0, true, { percent: true }),
  // Other numeric configs
  num('repl-backlog-ttl', 0n, LONG_MAX, 3600),
  mem('auto-aof-rewrite-min-size', 0n, LONG_MAX, 64 * MB),
  num('loading-process-events-interval-bytes', 1024n, INT_MAX, 2 * MB, true, { hidden: true }),

  // TLS for clients (src/server/tls.ts); tls-replication and tls-cluster are stored for replication and cluster
  num('tls-port', 0n, 65535n, 0),
  num('tls-session-cache-size', 0n, INT_MAX, 20 * 1024),
  num('tls-session-cache-timeout', 0n, INT_MAX, 300),
  bool('tls-cluster', false),
  bool('tls-replication', false),
  en('tls-auth-clients', ['no', 'yes', 'optional'], 'yes'),
  bool('tls-prefer-server-ciphers', false),
  bool('tls-session-caching', true),
  nstr('tls-cert-file'),
  nstr('tls-key-file'),
  nstr('tls-key-file-pass', true, { sensitive: true }),
  nstr('tls-client-cert-file'),
  nstr('tls-client-key-file'),
  nstr('tls-client-key-file-pass', true, { sensitive: true }),
  nstr('tls-dh-params-file'),
  nstr('tls-ca-cert-file'),
  nstr('tls-ca-cert-dir'),
  nstr('tls-protocols'),
  nstr('tls-ciphers'),
  nstr('tls-ciphersuites'),

  // Special configs
  special('dir', '', true, { protected: true, effective: true }),
  special('save', DEFAULT_SAVE, true, { multiArg: true }),
  special(
    'client-output-buffer-limit',
    {
      normal: { hard: 0, soft: 0, softSeconds: 0 },
      replica: { hard: 256 * MB, soft: 64 * MB, softSeconds: 60 },
      pubsub: { hard: 32 * MB, soft: 8 * MB, softSeconds: 60 },
    },
    true,
    { multiArg: true, effective: true },
  ),
  special('oom-score-adj-values', [0, 200, 800], true, { multiArg: true }),
  special('notify-keyspace-events', 0, true, { effective: true }),
  special('bind', ['127.0.0.1', '-::1'], true, { multiArg: true, effective: true }),
  special('replicaof', [], false, { aliases: ['slaveof'], multiArg: true }),
  special('latency-tracking-info-percentiles', [50, 99, 99.9], true, { multiArg: true }),
];

/** Directives Redis still accepts in a config file and ignores (deprecated_configs). */
export const DEPRECATED: { name: string; min: number; max: number }[] = [
  { name: 'list-max-ziplist-entries', min: 2, max: 2 },
  { name: 'list-max-ziplist-value', min: 2, max: 2 },
  { name: 'lua-replicate-commands', min: 2, max: 2 },
];
