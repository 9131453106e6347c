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
