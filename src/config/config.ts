// Runtime configuration values, keyed by canonical parameter name.
// Parsing (file, CLI, CONFIG SET) and formatting (CONFIG GET, REWRITE) live in
// src/config/ beside this; subsystems subscribe to changes with onChange.
//
// Stored value forms are described at the top of src/config/params.ts.

import type { ConfigParam } from './table.js';
import { PARAMS } from './params.js';
import { parseValue, formatValue } from './values.js';

export type ConfigListener = (name: string, value: unknown) => void;

export class Config {
  readonly params = new Map<string, ConfigParam>();
  /** alias -> canonical name */
  readonly aliases = new Map<string, string>();
  private readonly values = new Map<string, unknown>();
  private readonly listeners = new Map<string, ConfigListener[]>();
  /** Absolute path of the config file the server was started with ('' when none): CONFIG REWRITE writes it. */
  configFile = '';
  /** While reading the config file: the first `save` line replaces the defaults, later ones add to it. */
  loading = false;
  saveLoaded = false;

  constructor(params: ConfigParam[] = PARAMS) {
    for (const p of params) {
      this.params.set(p.name, p);
      for (const a of p.aliases ?? []) this.aliases.set(a, p.name);
      this.values.set(p.name, cloneValue(p.default));
    }
  }

  /** Canonical parameter for a name or alias (case-insensitive), or undefined. */
  param(name: string): ConfigParam | undefined {
    const n = name.toLowerCase();
    return this.params.get(n) ?? this.params.get(this.aliases.get(n) ?? '');
  }

  get<T = unknown>(name: string): T {
    return this.values.get(name) as T;
  }
  num(name: string): number {
    return this.values.get(name) as number;
  }
  bool(name: string): boolean {
    return this.values.get(name) as boolean;
  }
  str(name: string): string {
    return this.values.get(name) as string;
  }

  /** Stores an already-validated value and tells listeners. */
  set(name: string, value: unknown): void {
    this.values.set(name, value);
    const ls = this.listeners.get(name);
    if (ls) for (const l of ls) l(name, value);
  }

  /** Stores a value without telling listeners (rollback of a failed CONFIG SET apply). */
  setQuiet(name: string, value: unknown): void {
    this.values.set(name, value);
  }

  onChange(name: string, listener: ConfigListener): void {
    let ls = this.listeners.get(name);
    if (!ls) this.listeners.set(name, (ls = []));
    ls.push(listener);
  }

  /**
   * Parses a value given as arguments (config file / command line / CONFIG
   * SET) without storing it. Returns the stored form or an error text in
   * Redis's words.
   */
  parse(p: ConfigParam, args: string[]): { value: unknown } | { error: string } {
    return parseValue(this, p, args);
  }

  /** Parses and stores; returns Redis's error text or null. */
  setFromArgs(p: ConfigParam, args: string[]): string | null {
    const r = this.parse(p, args);
    if ('error' in r) return r.error;
    this.set(p.name, r.value);
    return null;
  }

  /** The value as CONFIG GET prints it. */
  format(p: ConfigParam): string {
    return formatValue(p, this.values.get(p.name));
  }

  /** True when the stored value equals the default. */
  isDefault(p: ConfigParam): boolean {
    return formatValue(p, this.values.get(p.name)) === formatValue(p, p.default);
  }
}

export function cloneValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => (Array.isArray(x) ? [...x] : x));
  if (v !== null && typeof v === 'object') return JSON.parse(JSON.stringify(v));
  return v;
}
