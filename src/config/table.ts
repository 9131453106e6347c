// The one table of configuration parameters. The config file parser, the
// `--name value` command-line arguments, CONFIG GET/SET/REWRITE and INFO all
// read it. A parameter whose subsystem is not built yet is still accepted,
// stored and reported (docs/configuration.md lists which).

export type ConfigType = 'bool' | 'int' | 'memory' | 'enum' | 'string' | 'special';

export interface ConfigParam {
  name: string;
  aliases?: string[];
  type: ConfigType;
  /** Default value in its stored form (boolean, number, string, string[] for special multi-arg ones). */
  default: unknown;
  min?: number;
  max?: number;
  /** Allowed values for enums (and flags sets when `multi`). */
  enumValues?: string[];
  /** Enum that accepts several space-separated values (e.g. `keyspace-events`-like flags). */
  multi?: boolean;
  /** false: IMMUTABLE_CONFIG — only at start-up. */
  mutable: boolean;
  /** Sensitive values are hidden from logs (requirepass, masterauth). */
  sensitive?: boolean;
  /** Not shown by CONFIG GET * / REWRITE (HIDDEN_CONFIG in Redis). */
  hidden?: boolean;
  /** Exact numeric bounds (Redis's long long / unsigned long long limits exceed 2^53). */
  bounds?: [bigint, bigint];
  /** Numeric flags: `memory` accepts units (also type 'memory'), `percent` accepts 'N%' (stored negative), `octal`. */
  percent?: boolean;
  octal?: boolean;
  /** PROTECTED_CONFIG: CONFIG SET needs enable-protected-configs. */
  protected?: boolean;
  /** MULTI_ARG_CONFIG: takes several arguments (save, bind, ...). */
  multiArg?: boolean;
  /** String parameters whose empty value means "unset" (EMPTY_STRING_IS_NULL): REWRITE drops them. */
  emptyIsNull?: boolean;
  /** Value check for strings (returns an error text or null). */
  validate?: (v: string) => string | null;
  /** Enum values that are aliases of another value (oom-score-adj 'relative' -> 'yes'). */
  enumAliases?: Record<string, string>;
  /** Parameter added in Redis 7.2 (not in the 7.0 reference). */
  since72?: boolean;
  /** The subsystem reading it exists in Spinel (docs/configuration.md). */
  effective?: boolean;
}

/**
 * Parameters the core reads. The full Redis 7.2 list is completed in
 * src/config/params.ts, which re-exports PARAMS.
 */
export const CORE_PARAMS: ConfigParam[] = [
  { name: 'port', type: 'int', default: 6379, min: 0, max: 65535, mutable: true },
  { name: 'bind', type: 'special', default: ['127.0.0.1', '-::1'], mutable: true },
  { name: 'databases', type: 'int', default: 16, min: 1, max: 2147483647, mutable: false },
  { name: 'requirepass', type: 'string', default: '', mutable: true, sensitive: true },
  { name: 'maxclients', type: 'int', default: 10000, min: 1, max: 2147483647, mutable: true },
  { name: 'timeout', type: 'int', default: 0, min: 0, max: 2147483647, mutable: true },
  { name: 'proto-max-bulk-len', type: 'memory', default: 512 * 1024 * 1024, min: 1024 * 1024, max: Number.MAX_SAFE_INTEGER, mutable: true },
  { name: 'client-query-buffer-limit', type: 'memory', default: 1024 * 1024 * 1024, min: 1024 * 1024, max: Number.MAX_SAFE_INTEGER, mutable: true },
  { name: 'hz', type: 'int', default: 10, min: 0, max: 2147483647, mutable: true },
  { name: 'slowlog-log-slower-than', type: 'int', default: 10000, min: -1, max: Number.MAX_SAFE_INTEGER, mutable: true },
  { name: 'slowlog-max-len', type: 'int', default: 128, min: 0, max: Number.MAX_SAFE_INTEGER, mutable: true },
  { name: 'protected-mode', type: 'bool', default: true, mutable: true },
  { name: 'loglevel', type: 'enum', default: 'notice', enumValues: ['debug', 'verbose', 'notice', 'warning', 'nothing'], mutable: true },
  { name: 'logfile', type: 'string', default: '', mutable: false },
  { name: 'unixsocket', type: 'string', default: '', mutable: false },
  { name: 'unixsocketperm', type: 'int', default: 0, min: 0, max: 0o777, mutable: false },
  { name: 'tcp-backlog', type: 'int', default: 511, min: 0, max: 2147483647, mutable: false },
  { name: 'tcp-keepalive', type: 'int', default: 300, min: 0, max: 2147483647, mutable: true },
  { name: 'enable-debug-command', type: 'enum', default: 'no', enumValues: ['no', 'yes', 'local'], mutable: false },
  { name: 'latency-tracking', type: 'bool', default: true, mutable: true },
  { name: 'latency-tracking-info-percentiles', type: 'special', default: [50, 99, 99.9], mutable: true },
  { name: 'daemonize', type: 'bool', default: false, mutable: false },
  { name: 'pidfile', type: 'string', default: '', mutable: false },
  { name: 'dir', type: 'special', default: '.', mutable: true },
];
