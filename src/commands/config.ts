// CONFIG GET / SET / RESETSTAT / REWRITE / HELP (config.c's config*Command).

import { TLS_CONTEXT_PARAMS } from '../server/tls.js';
import type { HandlerMap } from './types.js';
import { ClientFlag, type Client } from '../server/client.js';
import type { Server } from '../server/server.js';
import type { ConfigParam } from '../config/table.js';
import { ERR_SYNTAX, replyHelp } from './util.js';
import { globMatch } from '../util/glob.js';
import { rewriteConfigFile, type ExtraRewriter } from '../config/rewrite.js';

function isLocalClient(c: Client): boolean {
  if ((c.flags & ClientFlag.Unix) !== 0) return true;
  const a = c.addr;
  return a.startsWith('127.') || a.startsWith('[::1]') || a.startsWith('::1') || a.startsWith('::ffff:127.');
}

/** allowProtectedAction(): 'yes', or 'local' from a local connection. */
export function allowProtectedAction(setting: string, c: Client): boolean {
  return setting === 'yes' || (setting === 'local' && isLocalClient(c));
}

function configGet(c: Client, argv: string[]): void {
  const cfg = c.server.config;
  // Keyed case-insensitively like Redis's reply dict; the first spelling asked for is shown.
  const matches = new Map<string, [string, ConfigParam]>();
  for (let i = 2; i < argv.length; i++) {
    const name = argv[i];
    if (!/[[*?]/.test(name)) {
      const lc = name.toLowerCase();
      if (matches.has(lc)) continue;
      const p = cfg.param(name);
      if (p) matches.set(lc, [name, p]);
      continue;
    }
    for (const p of cfg.params.values()) {
      if (p.hidden) continue;
      if (!matches.has(p.name) && globMatch(name, p.name, true)) matches.set(p.name, [p.name, p]);
      for (const a of p.aliases ?? []) {
        if (!matches.has(a) && globMatch(name, a, true)) matches.set(a, [a, p]);
      }
    }
  }
  const r = c.reply;
  r.map(matches.size);
  for (const [k, p] of matches.values()) {
    r.bulk(k);
    r.bulk(cfg.format(p));
  }
}

function configSet(c: Client, argv: string[]): void {
  const server = c.server;
  const cfg = server.config;
  if ((argv.length & 1) !== 0) {
    c.reply.error(ERR_SYNTAX);
    return;
  }
  const count = (argv.length - 2) / 2;
  const params: ConfigParam[] = [];
  const names: string[] = [];
  const rawValues: string[] = [];
  let invalidArg: string | null = null;
  let errArg: string | null = null;
  let errStr: string | null = null;
  for (let i = 0; i < count; i++) {
    const name = argv[2 + i * 2];
    const p = cfg.param(name);
    if (!p) {
      if (invalidArg === null && errArg === null) invalidArg = name;
      continue;
    }
    if (invalidArg !== null || errArg !== null) continue;
    if (!p.mutable || (p.protected && !allowProtectedAction(cfg.str('enable-protected-configs'), c))) {
      errStr = !p.mutable ? "can't set immutable config" : "can't set protected config";
      errArg = name;
      continue;
    }
    if (params.includes(p)) {
      errStr = 'duplicate parameter';
      errArg = name;
      continue;
    }
    params.push(p);
    names.push(name.toLowerCase());
    rawValues.push(argv[3 + i * 2]);
  }
  if (invalidArg !== null) {
    c.reply.error(`ERR Unknown option or number of arguments for CONFIG SET - '${invalidArg}'`);
    return;
  }
  if (errArg !== null) {
    c.reply.error(`ERR CONFIG SET failed (possibly related to argument '${errArg}') - ${errStr}`);
    return;
  }
  // Parse every value first: all or nothing.
  const newValues: unknown[] = [];
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    const raw = rawValues[i];
    const args = p.multiArg ? (raw === '' ? [] : raw.split(' ')) : [raw];
    const r = cfg.parse(p, args);
    if ('error' in r) {
      c.reply.error(`ERR CONFIG SET failed (possibly related to argument '${names[i]}') - ${r.error}`);
      return;
    }
    newValues.push(r.value);
  }
  const oldValues = params.map((p) => cfg.get(p.name));
  const oldCwd = process.cwd();
  // dir is applied at once, like Redis's chdir in its setter.
  for (let i = 0; i < params.length; i++) {
    if (params[i].name !== 'dir') continue;
    try {
      process.chdir(newValues[i] as string);
    } catch (e) {
      c.reply.error(`ERR CONFIG SET failed (possibly related to argument '${names[i]}') - ${(e as Error).message}`);
      return;
    }
  }
  let relisten = false;
  let tlsParam: string | null = null;
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    const changed = cfg.format(p) !== formatOf(cfg, p, newValues[i]);
    cfg.set(p.name, newValues[i]);
    if (changed && (p.name === 'port' || p.name === 'bind' || p.name === 'tls-port')) relisten = true;
    if (tlsParam === null && TLS_CONTEXT_PARAMS.has(p.name)) tlsParam = names[i];
  }
  // A TLS parameter: the certificates and settings are loaded again for new connections, or nothing changes.
  if (tlsParam !== null && !relisten) {
    const err = server.reloadTls();
    if (err !== null) {
      for (let i = 0; i < params.length; i++) cfg.set(params[i].name, oldValues[i]);
      c.reply.error(`ERR CONFIG SET failed (possibly related to argument '${tlsParam}') - ${err}`);
      return;
    }
  }
  if (!relisten) {
    c.reply.ok();
    return;
  }
  // Port or bind changed: the listeners are re-opened before the reply.
  const which = params.find((p) => p.name === 'port') ? 'port' : params.find((p) => p.name === 'tls-port') ? 'tls-port' : 'bind';
  const errText = which !== 'bind' ? 'Unable to listen on this port. Check server logs.' : 'Failed to bind to specified addresses.';
  const restore = (): void => {
    server.log.warning(`Failed applying new configuration. Possibly related to new ${which} setting. Restoring previous settings.`);
    for (let i = 0; i < params.length; i++) cfg.set(params[i].name, oldValues[i]);
    if (process.cwd() !== oldCwd) {
      try {
        process.chdir(oldCwd);
      } catch {
        /* gone */
      }
    }
    server.relisten().catch((e: Error) => server.log.warning(`Restoring the listeners failed: ${e.message}`));
  };
  if (server.callDepth > 1 || c.socket === null) {
    // Inside EXEC or a script the reply cannot wait: reply now, restore on failure.
    c.reply.ok();
    server.relisten().catch(restore);
    return;
  }
  c.flags |= ClientFlag.Paused;
  server.relisten().then(
    () => finish(c, null),
    (e: Error) => {
      server.log.warning(`CONFIG SET ${which}: ${e.message}`);
      restore();
      finish(c, `ERR CONFIG SET failed (possibly related to argument '${which}') - ${errText}`);
    },
  );
}

