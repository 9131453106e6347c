// Access control lists (Redis 7.2's ACL v2): users, their selectors and
// rules, the permission check the dispatcher runs before every command, the
// ACL log, and the ACL file. The ACL commands are in src/commands/acl.ts.
//
// A user has flags (on/off, nopass, sanitize-payload), SHA-256 password
// hashes (never the passwords) and a list of selectors, the first being the
// root one that plain rules change; `(...)` adds another. A command runs if
// any selector allows it: the command (a bitmap over the command table, plus
// allowed first arguments for `+select|0`-style rules), its keys (by the
// command's key specs: read keys need an R pattern, written keys a W one) and
// its pub/sub channels. Command rules are also kept as the list of `+x`/`-x`
// tokens that produced them (Redis's command_rules), which is what ACL LIST
// and GETUSER print.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Server } from './server.js';
import { ClientFlag, type Client } from './client.js';
import { CmdFlag, Command } from '../commands/types.js';
import { ALL_META } from '../commands/meta.js';
import { getKeysWithFlags, commandHasKeys, type KeyRef } from '../commands/command.js';
import { globMatch } from '../util/glob.js';
import { splitArgs } from '../cli/splitargs.js';
import { clientInfoString } from '../commands/client.js';

/** Outcome of a permission check (Redis's ACL_OK / ACL_DENIED_*: the order picks the reported error). */
export const enum AclResult {
  Ok = 0,
  DeniedCmd = 1,
  DeniedKey = 2,
  DeniedAuth = 3,
  DeniedChannel = 4,
}

/** Where a denial happened (ACL LOG context). */
export const enum AclContext {
  Toplevel = 0,
  Multi = 1,
  Lua = 2,
  Module = 3,
}

const enum UserFlag {
  Enabled = 1,
  Disabled = 2,
  NoPass = 4,
  SkipSanitize = 8,
  Sanitize = 16,
}

/** The flags in the order ACL LIST and GETUSER print them. */
const USER_FLAG_NAMES: [string, number][] = [
  ['on', UserFlag.Enabled],
  ['off', UserFlag.Disabled],
  ['nopass', UserFlag.NoPass],
  ['skip-sanitize-payload', UserFlag.SkipSanitize],
  ['sanitize-payload', UserFlag.Sanitize],
];

const enum SelFlag {
  Root = 1,
  AllKeys = 2,
  AllCommands = 4,
  AllChannels = 8,
}

const PERM_READ = 1;
const PERM_WRITE = 2;
const PERM_ALL = 3;

/** Redis 7.2's categories, in ACL CAT's order. */
export const ACL_CATEGORIES = [
  'keyspace', 'read', 'write', 'set', 'sortedset', 'list', 'hash', 'string', 'bitmap', 'hyperloglog', 'geo', 'stream',
  'pubsub', 'admin', 'fast', 'slow', 'blocking', 'dangerous', 'connection', 'transaction', 'scripting',
];

/** A failed rule: the reason as ACLSetUserStringError words it. */
export class AclRuleError extends Error {}

const E_UNKNOWN = 'Unknown command or category name in ACL';
const E_SYNTAX = 'Syntax error';
const E_ALLKEYS =
  "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns";
const E_ALLCHANNELS =
  "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels";
const E_NOPASS = 'The password you are trying to remove from the user does not exist';
const E_HASH = 'The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters';
const E_FIRSTARG_SUB = 'Allowing first-arg of a subcommand is not supported';

// ---------------------------------------------------------------------------
// Command ids: each command and subcommand of the table gets a bit.

interface CommandIndex {
  count: number;
  /** Category name -> commands in it (a container's category covers its subcommands, as Redis sets them). */
  byCategory: Map<string, Command[]>;
  /**
   * Redis 7.2's commands Spinel does not have (MEMORY, MIGRATE, ...), as
   * table-less entries: rules may name them, as in an ACL file written for
   * Redis, though they cannot run. Lowercase name -> command.
   */
  absent: Map<string, Command>;
}

let commandIndex: CommandIndex | null = null;

/** Ids for the (process-wide) command table and Redis's other commands, made on first use. */
function indexCommands(server: Server): CommandIndex {
  if (commandIndex !== null) return commandIndex;
  let n = 0;
  const byCategory = new Map<string, Command[]>();
  for (const cat of ACL_CATEGORIES) byCategory.set(cat, []);
  const add = (cmd: Command): void => {
    cmd.aclId = n++;
    for (const cat of cmd.meta.acl) byCategory.get(cat)?.push(cmd);
  };
  for (const cmd of server.commands.all()) add(cmd);
  const absent = new Map<string, Command>();
  for (const [name, meta] of Object.entries(ALL_META)) {
    let cmd = server.commands.lookupFull(name);
    if (cmd === undefined) {
      cmd = new Command(name, meta, null, null, null);
      add(cmd);
      absent.set(name, cmd);
    }
    for (const [subName, subMeta] of Object.entries(meta.subcommands ?? {})) {
      if (cmd.subcommands?.has(subName.slice(subName.indexOf('|') + 1))) continue;
      const sub = new Command(subName, subMeta, null, cmd, null);
      add(sub);
      // A table-less container holds its subcommands; a real one's missing ones are kept aside.
      if (absent.has(name)) (cmd.subcommands ??= new Map()).set(sub.name, sub);
      else absent.set(subName, sub);
    }
  }
  commandIndex = { count: n, byCategory, absent };
  return commandIndex;
}

export function sha256Hex(password: string): string {
  return crypto.createHash('sha256').update(password, 'latin1').digest('hex');
}

function validHash(h: string): boolean {
  return /^[0-9a-f]{64}$/.test(h);
}

/** Redis's ACLStringHasSpaces: spaces, tabs, newlines and NUL bytes are refused in names and patterns. */
export function hasSpaces(s: string): boolean {
  return /[ \t\n\v\f\r\0]/.test(s);
}

