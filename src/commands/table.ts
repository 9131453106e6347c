// The one command table: every implemented command joined with its metadata.
// COMMAND, arity checks, ACL categories, key extraction, WATCH and cluster
// slot checks all read this table.

import { Command, type HandlerMap, type GetKeys } from './types.js';
import { ALL_META, type MetaEntry } from './meta.js';
import { handlers as connection } from './connection.js';
import { handlers as strings } from './strings.js';
import { handlers as keys } from './keys.js';
import { handlers as config } from './config.js';
import { handlers as server } from './server.js';
import { handlers as client } from './client.js';
import { handlers as command, getKeysOverrides } from './command.js';
import { handlers as lists } from './lists.js';
import { handlers as hashes } from './hashes.js';
import { handlers as sets } from './sets.js';
import { handlers as zsets } from './zsets.js';
import { handlers as streams } from './streams.js';
import { handlers as sort } from './sort.js';
import { handlers as geo } from './geo.js';
import { handlers as admin } from './admin.js';
import { handlers as debug } from './debug.js';
import { handlers as blocking } from './blocking.js';
import { handlers as bitops } from './bitops.js';
import { handlers as hyperloglog } from './hyperloglog.js';
import { handlers as multi } from './multi.js';
import { handlers as pubsub } from './pubsub.js';
import { handlers as tracking } from './tracking.js';
import { handlers as dump } from './dump.js';
import { handlers as persistence } from './persistence.js';
import { handlers as acl } from './acl.js';
import { handlers as scripting, scriptDynamicFlags } from './scripting.js';

const FAMILIES: HandlerMap[] = [
  connection, strings, keys, config, server, client, command, lists, hashes, sets, zsets, streams, sort, geo, admin,
  debug, blocking, bitops, hyperloglog, multi, pubsub, tracking, dump, persistence, acl, scripting,
];

export class CommandTable {
  /** Lowercase top-level name -> command. */
  readonly byName = new Map<string, Command>();
  /** Also indexed by the exact spellings clients commonly send ('GET'), to skip lowercasing. */
  private readonly fast = new Map<string, Command>();

  constructor(families: HandlerMap[], getKeys: Record<string, GetKeys>) {
    const all: HandlerMap = {};
    for (const f of families) {
      for (const [name, h] of Object.entries(f)) {
        if (all[name]) throw new Error(`command ${name} registered twice`);
        all[name] = h;
      }
    }
    for (const [name, h] of Object.entries(all)) {
      const bar = name.indexOf('|');
      if (bar >= 0) continue;
      const meta = ALL_META[name];
      if (!meta) throw new Error(`command ${name} has no metadata`);
      this.add(new Command(name, meta, h, null, getKeys[name] ?? null));
    }
    for (const [name, h] of Object.entries(all)) {
      const bar = name.indexOf('|');
      if (bar < 0) continue;
      const parentName = name.slice(0, bar);
      const parentMeta: MetaEntry | undefined = ALL_META[parentName];
      const meta = parentMeta?.subcommands?.[name];
      if (!parentMeta || !meta) throw new Error(`subcommand ${name} has no metadata`);
      let parent = this.byName.get(parentName);
      if (!parent) {
        parent = new Command(parentName, parentMeta, null, null, null);
        parent.subcommands = new Map();
        this.add(parent);
      }
      if (!parent.subcommands) parent.subcommands = new Map();
      parent.subcommands.set(name.slice(bar + 1), new Command(name, meta, h, parent, getKeys[name] ?? null));
    }
    for (const [name, f] of Object.entries(scriptDynamicFlags)) {
      const cmd = this.byName.get(name);
      if (cmd !== undefined) cmd.dynamicFlags = f;
    }
  }

  /**
   * The config file's `rename-command from to` ('' removes the command).
   * Returns Redis's error text or null. The table is shared by the servers of
   * a process, so only spinel-server's main() calls this.
   */
  rename(from: string, to: string): string | null {
    const cmd = this.byName.get(from.toLowerCase());
    if (!cmd) return 'No such command in rename-command';
    if (to !== '' && this.byName.has(to.toLowerCase())) return 'Target command name already exists';
    this.lastName = '';
    this.byName.delete(cmd.fullName);
    this.fast.delete(cmd.fullName);
    this.fast.delete(cmd.fullName.toUpperCase());
    if (to !== '') {
      this.byName.set(to.toLowerCase(), cmd);
      this.fast.set(to.toLowerCase(), cmd);
    }
    return null;
  }

  private add(cmd: Command): void {
    this.byName.set(cmd.fullName, cmd);
    this.fast.set(cmd.fullName, cmd);
    this.fast.set(cmd.fullName.toUpperCase(), cmd);
  }

  /** Looks up a top-level command by the name as sent (any case). */
  lookup(name: string): Command | undefined {
    // Pipelines repeat one command: the parser hands out the same name string
    // each time, so an identity check usually answers before the Map.
    if (name === this.lastName) return this.lastCmd;
    const cmd = this.fast.get(name) ?? this.byName.get(name.toLowerCase());
    if (cmd !== undefined) {
      this.lastName = name;
      this.lastCmd = cmd;
    }
    return cmd;
  }
  private lastName = '';
  private lastCmd: Command | undefined = undefined;

  /** Looks up 'name' or 'container|sub' by full name, lowercase. */
  lookupFull(fullName: string): Command | undefined {
    const bar = fullName.indexOf('|');
    if (bar < 0) return this.byName.get(fullName);
    return this.byName.get(fullName.slice(0, bar))?.subcommands?.get(fullName.slice(bar + 1));
  }

  /** Every command and subcommand. */
  *all(): Iterable<Command> {
    for (const c of this.byName.values()) {
      yield c;
      if (c.subcommands) yield* c.subcommands.values();
    }
  }
}

let table: CommandTable | null = null;
/** The table, built on first use from every family module. */
export function commandTable(): CommandTable {
  if (!table) table = new CommandTable(FAMILIES, getKeysOverrides);
  return table;
}
