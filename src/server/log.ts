// Logging in Redis's line format: `pid:role dd Mon yyyy hh:mm:ss.mmm <level> message`
// where level is '.' debug, '-' verbose, '*' notice, '#' warning.

import fs from 'node:fs';

export const LOG_LEVELS = ['debug', 'verbose', 'notice', 'warning', 'nothing'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
const MARKS = ['.', '-', '*', '#'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export class Logger {
  level = 2;
  /** '' logs to stdout. */
  file = '';
  /** Role letter: M master, S replica, C child, X sentinel. */
  role = 'M';
  /** Silences all output (embedded servers in tests). */
  silent = false;

  setLevel(name: string): void {
    const i = LOG_LEVELS.indexOf(name as LogLevel);
    if (i >= 0) this.level = i;
  }

  private write(level: number, msg: string): void {
    if (this.silent || level < this.level) return;
    const line = `${process.pid}:${this.role} ${timestamp(new Date())} ${MARKS[level]} ${msg}\n`;
    if (this.file) {
      try {
        fs.appendFileSync(this.file, line);
      } catch {
        // Like Redis, a log file that cannot be opened loses the line.
      }
    } else {
      process.stdout.write(line);
    }
  }

  /** Writes a line without the prefix (the start-up banner). */
  rawLine(text: string, level = 2): void {
    if (this.silent || level < this.level) return;
    if (this.file) {
      try {
        fs.appendFileSync(this.file, text + '\n');
      } catch {
        /* lost like above */
      }
    } else process.stdout.write(text + '\n');
  }

  /** A line logged from a signal handler: `pid:signal-handler (unixtime) msg` (Redis's serverLogFromHandler). */
  fromSignal(msg: string): void {
    if (this.silent || 3 < this.level) return;
    this.rawLine(`${process.pid}:signal-handler (${Math.floor(Date.now() / 1000)}) ${msg}`, 3);
  }

  debug(msg: string): void {
    this.write(0, msg);
  }
  verbose(msg: string): void {
    this.write(1, msg);
  }
  notice(msg: string): void {
    this.write(2, msg);
  }
  warning(msg: string): void {
    this.write(3, msg);
  }
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** `22 Nov 2026 13:27:45.123` in local time, as Redis prints it. */
export function timestamp(d: Date): string {
  return `${pad(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}
