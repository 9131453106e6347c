// Command metadata: arity, flags, key specs, ACL categories and argument docs.
//
// The interface facts come from meta.generated.ts (read off the Redis 7.2
// reference server by scripts/gen-command-meta.mjs); the prose (summaries,
// complexity, history notes) is ours, in docs-text.ts.

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

/** Metadata of a command or subcommand ('config|get'), or undefined if Redis has no such command. */
export function lookupMeta(fullName: string): MetaEntry | undefined {
  const bar = fullName.indexOf('|');
  if (bar < 0) return GENERATED_META[fullName];
  const parent = GENERATED_META[fullName.slice(0, bar)];
  return parent?.subcommands?.[fullName];
}

export const ALL_META = GENERATED_META;
