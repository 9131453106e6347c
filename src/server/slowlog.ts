// The slow log: commands that took longer than slowlog-log-slower-than usec.

export interface SlowlogEntry {
  id: number;
  /** Unix time in seconds when the command ran. */
  time: number;
  /** Execution time in microseconds. */
  usec: number;
  /** Arguments, abridged like Redis (at most 32, each at most 128 chars). */
  argv: string[];
  addr: string;
  name: string;
}

const SLOWLOG_ENTRY_MAX_ARGC = 32;
const SLOWLOG_ENTRY_MAX_STRING = 128;

export class Slowlog {
  entries: SlowlogEntry[] = [];
  nextId = 0;

  push(argv: string[], usec: number, addr: string, name: string, maxLen: number): void {
    const argc = Math.min(argv.length, SLOWLOG_ENTRY_MAX_ARGC);
    const args: string[] = [];
    for (let i = 0; i < argc; i++) {
      if (argc !== argv.length && i === argc - 1) {
        args.push(`... (${argv.length - argc + 1} more arguments)`);
        break;
      }
      const a = argv[i];
      args.push(a.length > SLOWLOG_ENTRY_MAX_STRING ? a.slice(0, SLOWLOG_ENTRY_MAX_STRING) + `... (${a.length - SLOWLOG_ENTRY_MAX_STRING} more bytes)` : a);
    }
    this.entries.unshift({ id: this.nextId++, time: Math.floor(Date.now() / 1000), usec: Math.round(usec), argv: args, addr, name });
    while (this.entries.length > maxLen) this.entries.pop();
  }

  reset(): void {
    this.entries = [];
  }
}

/** Commands whose secrets Redis replaces with "(redacted)" in SLOWLOG and MONITOR. */
const REDACTING = new Set(['auth', 'hello', 'migrate', 'config|set', 'acl|setuser']);

/**
 * The arguments as SLOWLOG and MONITOR show them: passwords and sensitive
 * config values replaced by "(redacted)" (Redis's redactClientCommandArgument).
 */
export function redactArgv(fullName: string, argv: string[], config: { param(name: string): { sensitive?: boolean } | undefined }): string[] {
  if (!REDACTING.has(fullName)) return argv;
  const out = argv.slice();
  const R = '(redacted)';
  switch (fullName) {
    case 'auth':
      for (let i = 1; i < out.length; i++) out[i] = R;
      break;
    case 'acl|setuser':
      for (let i = 2; i < out.length; i++) out[i] = R;
      break;
    case 'hello':
      for (let j = 2; j < out.length; j++) {
        const opt = out[j].toLowerCase();
        if (opt === 'auth' && out.length - j - 1 >= 2) {
          out[j + 1] = R;
          out[j + 2] = R;
          j += 2;
        } else if (opt === 'setname' && out.length - j - 1 >= 1) j += 1;
        else break;
      }
      break;
    case 'migrate':
      for (let j = 6; j < out.length; j++) {
        const opt = out[j].toLowerCase();
        if (opt === 'auth' && j + 1 < out.length) {
          out[j + 1] = R;
          j += 1;
        } else if (opt === 'auth2' && j + 2 < out.length) {
          out[j + 1] = R;
          out[j + 2] = R;
          j += 2;
        } else if (opt === 'keys') break;
      }
      break;
    case 'config|set':
      for (let j = 2; j + 1 < out.length; j += 2) if (config.param(out[j])?.sensitive === true) out[j + 1] = R;
      break;
  }
  return out;
}
