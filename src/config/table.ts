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
  /** Accepted within the bounds but stored capped to [lo, hi] (Redis's updateHZ for hz). */
  cap?: [number, number];
  /** Value check for strings (returns an error text or null). */
  validate?: (v: string) => string | null;
  /** Enum values that are aliases of another value (oom-score-adj 'relative' -> 'yes'). */
  enumAliases?: Record<string, string>;
  /** The subsystem reading it exists in Spinel (docs/configuration.md). */
  effective?: boolean;
}

// The table itself (every Redis 7.2 parameter) is PARAMS in src/config/params.ts.