function formatOf(cfg: Server['config'], p: ConfigParam, v: unknown): string {
  const old = cfg.get(p.name);
  cfg.setQuiet(p.name, v);
  const s = cfg.format(p);
  cfg.setQuiet(p.name, old);
  return s;
}

/** Sends the delayed reply of a CONFIG SET that re-opened listeners and resumes the client's input. */
function finish(c: Client, error: string | null): void {
  c.flags &= ~ClientFlag.Paused;
  if (c.closed) return;
  if (error) c.reply.error(error);
  else c.reply.ok();
  c.server.markPendingWrite(c);
  c.processInput();
  c.server.flushPending();
}

/** CONFIG RESETSTAT: resetServerStats(), command and error stats. The slowlog is kept. */
export function resetStats(server: Server): void {
  const s = server.stats;
  for (const k of Object.keys(s) as (keyof typeof s)[]) s[k] = 0;
  server.errorStats.clear();
  for (const cmd of server.commands.all()) cmd.stats.reset();
  const ks = server.keyspace.stats;
  for (const k of Object.keys(ks) as (keyof typeof ks)[]) ks[k] = 0;
  const acl = server.acl;
  acl.deniedAuth = acl.deniedCmd = acl.deniedKey = acl.deniedChannel = 0;
  server.persistence.rdbSaves = 0;
  server.persistence.dumpPayloadSanitizations = 0;
  for (const h of resetStatHooks) h(server);
}

/** Other modules' counters reset by CONFIG RESETSTAT (latency, ACL, replication, ...). */
export const resetStatHooks: ((server: Server) => void)[] = [];

/** Writers of the non-parameter directives in CONFIG REWRITE (beside the ACL users, written by configRewrite). */
export const rewriteExtras: ExtraRewriter[] = [];

/** The `user` lines: every ACL user as ACL LIST shows it, unless the users live in an aclfile (Redis's rewriteConfigUserOption). */
function userLines(server: Server): ExtraRewriter {
  return (cfg) => {
    if (cfg.str('aclfile') !== '') return { option: 'user', lines: [], force: false };
    return { option: 'user', lines: server.acl.sortedUsers().map((u) => `user ${u.name} ${u.describe()}`), force: true };
  };
}

function configRewrite(c: Client): void {
  const server = c.server;
  const file = server.config.configFile;
  if (!file) {
    c.reply.error('ERR The server is running without a config file');
    return;
  }
  const err = rewriteConfigFile(server.config, file, [userLines(server), ...rewriteExtras]);
  if (err !== null) {
    server.log.warning(`CONFIG REWRITE failed: ${err}`);
    c.reply.error(`ERR Rewriting config file: ${err}`);
    return;
  }
  server.log.notice('CONFIG REWRITE executed with success.');
  c.reply.ok();
}

export const handlers: HandlerMap = {
  'config|get': configGet,
  'config|set': configSet,
  'config|resetstat': (c) => {
    resetStats(c.server);
    c.reply.ok();
  },
  'config|rewrite': configRewrite,
  'config|help': (c) =>
    replyHelp(c, 'CONFIG', [
      'GET <pattern>',
      '    Return parameters matching the glob-like <pattern> and their values.',
      'SET <directive> <value>',
      '    Set the configuration <directive> to <value>.',
      'RESETSTAT',
      '    Reset statistics reported by the INFO command.',
      'REWRITE',
      '    Rewrite the configuration file.',
    ]),
};
