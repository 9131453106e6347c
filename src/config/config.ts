// Runtime configuration values, keyed by canonical parameter name.
// Parsing (file, CLI, CONFIG SET) and formatting (CONFIG GET, REWRITE) live in
// src/config/ beside this; subsystems subscribe to changes with onChange.

import { CORE_PARAMS, type ConfigParam } from './table.js';

export type ConfigListener = (name: string, value: unknown) => void;

export class Config {
  readonly params = new Map<string, ConfigParam>();
  /** alias -> canonical name */
  readonly aliases = new Map<string, string>();
  private readonly values = new Map<string, unknown>();
  private readonly listeners = new Map<string, ConfigListener[]>();

  constructor(params: ConfigParam[] = CORE_PARAMS) {
    for (const p of params) {
      this.params.set(p.name, p);
      for (const a of p.aliases ?? []) this.aliases.set(a, p.name);
      this.values.set(p.name, Array.isArray(p.default) ? [...p.default] : p.default);
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

  onChange(name: string, listener: ConfigListener): void {
    let ls = this.listeners.get(name);
    if (!ls) this.listeners.set(name, (ls = []));
    ls.push(listener);
  }
}
