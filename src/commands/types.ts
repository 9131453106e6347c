// Shapes shared by the command table, the dispatcher and the family modules.
//
// A family module (strings.ts, keys.ts, ...) exports a HandlerMap: the lowercase
// command name ('get', or 'config|get' for a subcommand) to its handler. The
// table (table.ts) joins each handler with its metadata (meta.ts); a command
// without a handler is not in the table and answers like an unknown command.

import type { Client } from '../server/client.js';
import type { MetaEntry } from './meta.js';

export type Handler = (c: Client, argv: string[]) => void;
export type HandlerMap = Record<string, Handler>;
/** Key argument positions for commands whose key specs cannot find them (movablekeys). */
export type GetKeys = (argv: string[]) => number[];

/** The flags of a command for these arguments (see Command.dynamicFlags). */
export type DynamicFlags = (cmd: Command, c: Client, argv: string[]) => number;

/** Bit flags for the checks the dispatcher makes on every call. */
export const enum CmdFlag {
  Write = 1 << 0,
  ReadOnly = 1 << 1,
  DenyOom = 1 << 2,
  Admin = 1 << 3,
  PubSub = 1 << 4,
  NoScript = 1 << 5,
  Blocking = 1 << 6,
  Loading = 1 << 7,
  Stale = 1 << 8,
  SkipMonitor = 1 << 9,
  SkipSlowlog = 1 << 10,
  Fast = 1 << 11,
  NoAuth = 1 << 12,
  MayReplicate = 1 << 13,
  NoMulti = 1 << 14,
  AllowBusy = 1 << 15,
  NoPropagate = 1 << 16,
  MovableKeys = 1 << 17,
  /** Redis's internal CMD_TOUCHES_ARBITRARY_KEYS (not in COMMAND INFO): SCAN and RANDOMKEY. */
  TouchesArbitraryKeys = 1 << 18,
  /** EVAL_RO, EVALSHA_RO, FCALL_RO: read-only, but client-side caching tracks the keys their commands read, not theirs. */
  ScriptRo = 1 << 19,
}

/**
 * Commands that may reap any number of unrelated expired keys: run alone,
 * their DELs are propagated one by one, not as a MULTI/EXEC block.
 */
const TOUCHES_ARBITRARY_KEYS = new Set(['scan', 'randomkey']);

export const FLAG_BITS: Record<string, number> = {
  write: CmdFlag.Write,
  readonly: CmdFlag.ReadOnly,
  denyoom: CmdFlag.DenyOom,
  admin: CmdFlag.Admin,
  pubsub: CmdFlag.PubSub,
  noscript: CmdFlag.NoScript,
  blocking: CmdFlag.Blocking,
  loading: CmdFlag.Loading,
  stale: CmdFlag.Stale,
  skip_monitor: CmdFlag.SkipMonitor,
  skip_slowlog: CmdFlag.SkipSlowlog,
  fast: CmdFlag.Fast,
  no_auth: CmdFlag.NoAuth,
  may_replicate: CmdFlag.MayReplicate,
  no_multi: CmdFlag.NoMulti,
  allow_busy: CmdFlag.AllowBusy,
  no_propagate: CmdFlag.NoPropagate,
  movablekeys: CmdFlag.MovableKeys,
};

/** Runtime statistics per command (INFO commandstats, latencystats). */
export class CommandStats {
  calls = 0;
  usec = 0;
  rejectedCalls = 0;
  failedCalls = 0;
  /** Latency histogram (HdrHistogram layout over ns, see src/server/latency.ts). Allocated on first call. */
  hist: Float64Array | null = null;

  reset(): void {
    this.calls = this.usec = this.rejectedCalls = this.failedCalls = 0;
    this.hist = null;
  }
}

/** A command table entry, ready for dispatch. */
export class Command {
  /** Full name as Redis reports it: 'get', 'config|get'. */
  readonly fullName: string;
  /** The name alone: 'get', 'get' for 'config|get'. */
  readonly name: string;
  readonly arity: number;
  readonly flagBits: number;
  readonly stats = new CommandStats();
  subcommands: Map<string, Command> | null = null;
  /** The command's bit in ACL selectors (src/server/acl.ts numbers the table). */
  aclId = -1;
  /**
   * Flags that depend on the arguments (Redis's getCommandFlags): a script
   * with a shebang is a write / deny-oom command or not by its own flags.
   * The dispatcher's OOM and CLIENT PAUSE checks use them.
   */
  dynamicFlags: DynamicFlags | null = null;

  constructor(
    fullName: string,
    public readonly meta: MetaEntry,
    public readonly handler: Handler | null,
    public readonly parent: Command | null,
    public readonly getKeys: GetKeys | null,
  ) {
    this.fullName = fullName;
    this.name = parent ? fullName.slice(fullName.indexOf('|') + 1) : fullName;
    this.arity = meta.arity;
    let bits = 0;
    for (const f of meta.flags) bits |= FLAG_BITS[f] ?? 0;
    if (TOUCHES_ARBITRARY_KEYS.has(fullName)) bits |= CmdFlag.TouchesArbitraryKeys;
    if (fullName === 'eval_ro' || fullName === 'evalsha_ro' || fullName === 'fcall_ro') bits |= CmdFlag.ScriptRo;
    this.flagBits = bits;
  }

  has(flag: CmdFlag): boolean {
    return (this.flagBits & flag) !== 0;
  }

  /** Name used in errors and stats: 'config|get' for subcommands. */
  get displayName(): string {
    return this.fullName;
  }
}
