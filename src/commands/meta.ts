// Command metadata: arity, flags, key specs, ACL categories and argument docs.
//
// The interface facts come from meta.generated.ts (read off a reference
// server); the Redis 7.2 additions over it are applied here; the prose
// (summaries, complexity, history notes) is ours, in docs-text.ts.

import { GENERATED_META } from './meta.generated.js';

export interface MetaDocs {
  since: string;
  group: string;
  docFlags?: string[];
  deprecatedSince?: string;
  replacedBy?: string;
  historyVersions?: string[];
  arguments?: MetaArg[];
}

export interface MetaArg {
  name: string;
  type: string;
  displayText?: string;
  keySpecIndex?: number;
  token?: string;
  since?: string;
  flags?: string[];
  deprecatedSince?: string;
  arguments?: MetaArg[];
}

/** Key spec exactly as COMMAND INFO prints it. */
export interface MetaKeySpec {
  notes?: string;
  flags: string[];
  beginSearch: { type: string; spec: Record<string, number | string> };
  findKeys: { type: string; spec: Record<string, number | string> };
}

export interface MetaEntry {
  arity: number;
  flags: string[];
  first: number;
  last: number;
  step: number;
  /** ACL categories without '@'. */
  acl: string[];
  tips?: string[];
  keySpecs?: MetaKeySpec[];
  subcommands?: Record<string, MetaEntry>;
  docs?: MetaDocs;
}

/** Redis 7.2 changes to the 7.0 reference table (see shared/REDIS-7.2-DELTAS.md). */
function apply72(meta: Record<string, MetaEntry>): void {
  const withScore: MetaArg = { name: 'withscore', type: 'pure-token', token: 'WITHSCORE', flags: ['optional'] };
  for (const name of ['zrank', 'zrevrank']) {
    const m = meta[name];
    if (m?.docs?.arguments && !m.docs.arguments.some((a) => a.name === 'withscore')) {
      m.docs.arguments.push(withScore);
      m.docs.historyVersions = [...(m.docs.historyVersions ?? []), '7.2.0'];
      m.arity = -3;
    }
  }
  const client = meta.client?.subcommands;
  if (client) {
    client['client|setinfo'] = {
      arity: 4, flags: ['noscript', 'loading', 'stale'], first: 0, last: 0, step: 0,
      acl: ['slow', 'connection'], tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
      docs: {
        since: '7.2.0', group: 'connection',
        arguments: [{
          name: 'attr', type: 'oneof', arguments: [
            { name: 'libname', type: 'string', token: 'LIB-NAME' },
            { name: 'libver', type: 'string', token: 'LIB-VER' },
          ],
        }],
      },
    };
    client['client|no-touch'] = {
      arity: 3, flags: ['noscript', 'loading', 'stale'], first: 0, last: 0, step: 0,
      acl: ['slow', 'connection'],
      docs: {
        since: '7.2.0', group: 'connection',
        arguments: [{
          name: 'enabled', type: 'oneof', arguments: [
            { name: 'on', type: 'pure-token', token: 'ON' },
            { name: 'off', type: 'pure-token', token: 'OFF' },
          ],
        }],
      },
    };
  }
  meta.waitaof = {
    arity: 4, flags: ['noscript'], first: 0, last: 0, step: 0, acl: ['slow', 'connection'],
    tips: ['request_policy:all_shards', 'response_policy:agg_min'],
    docs: {
      since: '7.2.0', group: 'generic',
      arguments: [
        { name: 'numlocal', type: 'integer' },
        { name: 'numreplicas', type: 'integer' },
        { name: 'timeout', type: 'integer' },
      ],
    },
  };
  const cluster = meta.cluster?.subcommands;
  if (cluster) {
    cluster['cluster|myshardid'] = {
      arity: 2, flags: ['stale'], first: 0, last: 0, step: 0, acl: ['slow'], tips: ['nondeterministic_output'],
      docs: { since: '7.2.0', group: 'cluster' },
    };
  }
  // History entries 7.2 added to existing commands.
  const addHistory = (m: MetaEntry | undefined): void => {
    if (m?.docs && !(m.docs.historyVersions ?? []).includes('7.2.0')) {
      m.docs.historyVersions = [...(m.docs.historyVersions ?? []), '7.2.0'];
    }
  };
  addHistory(client?.['client|list']); // lib-name and lib-ver fields
  addHistory(meta.xinfo?.subcommands?.['xinfo|consumers']); // inactive field
  addHistory(meta.xinfo?.subcommands?.['xinfo|stream']); // active-time field
  if (meta.quit?.docs) {
    meta.quit.docs.docFlags = ['deprecated'];
    meta.quit.docs.deprecatedSince = '7.2.0';
    meta.quit.docs.replacedBy = 'just closing the connection';
  }
}

apply72(GENERATED_META);

/** Metadata of a command or subcommand ('config|get'), or undefined if Redis has no such command. */
export function lookupMeta(fullName: string): MetaEntry | undefined {
  const bar = fullName.indexOf('|');
  if (bar < 0) return GENERATED_META[fullName];
  const parent = GENERATED_META[fullName.slice(0, bar)];
  return parent?.subcommands?.[fullName];
}

export const ALL_META = GENERATED_META;