interface KeyPattern {
  pattern: string;
  flags: number;
  /** How to match: a glob, a literal prefix followed by `*`, or a literal. */
  kind: MatchKind;
  literal: string;
}

const enum MatchKind {
  Glob,
  Prefix,
  Exact,
}

/** Patterns without glob syntax but a final `*` (`app:*`) are a prefix test, without any a string compare. */
function compilePattern(pattern: string, flags: number): KeyPattern {
  const body = pattern.endsWith('*') ? pattern.slice(0, -1) : pattern;
  if (!/[*?[\\]/.test(body)) return { pattern, flags, kind: body.length === pattern.length ? MatchKind.Exact : MatchKind.Prefix, literal: body };
  return { pattern, flags, kind: MatchKind.Glob, literal: '' };
}

function patternMatches(p: KeyPattern, s: string): boolean {
  if (p.kind === MatchKind.Prefix) return s.startsWith(p.literal);
  if (p.kind === MatchKind.Exact) return s === p.literal;
  return globMatch(p.pattern, s);
}

const enum KeyPlanKind {
  None,
  /** One key at a fixed position, one permission. */
  Single,
  /** The key specs or the command's key finder, per call. */
  General,
}

interface KeyPlan {
  kind: KeyPlanKind;
  pos: number;
  perm: number;
}

const keyPlans: (KeyPlan | undefined)[] = [];
/** SET: one key, whose permission depends on the GET argument (its key spec has variable_flags). */
let setCommand: Command | null = null;

/** How the check finds a command's keys, worked out once per command. */
function keyPlan(cmd: Command): KeyPlan {
  let plan = keyPlans[cmd.aclId];
  if (plan !== undefined) return plan;
  plan = { kind: KeyPlanKind.General, pos: 0, perm: 0 };
  if (!commandHasKeys(cmd)) plan.kind = KeyPlanKind.None;
  else if (cmd.fullName === 'set') {
    setCommand = cmd;
    plan = { kind: KeyPlanKind.Single, pos: 1, perm: PERM_WRITE };
  } else {
    const specs = cmd.meta.keySpecs ?? [];
    const keyed = specs.filter((k) => !k.flags.includes('not_key'));
    const k = keyed[0];
    if (
      keyed.length === 1 && specs.length === 1 &&
      !k.flags.includes('variable_flags') && !k.flags.includes('incomplete') &&
      k.beginSearch.type === 'index' && k.findKeys.type === 'range' &&
      Number(k.findKeys.spec.lastkey) === 0 && Number(k.beginSearch.spec.index) > 0
    ) {
      plan = { kind: KeyPlanKind.Single, pos: Number(k.beginSearch.spec.index), perm: neededPerm(k.flags) };
    }
  }
  keyPlans[cmd.aclId] = plan;
  return plan;
}

/** SET's GET option (setGetKeys): the key is read too. */
function hasGetArg(argv: string[]): boolean {
  for (let i = 3; i < argv.length; i++) {
    const a = argv[i];
    if (a.length === 3 && a.toLowerCase() === 'get') return true;
  }
  return false;
}

function patternString(p: KeyPattern): string {
  return (p.flags === PERM_ALL ? '~' : p.flags === PERM_READ ? '%R~' : '%W~') + p.pattern;
}

export class Selector {
  flags: number;
  /** One byte per command id: 1 allowed. */
  allowed: Uint8Array;
  /** Set by +@all (allcommands), cleared by -@all: ACL LIST starts with +@all (Redis's reserved bit). */
  future = false;
  /** Command id -> allowed first arguments (lowercase), for `+select|0` on commands without subcommands. */
  firstArgs: Map<number, string[]> | null = null;
  patterns: KeyPattern[] = [];
  channels: string[] = [];
  /** The command rules as given, each `+name` or `-name` (lowercase), latest last. */
  rules: string[] = [];

  constructor(flags: number, size: number) {
    this.flags = flags;
    this.allowed = new Uint8Array(size);
  }

  clone(): Selector {
    const s = new Selector(this.flags, 0);
    s.allowed = this.allowed.slice();
    s.future = this.future;
    if (this.firstArgs !== null) {
      s.firstArgs = new Map();
      for (const [k, v] of this.firstArgs) s.firstArgs.set(k, [...v]);
    }
    s.patterns = this.patterns.map((p) => ({ ...p }));
    s.channels = [...this.channels];
    s.rules = [...this.rules];
    return s;
  }

  get unrestricted(): boolean {
    return (this.flags & (SelFlag.AllKeys | SelFlag.AllCommands | SelFlag.AllChannels)) === (SelFlag.AllKeys | SelFlag.AllCommands | SelFlag.AllChannels);
  }
}

export class User {
  flags = UserFlag.Disabled | UserFlag.Sanitize;
  passwords: string[] = [];
  selectors: Selector[];
  /** The root selector allows every command, key and channel: the check is skipped. */
  unrestricted = false;
  private described: string | null = null;

  constructor(
    public name: string,
    private readonly acl: Acl,
  ) {
    this.selectors = [acl.newSelector(SelFlag.Root)];
  }

  get enabled(): boolean {
    return (this.flags & UserFlag.Enabled) !== 0;
  }
  get nopass(): boolean {
    return (this.flags & UserFlag.NoPass) !== 0;
  }

  /** Copies another user's flags, passwords and selectors (Redis's ACLCopyUser). */
  copyFrom(o: User): void {
    this.flags = o.flags;
    this.passwords = [...o.passwords];
    this.selectors = o.selectors.map((s) => s.clone());
    this.changed();
  }

  changed(): void {
    this.described = null;
    this.unrestricted = this.selectors[0].unrestricted;
  }

  /** Applies one rule (Redis's ACLSetUser); throws AclRuleError. */
  apply(op: string): void {
    this.described = null;
    try {
      this.applyRule(op);
    } finally {
      this.changed();
    }
  }

  private applyRule(op: string): void {
    if (op.length === 0) return;
    const lower = op.toLowerCase();
    switch (lower) {
      case 'on':
        this.flags = (this.flags | UserFlag.Enabled) & ~UserFlag.Disabled;
        return;
      case 'off':
        this.flags = (this.flags | UserFlag.Disabled) & ~UserFlag.Enabled;
        return;
      case 'skip-sanitize-payload':
        this.flags = (this.flags | UserFlag.SkipSanitize) & ~UserFlag.Sanitize;
        return;
      case 'sanitize-payload':
        this.flags = (this.flags | UserFlag.Sanitize) & ~UserFlag.SkipSanitize;
        return;
      case 'nopass':
        this.flags |= UserFlag.NoPass;
        this.passwords = [];
        return;
      case 'resetpass':
        this.flags &= ~UserFlag.NoPass;
        this.passwords = [];
        return;
      case 'clearselectors':
        this.selectors.length = 1;
        return;
      case 'reset':
        this.applyRule('resetpass');
        this.applyRule('resetkeys');
        this.applyRule('resetchannels');
        if (this.acl.pubsubDefault & SelFlag.AllChannels) this.applyRule('allchannels');
        this.applyRule('off');
        this.applyRule('sanitize-payload');
        this.applyRule('clearselectors');
        this.applyRule('-@all');
        return;
    }
    const c0 = op[0];
    if (c0 === '>' || c0 === '#') {
      let hash: string;
      if (c0 === '>') hash = sha256Hex(op.slice(1));
      else {
        hash = op.slice(1);
        if (!validHash(hash)) throw new AclRuleError(E_HASH);
      }
      if (!this.passwords.includes(hash)) this.passwords.push(hash);
      this.flags &= ~UserFlag.NoPass;
      return;
    }
    if (c0 === '<' || c0 === '!') {
      let hash: string;
      if (c0 === '<') hash = sha256Hex(op.slice(1));
      else {
        hash = op.slice(1);
        if (!validHash(hash)) throw new AclRuleError(E_HASH);
      }
      const i = this.passwords.indexOf(hash);
      if (i < 0) throw new AclRuleError(E_NOPASS);
      this.passwords.splice(i, 1);
      return;
    }
    if (c0 === '(' && op[op.length - 1] === ')') {
      const s = this.acl.newSelector(0);
      const args = splitArgs(op.slice(1, -1)) ?? [];
      for (const a of args) this.acl.applySelectorRule(s, a);
      this.selectors.push(s);
      return;
    }
    this.acl.applySelectorRule(this.selectors[0], op);
  }

  /** The user's rules as ACL LIST prints them (after `user <name> `). */
  describe(): string {
    if (this.described !== null) return this.described;
    let res = '';
    for (const [name, flag] of USER_FLAG_NAMES) if ((this.flags & flag) !== 0) res += name + ' ';
    for (const p of this.passwords) res += '#' + p + ' ';
    for (const s of this.selectors) {
      const d = this.acl.describeSelector(s);
      res += (s.flags & SelFlag.Root) !== 0 ? d : ` (${d})`;
    }
    this.described = res;
    return res;
  }

  flagNames(): string[] {
    const out: string[] = [];
    for (const [name, flag] of USER_FLAG_NAMES) if ((this.flags & flag) !== 0) out.push(name);
    return out;
  }
}

/** An ACL LOG entry. */
export interface AclLogEntry {
  count: number;
  reason: AclResult;
  context: AclContext;
  object: string;
  username: string;
  /** Last occurrence (ms). */
  ctime: number;
  created: number;
  clientInfo: string;
  entryId: number;
}

/** Redis groups a repeated denial into one entry within this many ms. */
const LOG_GROUPING_MS = 60000;

/** Channel arguments of the pub/sub commands (Redis's commands_with_channels): first, last (-1: to the end), pattern. */
const CHANNEL_ARGS: Record<string, [number, boolean]> = {
  subscribe: [-1, false],
  ssubscribe: [-1, false],
  psubscribe: [-1, true],
  publish: [1, false],
  spublish: [1, false],
};

/** Key spec flags -> the permission they need (access: read; insert, delete, update: write). */
const permCache = new WeakMap<readonly string[], number>();
function neededPerm(flags: readonly string[]): number {
  let p = permCache.get(flags);
  if (p === undefined) {
    p = 0;
    for (const f of flags) {
      const l = f.toLowerCase();
      if (l === 'access') p |= PERM_READ;
      else if (l === 'insert' || l === 'delete' || l === 'update') p |= PERM_WRITE;
    }
    permCache.set(flags, p);
  }
  return p;
}

export interface AclCheck {
  result: AclResult;
  /** Argument index of the denied key or channel (0 for a command). */
  index: number;
}

export class Acl {
  readonly users = new Map<string, User>();
  readonly defaultUser: User;
  readonly log: AclLogEntry[] = [];
  private nextEntryId = 0;
  /** SelFlag.AllChannels when acl-pubsub-default is allchannels. */
  pubsubDefault = 0;
  /** Denials, INFO stats (acl_access_denied_*). */
  deniedAuth = 0;
  deniedCmd = 0;
  deniedKey = 0;
  deniedChannel = 0;
  /** Unauthenticated clients need AUTH: the default user has a password or is off (Redis's authRequired). */
  authRequired = false;
  readonly index: CommandIndex;

  constructor(readonly server: Server) {
    this.index = indexCommands(server);
    const cfg = server.config;
    this.pubsubDefault = cfg.str('acl-pubsub-default') === 'allchannels' ? SelFlag.AllChannels : 0;
    cfg.onChange('acl-pubsub-default', (_, v) => (this.pubsubDefault = v === 'allchannels' ? SelFlag.AllChannels : 0));
    this.defaultUser = this.createDefaultUser();
    this.users.set('default', this.defaultUser);
    this.setDefaultPassword(cfg.str('requirepass'));
    cfg.onChange('requirepass', (_, v) => this.setDefaultPassword(v as string));
  }

  private createDefaultUser(): User {
    const u = new User('default', this);
    for (const r of ['+@all', '~*', '&*', 'on', 'nopass']) u.apply(r);
    return u;
  }

  newSelector(flags: number): Selector {
    return new Selector(flags | this.pubsubDefault, this.index.count);
  }

  /** requirepass: the default user's only password ('' makes it nopass). */
  setDefaultPassword(pass: string): void {
    const u = this.defaultUser;
    u.apply('resetpass');
    u.apply(pass === '' ? 'nopass' : '>' + pass);
    this.defaultChanged();
  }

  /** Recomputes authRequired after the default user changed. */
  defaultChanged(): void {
    const d = this.defaultUser;
    const req = !d.nopass || !d.enabled;
    if (req === this.authRequired) return;
    this.authRequired = req;
    for (const c of this.server.clients.values()) c.parser.limits.authenticated = c.authenticated || !req;
  }

  getUser(name: string): User | undefined {
    return this.users.get(name);
  }

  // -------------------------------------------------------------------------
  // Rules

  /** Looks a command up as ACL rules name it ('get', 'config|get'); strict: no extra levels. */
  lookupCommand(name: string): Command | undefined {
    const parts = name.split('|');
    if (parts.length > 2) return undefined;
    const absent = this.index.absent;
    const base = this.server.commands.lookup(parts[0]) ?? absent.get(parts[0].toLowerCase());
    if (base === undefined) return undefined;
    if (parts.length === 1) return base;
    if (base.subcommands === null) return undefined;
    const sub = parts[1].toLowerCase();
    return base.subcommands.get(sub) ?? absent.get(base.fullName + '|' + sub);
  }

  private setBit(s: Selector, cmd: Command, allow: boolean): void {
    s.allowed[cmd.aclId] = allow ? 1 : 0;
    if (!allow) s.flags &= ~SelFlag.AllCommands;
  }

  /** Allows or denies a command and its subcommands; forgets its allowed first args (ACLChangeSelectorPerm). */
  private changePerm(s: Selector, cmd: Command, allow: boolean): void {
    this.setBit(s, cmd, allow);
    if (s.firstArgs !== null) s.firstArgs.delete(cmd.aclId);
    if (cmd.subcommands !== null) for (const sub of cmd.subcommands.values()) this.setBit(s, sub, allow);
    const meta = cmd.meta.subcommands;
    if (meta !== undefined) {
      for (const subName of Object.keys(meta)) {
        const sub = this.index.absent.get(subName);
        if (sub !== undefined) this.setBit(s, sub, allow);
      }
    }
  }

  /** Keeps the rule list reproducible: a rule replaces an earlier one with the same name (ACLUpdateCommandRules). */
  private updateRules(s: Selector, name: string, allow: boolean): void {
    const n = name.toLowerCase();
    // A whole command's rule also replaces the rules of its subcommands and first args.
    const whole = n[0] !== '@' && !n.includes('|') ? n + '|' : null;
    s.rules = s.rules.filter((r) => r.slice(1) !== n && (whole === null || !r.startsWith(whole, 1)));
    s.rules.push((allow ? '+' : '-') + n);
  }

  private setAll(s: Selector, allow: boolean): void {
    s.allowed.fill(allow ? 1 : 0);
    s.future = allow;
    if (allow) s.flags |= SelFlag.AllCommands;
    else s.flags &= ~SelFlag.AllCommands;
    s.rules = [];
    s.firstArgs = null;
  }

  /** Applies a selector rule (Redis's ACLSetSelector); throws AclRuleError. */
  applySelectorRule(s: Selector, op: string): void {
    const lower = op.toLowerCase();
    if (lower === 'allkeys' || op === '~*') {
      s.flags |= SelFlag.AllKeys;
      s.patterns = [];
    } else if (lower === 'resetkeys') {
      s.flags &= ~SelFlag.AllKeys;
      s.patterns = [];
    } else if (lower === 'allchannels' || op === '&*') {
      s.flags |= SelFlag.AllChannels;
      s.channels = [];
    } else if (lower === 'resetchannels') {
      s.flags &= ~SelFlag.AllChannels;
      s.channels = [];
    } else if (lower === 'allcommands' || lower === '+@all') {
      this.setAll(s, true);
    } else if (lower === 'nocommands' || lower === '-@all') {
      this.setAll(s, false);
    } else if (op[0] === '~' || op[0] === '%') {
      if ((s.flags & SelFlag.AllKeys) !== 0) throw new AclRuleError(E_ALLKEYS);
      let flags = 0;
      let offset = 1;
      if (op[0] === '%') {
        for (; offset < op.length; offset++) {
          const ch = op[offset].toUpperCase();
          if (ch === 'R' && (flags & PERM_READ) === 0) flags |= PERM_READ;
          else if (ch === 'W' && (flags & PERM_WRITE) === 0) flags |= PERM_WRITE;
          else if (op[offset] === '~') {
            offset++;
            break;
          } else throw new AclRuleError(E_SYNTAX);
        }
        // Redis refuses `%~pattern`; a lone `%` it accepts and then crashes on (a pattern with no
        // permission cannot be printed): both are syntax errors here.
        if (flags === 0) throw new AclRuleError(E_SYNTAX);
      } else flags = PERM_ALL;
      const pattern = op.slice(offset);
      if (hasSpaces(pattern)) throw new AclRuleError(E_SYNTAX);
      if (pattern === '*' && flags === PERM_ALL) {
        s.flags |= SelFlag.AllKeys;
        s.patterns = [];
      } else {
        const old = s.patterns.find((p) => p.pattern === pattern);
        if (old !== undefined) old.flags |= flags;
        else s.patterns.push(compilePattern(pattern, flags));
      }
    } else if (op[0] === '&') {
      if ((s.flags & SelFlag.AllChannels) !== 0) throw new AclRuleError(E_ALLCHANNELS);
      const ch = op.slice(1);
      if (hasSpaces(ch)) throw new AclRuleError(E_SYNTAX);
      if (!s.channels.includes(ch)) s.channels.push(ch);
    } else if ((op[0] === '+' || op[0] === '-') && op[1] === '@') {
      const allow = op[0] === '+';
      const cmds = this.index.byCategory.get(op.slice(2).toLowerCase());
      if (cmds === undefined) throw new AclRuleError(E_UNKNOWN);
      for (const cmd of cmds) this.changePerm(s, cmd, allow);
      this.updateRules(s, op.slice(1), allow);
    } else if (op[0] === '+') {
      const name = op.slice(1);
      const bar = name.lastIndexOf('|');
      if (bar < 0) {
        const cmd = this.lookupCommand(name);
        if (cmd === undefined) throw new AclRuleError(E_UNKNOWN);
        this.changePerm(s, cmd, true);
        this.updateRules(s, cmd.fullName, true);
        return;
      }
      const base = this.lookupCommand(name.slice(0, bar));
      const sub = name.slice(bar + 1);
      if (base === undefined) throw new AclRuleError(E_UNKNOWN);
      if (base.parent !== null) throw new AclRuleError(E_FIRSTARG_SUB);
      if (sub.length === 0) throw new AclRuleError(E_SYNTAX);
      if (base.subcommands !== null) {
        const cmd = this.lookupCommand(name);
        if (cmd === undefined) throw new AclRuleError(E_UNKNOWN);
        this.changePerm(s, cmd, true);
      } else {
        this.server.log.warning(
          `Deprecation warning: Allowing a first arg of an otherwise blocked command is a misuse of ACL and may get disabled in the future (offender: ${op})`,
        );
        if (s.firstArgs === null) s.firstArgs = new Map();
        let list = s.firstArgs.get(base.aclId);
        if (list === undefined) s.firstArgs.set(base.aclId, (list = []));
        const l = sub.toLowerCase();
        if (!list.includes(l)) list.push(l);
      }
      this.updateRules(s, name, true);
    } else if (op[0] === '-') {
      const cmd = this.lookupCommand(op.slice(1));
      if (cmd === undefined) throw new AclRuleError(E_UNKNOWN);
      this.changePerm(s, cmd, false);
      this.updateRules(s, cmd.fullName, false);
    } else {
      throw new AclRuleError(E_SYNTAX);
    }
  }

  describeCommandRules(s: Selector): string {
    let out = s.future ? '+@all' : '-@all';
    for (const r of s.rules) out += ' ' + r;
    return out;
  }

  describeSelector(s: Selector): string {
    let res = '';
    if ((s.flags & SelFlag.AllKeys) !== 0) res += '~* ';
    else for (const p of s.patterns) res += patternString(p) + ' ';
    if ((s.flags & SelFlag.AllChannels) !== 0) res += '&* ';
    else {
      res += 'resetchannels ';
      for (const ch of s.channels) res += '&' + ch + ' ';
    }
    return res + this.describeCommandRules(s);
  }

  /** GETUSER's selector fields: commands, keys, channels. */
  selectorFields(s: Selector): [string, string][] {
    const keys = (s.flags & SelFlag.AllKeys) !== 0 ? '~*' : s.patterns.map(patternString).join(' ');
    const channels = (s.flags & SelFlag.AllChannels) !== 0 ? '&*' : s.channels.map((ch) => '&' + ch).join(' ');
    return [
      ['commands', this.describeCommandRules(s)],
      ['keys', keys],
      ['channels', channels],
    ];
  }

  // -------------------------------------------------------------------------
  // SETUSER, DELUSER

  /**
   * Applies rules to a user, creating it if needed, all or nothing (Redis's
   * ACLStringSetUser). Returns the error text or null.
   */
  setUser(name: string, rules: string[]): string | null {
    const merged = mergeSelectorArgs(rules);
    if (typeof merged === 'number') return `Unmatched parenthesis in acl selector starting at '${rules[merged]}'.`;
    const existing = this.users.get(name);
    const temp = new User(name, this);
    if (existing !== undefined) temp.copyFrom(existing);
    for (const op of merged) {
      try {
        temp.apply(op);
      } catch (e) {
        if (!(e instanceof AclRuleError)) throw e;
        return `Error in ACL SETUSER modifier '${op}': ${e.message}`;
      }
    }
    if (existing !== undefined) {
      this.killPubsubClientsIfNeeded(temp, existing);
      existing.copyFrom(temp);
      if (existing === this.defaultUser) this.defaultChanged();
    } else {
      this.users.set(name, temp);
    }
    return null;
  }

  /** Disconnects the clients authenticated as a user that is gone (Redis's ACLFreeUserAndKillClients). */
  killClientsOf(u: User): void {
    const server = this.server;
    for (const c of server.clients.values()) {
      if (c.aclUser !== u) continue;
      c.setUser(this.defaultUser, 'default');
      c.setAuthenticated(false);
      if (c === server.currentClient) c.flags |= ClientFlag.CloseAfterReply;
      else c.closeAsync();
    }
  }

  deleteUser(name: string): boolean {
    const u = this.users.get(name);
    if (u === undefined) return false;
    this.users.delete(name);
    this.killClientsOf(u);
    return true;
  }

  /** Subscribers that lost access to one of their channels are disconnected (ACLKillPubsubClientsIfNeeded). */
  private killPubsubClientsIfNeeded(next: User, orig: User): void {
    const ps = this.server.pubsub;
    if (ps.channels.size === 0 && ps.patterns.size === 0 && ps.shardChannels.size === 0) return;
    for (const s of next.selectors) if ((s.flags & SelFlag.AllChannels) !== 0) return;
    const upcoming: string[] = [];
    for (const s of next.selectors) upcoming.push(...s.channels);
    let match = true;
    for (const s of orig.selectors) {
      if ((s.flags & SelFlag.AllChannels) !== 0 || !s.channels.every((ch) => upcoming.includes(ch))) {
        match = false;
        break;
      }
    }
    if (match) return;
    for (const c of this.server.clients.values()) {
      if (c.aclUser !== orig || (c.flags & ClientFlag.PubSub) === 0 || c.pubsub === null) continue;
      let kill = false;
      const cps = c.pubsub;
      if (cps.patterns !== null) for (const p of cps.patterns.keys()) if (!channelAllowed(upcoming, p, true)) kill = true;
      if (!kill && cps.channels !== null) for (const ch of cps.channels.keys()) if (!channelAllowed(upcoming, ch, false)) kill = true;
      if (!kill && cps.shardChannels !== null) for (const ch of cps.shardChannels.keys()) if (!channelAllowed(upcoming, ch, false)) kill = true;
      if (kill) {
        if (c === this.server.currentClient) c.flags |= ClientFlag.CloseAfterReply;
        else c.closeAsync();
      }
    }
  }

  // -------------------------------------------------------------------------
  // Authentication

  /** Checks a username/password pair (ACLCheckUserCredentials): the user, or null. */
  checkCredentials(name: string, pass: string): User | null {
    const u = this.users.get(name);
    if (u === undefined || !u.enabled) return null;
    if (u.nopass) return u;
    const h = Buffer.from(sha256Hex(pass), 'latin1');
    let ok = false;
    // Every hash is compared (in constant time), so the timing tells nothing.
    for (const p of u.passwords) if (crypto.timingSafeEqual(h, Buffer.from(p, 'latin1'))) ok = true;
    return ok ? u : null;
  }

  /** AUTH / HELLO AUTH: authenticates the client or logs the failure. */
  authenticate(c: Client, name: string, pass: string): boolean {
    const u = this.checkCredentials(name, pass);
    if (u !== null) {
      c.setUser(u, name);
      c.setAuthenticated(true);
      return true;
    }
    this.addLogEntry(c, AclResult.DeniedAuth, (c.flags & ClientFlag.Multi) !== 0 ? AclContext.Multi : AclContext.Toplevel, 0, name, null);
    return false;
  }

  // -------------------------------------------------------------------------
  // Permission checks

  /** Whether a user may run a command with these arguments (ACLCheckAllUserCommandPerm). */
  check(u: User, cmd: Command, argv: string[]): AclCheck {
    const r = this.checkUser(u, cmd, argv);
    return { result: r, index: this.deniedIndex };
  }

  /** Argument index of the last denial checkUser reported (0 for a command). */
  private deniedIndex = 0;
  /** The keys of the call being checked, found once for every selector (null: not yet). */
  private keys: KeyRef[] | null = null;

  /** check() without allocation: the result, with the denied argument in deniedIndex. */
  private checkUser(u: User, cmd: Command, argv: string[]): AclResult {
    let relevant = AclResult.DeniedCmd;
    let lastIdx = 0;
    this.keys = null;
    const sels = u.selectors;
    for (let i = 0; i < sels.length; i++) {
      const r = this.checkSelector(sels[i], cmd, argv);
      if (r === AclResult.Ok) {
        this.keys = null;
        return r;
      }
      const idx = this.deniedIndex;
      if (r > relevant || (r === relevant && idx > lastIdx)) {
        relevant = r;
        lastIdx = idx;
      }
    }
    this.keys = null;
    this.deniedIndex = lastIdx;
    return relevant;
  }

  /** One selector's decision (ACLSelectorCheckCmd); a denied argument's index goes to deniedIndex. */
  private checkSelector(s: Selector, cmd: Command, argv: string[]): AclResult {
    this.deniedIndex = 0;
    if ((s.flags & SelFlag.AllCommands) === 0 && (cmd.flagBits & CmdFlag.NoAuth) === 0 && s.allowed[cmd.aclId] === 0) {
      const allowedArgs = s.firstArgs?.get(cmd.aclId);
      if (argv.length < 2 || allowedArgs === undefined) return AclResult.DeniedCmd;
      const arg = argv[cmd.parent !== null ? 2 : 1];
      if (arg === undefined || !allowedArgs.includes(arg.toLowerCase())) return AclResult.DeniedCmd;
    }
    if ((s.flags & SelFlag.AllKeys) === 0) {
      const plan = keyPlan(cmd);
      if (plan.kind === KeyPlanKind.Single && plan.pos < argv.length) {
        // One key at a fixed place (GET, SET without GET, INCR, HSET, ...): no key list.
        const perm = cmd === setCommand && hasGetArg(argv) ? PERM_READ | PERM_WRITE : plan.perm;
        if (!keyAllowed(s, argv[plan.pos], perm)) {
          this.deniedIndex = plan.pos;
          return AclResult.DeniedKey;
        }
      } else if (plan.kind !== KeyPlanKind.None) {
        let keys = this.keys;
        if (keys === null) keys = this.keys = getKeysWithFlags(cmd, argv);
        for (let i = 0; i < keys.length; i++) {
          const k = keys[i];
          if (!keyAllowed(s, argv[k.pos], neededPerm(k.flags))) {
            this.deniedIndex = k.pos;
            return AclResult.DeniedKey;
          }
        }
      }
    }
    if ((s.flags & SelFlag.AllChannels) === 0 && (cmd.flagBits & CmdFlag.PubSub) !== 0) {
      const spec = CHANNEL_ARGS[cmd.fullName];
      if (spec !== undefined) {
        const last = spec[0] < 0 ? argv.length - 1 : Math.min(spec[0], argv.length - 1);
        for (let i = 1; i <= last; i++) {
          if (!channelAllowed(s.channels, argv[i], spec[1])) {
            this.deniedIndex = i;
            return AclResult.DeniedChannel;
          }
        }
      }
    }
    return AclResult.Ok;
  }

  /** Whether a user has unrestricted key access for a command (SORT BY/GET, Redis's ACLUserCheckCmdWithUnrestrictedKeyAccess). */
  fullKeyAccess(u: User, cmd: Command, argv: string[], perm: number): boolean {
    for (const s of u.selectors) {
      if (this.checkSelector(s, cmd, argv) !== AclResult.Ok) continue;
      if ((s.flags & SelFlag.AllKeys) !== 0) return true;
      for (const p of s.patterns) if ((p.flags & perm) === perm && p.pattern === '*') return true;
    }
    return false;
  }

  /** The NOPERM message (getAclErrorMessage); verbose names the key or channel (DRYRUN, scripts). */
  errorMessage(r: AclResult, u: User, cmd: Command, arg: string, verbose: boolean): string {
    switch (r) {
      case AclResult.DeniedCmd:
        return `User ${u.name} has no permissions to run the '${cmd.fullName}' command`;
      case AclResult.DeniedKey:
        return verbose ? `User ${u.name} has no permissions to access the '${arg}' key` : 'No permissions to access a key';
      default:
        return verbose ? `User ${u.name} has no permissions to access the '${arg}' channel` : 'No permissions to access a channel';
    }
  }

  /**
   * The dispatcher's check (processCommand): null when allowed, else the
   * NOPERM error, after logging the denial.
   */
  readonly checkCommand = (c: Client, cmd: Command, argv: string[]): string | null => {
    c.lastCmd = cmd;
    const r = this.denial(c, c.aclUser, cmd, argv, (c.flags & ClientFlag.Multi) !== 0 ? AclContext.Multi : AclContext.Toplevel);
    return r === null ? null : 'NOPERM ' + this.errorMessage(r.result, c.aclUser!, cmd, argv[r.index], false);
  };

  /**
   * User `u` (c's, or the caller of c's script) checked against a command:
   * null when allowed, else the denial, logged for `c` under `context`
   * unless that is null.
   */
  denial(c: Client, u: User | null, cmd: Command, argv: string[], context: AclContext | null): AclCheck | null {
    if (u === null || u.unrestricted) return null;
    const result = this.checkUser(u, cmd, argv);
    if (result === AclResult.Ok) return null;
    const index = this.deniedIndex;
    if (context !== null) this.addLogEntry(c, result, context, index, null, null, cmd, argv);
    return { result, index };
  }

  /** EXEC re-checks each queued command: the rules may have changed since it was queued. */
  readonly checkAtExec = (c: Client, cmd: Command, argv: string[]): string | null => {
    const r = this.denial(c, c.aclUser, cmd, argv, AclContext.Multi);
    if (r === null) return null;
    const reason =
      r.result === AclResult.DeniedCmd
        ? 'no permission to execute the command or subcommand'
        : r.result === AclResult.DeniedKey
          ? 'no permission to touch the specified keys'
          : 'no permission to access one of the channels used as arguments';
    return (
      'NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. ' +
      'This command is no longer allowed for the following reason: ' +
      reason
    );
  };

  // -------------------------------------------------------------------------
  // ACL LOG

  addLogEntry(
    c: Client,
    reason: AclResult,
    context: AclContext,
    argpos: number,
    username: string | null,
    object: string | null,
    cmd: Command | null = c.cmd,
    argv: string[] = c.argv,
  ): void {
    switch (reason) {
      case AclResult.DeniedAuth:
        this.deniedAuth++;
        break;
      case AclResult.DeniedCmd:
        this.deniedCmd++;
        break;
      case AclResult.DeniedKey:
        this.deniedKey++;
        break;
      default:
        this.deniedChannel++;
    }
    if (object === null) {
      if (reason === AclResult.DeniedCmd) object = cmd?.fullName ?? '';
      else object = argv[argpos] ?? '';
    }
    const now = Date.now();
    const real = this.server.currentClient ?? c;
    const prevLast = real.lastCmd;
    if (real.cmd !== null && real.lastCmd === null) real.lastCmd = real.cmd;
    const info = clientInfoString(real, null);
    real.lastCmd = prevLast;
    const entry: AclLogEntry = {
      count: 1,
      reason,
      context,
      object,
      username: username ?? c.aclUser?.name ?? c.user,
      ctime: now,
      created: now,
      clientInfo: info,
      entryId: this.nextEntryId,
    };
    const log = this.log;
    for (let i = 0; i < log.length && i < 10; i++) {
      const e = log[i];
      if (e.reason === entry.reason && e.context === entry.context && e.object === entry.object && e.username === entry.username && now - e.ctime <= LOG_GROUPING_MS) {
        e.clientInfo = info;
        e.ctime = now;
        e.count++;
        log.splice(i, 1);
        log.unshift(e);
        return;
      }
    }
    this.nextEntryId++;
    log.unshift(entry);
    const max = this.server.config.num('acllog-max-len');
    if (log.length > max) log.length = max;
  }

  // -------------------------------------------------------------------------
  // Files

  /** `user` lines of the config file, applied at start (ACLLoadConfiguredUsers). Returns an error line or null. */
  loadConfiguredUsers(lines: string[][]): string | null {
    for (const rules of lines) {
      const name = rules[0];
      if (hasSpaces(name)) return 'Spaces not allowed in ACL usernames';
      let u = this.users.get(name);
      if (u === undefined) {
        u = new User(name, this);
        this.users.set(name, u);
      } else u.apply('reset');
      for (const r of rules.slice(1)) {
        try {
          u.apply(r);
        } catch (e) {
          if (!(e instanceof AclRuleError)) throw e;
          return `Error loading ACL rule '${r}' for the user named '${name}': ${e.message}`;
        }
      }
      if (!u.enabled) {
        this.server.log.notice(
          `The user '${name}' is disabled (there is no 'on' modifier in the user description). Make sure this is not a configuration error.`,
        );
      }
    }
    this.defaultChanged();
    return null;
  }

  /** Validates a config file `user` line (ACLAppendUserForLoading): the error text or null. */
  static validateUserLine(server: Server, rules: string[], seen: Set<string>): string | null {
    if (rules.length < 1) return 'Wrong format';
    const name = rules[0];
    if (seen.has(name)) return 'Duplicate user found. A user can only be defined once in config files';
    const merged = mergeSelectorArgs(rules.slice(1));
    if (typeof merged === 'number') return `Unmatched parenthesis in acl selector starting at '${rules[1 + merged]}'.`;
    const u = new User(name, server.acl);
    for (const op of merged) {
      try {
        u.apply(op);
      } catch (e) {
        if (!(e instanceof AclRuleError)) throw e;
        return e.message;
      }
    }
    seen.add(name);
    return null;
  }

  /** ACL LOAD (ACLLoadFromFile): all users replaced, or nothing changed. Returns the errors or null. */
  loadFromFile(file: string): string | null {
    let text: string;
    try {
      text = fs.readFileSync(file, 'latin1');
    } catch (e) {
      return `Error loading ACLs, opening file '${file}': ${strerrorOf(e)}`;
    }
    const users = new Map<string, User>();
    let errors = '';
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i].replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
      const linenum = i + 1;
      if (line === '') continue;
      const argv = splitArgs(line);
      if (argv === null) {
        errors += `${file}:${linenum}: unbalanced quotes in acl line. `;
        continue;
      }
      if (argv.length === 0) continue;
      if (argv[0] !== 'user' || argv.length < 2) {
        errors += `${file}:${linenum} should start with user keyword. `;
        continue;
      }
      if (hasSpaces(argv[1])) {
        errors += `'${file}:${linenum}: username '${argv[1]}' contains invalid characters. `;
        continue;
      }
      if (users.has(argv[1])) {
        errors += `WARNING: Duplicate user '${argv[1]}' found on line ${linenum}. `;
        continue;
      }
      const u = new User(argv[1], this);
      users.set(argv[1], u);
      const merged = mergeSelectorArgs(argv.slice(2));
      if (typeof merged === 'number') {
        errors += `${file}:${linenum}: Unmatched parenthesis in selector definition.`;
        continue;
      }
      let syntaxError = false;
      for (let op of merged) {
        op = op.replace(/^[\t\r\n]+|[\t\r\n]+$/g, '');
        try {
          u.apply(op);
        } catch (e) {
          if (!(e instanceof AclRuleError)) throw e;
          if (e.message === E_UNKNOWN) errors += `${file}:${linenum}: Error in applying operation '${op}': ${e.message}. `;
          else if (!syntaxError) {
            errors += `${file}:${linenum}: ${e.message}. `;
            syntaxError = true;
          }
        }
      }
    }
    if (errors !== '') return errors + 'WARNING: ACL errors detected, no change to the previously active ACL rules was performed';
    // The default user object stays (clients point at it); it takes the new rules.
    const newDefault = users.get('default') ?? this.createDefaultUser();
    const old = [...this.users.values()];
    this.users.clear();
    this.defaultUser.copyFrom(newDefault);
    users.set('default', this.defaultUser);
    for (const [n, u] of [...users].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) this.users.set(n, u);
    for (const u of old) if (u !== this.defaultUser) this.killClientsOf(u);
    this.defaultChanged();
    return null;
  }

  /** ACL SAVE: every user, in name order, written to a temporary file renamed over the ACL file. */
  saveToFile(file: string): boolean {
    let out = '';
    for (const u of this.sortedUsers()) out += `user ${u.name} ${u.describe()}\n`;
    const tmp = path.join(path.dirname(file), `${path.basename(file)}.tmp-${process.pid}-${Date.now()}`);
    try {
      fs.writeFileSync(tmp, out, 'latin1');
      fs.renameSync(tmp, file);
      return true;
    } catch (e) {
      this.server.log.warning(`Opening temp ACL file for ACL SAVE: ${strerrorOf(e)}`);
      try {
        fs.unlinkSync(tmp);
      } catch {
        /* not created */
      }
      return false;
    }
  }

  /** Users in name order (byte order, as Redis's radix tree). */
  sortedUsers(): User[] {
    return [...this.users.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

/** Joins the words of a `(...)` selector split over several arguments (ACLMergeSelectorArguments); the index of an unclosed one. */
export function mergeSelectorArgs(args: string[]): string[] | number {
  const out: string[] = [];
  let open = -1;
  let sel = '';
  for (let j = 0; j < args.length; j++) {
    const op = args[j];
    if (open === -1 && op[0] === '(' && op[op.length - 1] !== ')') {
      sel = op;
      open = j;
      continue;
    }
    if (open !== -1) {
      sel += ' ' + op;
      if (op[op.length - 1] === ')') {
        open = -1;
        out.push(sel);
      }
      continue;
    }
    out.push(op);
  }
  return open !== -1 ? open : out;
}

function keyAllowed(s: Selector, key: string, perm: number): boolean {
  const ps = s.patterns;
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i];
    if ((p.flags & perm) === perm && patternMatches(p, key)) return true;
  }
  return false;
}

/** Channel patterns (PSUBSCRIBE) must appear literally in the list; channels are matched against it. */
function channelAllowed(list: string[], channel: string, isPattern: boolean): boolean {
  for (const p of list) {
    if (isPattern ? p === channel : globMatch(p, channel)) return true;
  }
  return false;
}

function strerrorOf(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'No such file or directory';
  if (code === 'EACCES') return 'Permission denied';
  if (code === 'EISDIR') return 'Is a directory';
  return (e as Error).message;
}
