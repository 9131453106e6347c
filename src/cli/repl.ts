// The interactive prompt (redis-cli's repl()): line editing, history,
// completion and hints on a terminal through node:readline; plain lines, no
// prompt, when stdin is not a terminal. Between commands in subscribed mode
// it prints messages until a key is pressed.

import fs from 'node:fs';
import tty from 'node:tty';
import readline from 'node:readline';
import { CC, type Cli } from './cli.js';
import { Output } from './format.js';
import { splitArgs } from './splitargs.js';
import { atoi } from './args.js';
import { initHelp, hintForInput, completions } from './help.js';
import * as io from './io.js';

const HISTORY_MAX = 100;

interface Prefs {
  hints: boolean;
}

/** A file named by the first set environment variable, else ~/name; null for /dev/null or no home. */
export function dotfilePath(envs: string[], name: string): string | null {
  for (const v of envs) {
    const p = process.env[v];
    if (p !== undefined && p !== '') return p === '/dev/null' ? null : p;
  }
  const home = process.env.HOME;
  return home ? `${home}/${name}` : null;
}

export function historyPath(): string | null {
  return dotfilePath(['SPINELCLI_HISTFILE', 'REDISCLI_HISTFILE'], '.spinelcli_history');
}

function rcPath(): string | null {
  return dotfilePath(['SPINELCLI_RCFILE', 'REDISCLI_RCFILE'], '.spinelclirc');
}

/** Commands kept out of the history file (passwords). */
export function isSensitiveCommand(argv: string[]): boolean {
  const argc = argv.length;
  const a = argv.map((s) => s.toLowerCase());
  if (a[0] === 'auth') return true;
  if (argc > 1 && a[0] === 'acl' && a[1] === 'setuser') return true;
  if (argc > 2 && a[0] === 'config' && a[1] === 'set' && (a[2] === 'masterauth' || a[2] === 'masteruser' || a[2] === 'requirepass')) return true;
  if (argc > 4 && a[0] === 'hello') {
    for (let j = 2; j < argc; j++) {
      const more = argc - 1 - j;
      if (a[j] === 'auth' && more >= 2) return true;
      else if (a[j] === 'setname' && more) j++;
      else return false;
    }
  } else if (argc > 7 && a[0] === 'migrate') {
    for (let j = 6; j < argc; j++) {
      const more = argc - 1 - j;
      if (a[j] === 'auth' && more) return true;
      if (a[j] === 'auth2' && more >= 2) return true;
      if (a[j] === 'keys' && more) return false;
    }
  }
  return false;
}

function setPreferences(argv: string[], interactive: boolean, prefs: Prefs): void {
  const where = interactive ? '' : '.spinelclirc: ';
  if (argv[0].toLowerCase() === ':set' && argv.length >= 2) {
    const v = argv[1].toLowerCase();
    if (v === 'hints') prefs.hints = true;
    else if (v === 'nohints') prefs.hints = false;
    else io.out(`${where}unknown spinel-cli preference '${argv[1]}'\n`);
  } else {
    io.out(`${where}unknown spinel-cli internal command '${argv[0]}'\n`);
  }
  io.flush();
}

function loadPreferences(prefs: Prefs): void {
  const p = rcPath();
  if (p === null) return;
  let text: string;
  try {
    text = fs.readFileSync(p, 'latin1');
  } catch {
    return;
  }
  for (const line of text.split('\n')) {
    const argv = splitArgs(line.slice(0, 1023));
    if (argv && argv.length > 0) setPreferences(argv, false, prefs);
  }
}

/** Where lines come from. */
interface LineInput {
  /** The next line; null at end of input or on Ctrl-C / Ctrl-D. */
  readLine(prompt: string): Promise<string | null>;
  /** Resolves when input is available (a key press); 'interrupt' for Ctrl-C. */
  waitInput(): { promise: Promise<'input' | 'interrupt'>; cancel: () => void };
  clearScreen(): void;
}

/** stdin is not a terminal: lines as they come, no prompt (linenoise's no-TTY mode). */
class PipeInput implements LineInput {
  private buf = '';
  private ended = false;
  private notify: (() => void) | null = null;

  constructor() {
    process.stdin.on('data', (d: Buffer) => {
      this.buf += d.toString('latin1');
      this.wake();
    });
    process.stdin.on('end', () => {
      this.ended = true;
      this.wake();
    });
    process.stdin.on('error', () => {
      this.ended = true;
      this.wake();
    });
  }

  private wake(): void {
    const n = this.notify;
    this.notify = null;
    n?.();
  }

  async readLine(): Promise<string | null> {
    for (;;) {
      const nl = this.buf.indexOf('\n');
      if (nl >= 0) {
        const line = this.buf.slice(0, nl);
        this.buf = this.buf.slice(nl + 1);
        return line;
      }
      if (this.ended) {
        if (this.buf === '') return null;
        const line = this.buf;
        this.buf = '';
        return line;
      }
      await new Promise<void>((r) => (this.notify = r));
    }
  }

  waitInput(): { promise: Promise<'input' | 'interrupt'>; cancel: () => void } {
    if (this.buf !== '' || this.ended) return { promise: Promise.resolve('input'), cancel: () => {} };
    let cancelled = false;
    const promise = new Promise<'input' | 'interrupt'>((resolve) => {
      this.notify = () => {
        if (!cancelled) resolve('input');
      };
    });
    return {
      promise,
      cancel: () => {
        cancelled = true;
        this.notify = null;
      },
    };
  }

  clearScreen(): void {
    io.out('\x1b[H\x1b[2J');
    io.flush();
  }
}

/** A terminal: node:readline for editing, history, completion; hints drawn after the cursor. */
class TtyInput implements LineInput {
  /** Oldest first, as in the history file. */
  history: string[] = [];
  /** A key pressed while waiting in subscribed mode, replayed into the next line. */
  private pendingKeys: Buffer | null = null;
  private readonly plain: boolean;

  constructor(
    private readonly prefs: Prefs,
    private readonly useHints: () => boolean,
  ) {
    const term = (process.env.TERM ?? '').toLowerCase();
    this.plain = term === 'dumb' || term === 'cons25' || term === 'emacs';
  }

  readLine(prompt: string): Promise<string | null> {
    return new Promise((resolve) => {
      const input = process.stdin;
      const rl = readline.createInterface({
        input,
        output: process.stdout,
        terminal: !this.plain,
        history: this.history.slice().reverse(),
        historySize: HISTORY_MAX,
        removeHistoryDuplicates: false,
        completer: (line: string) => {
          const bytes = io.toBytes(line);
          const all = completions(bytes);
          return [all.map((s) => Buffer.from(s, 'latin1').toString('utf8')), line];
        },
        tabSize: 8,
      });
      let done = false;
      let hintShown = false;
      const finish = (v: string | null): void => {
        if (done) return;
        done = true;
        input.off('keypress', onKey);
        input.off('keypress', beforeKey);
        rl.close();
        resolve(v);
      };
      const drawHint = (): void => {
        if (this.plain || !this.prefs.hints || !this.useHints()) return;
        const line = (rl as unknown as { line: string }).line;
        const cursor = (rl as unknown as { cursor: number }).cursor;
        if (cursor !== line.length) return;
        let hint = hintForInput(io.toBytes(line));
        if (hint && hint !== '' && !/\s$/.test(line)) hint = ' ' + hint;
        if (hint && hint !== '') {
          process.stdout.write(`\x1b[0K\x1b[90m${hint}\x1b[0m\x1b[${hint.length}D`);
          hintShown = true;
        } else if (hintShown) {
          process.stdout.write('\x1b[0K');
          hintShown = false;
        }
      };
      // Runs before readline handles the key: a finished line leaves no hint behind.
      const beforeKey = (_s: string, key: { name?: string } | undefined): void => {
        if (hintShown && key && (key.name === 'return' || key.name === 'enter')) {
          process.stdout.write('\x1b[0K');
          hintShown = false;
        }
      };
      const onKey = (): void => {
        setImmediate(() => !done && drawHint());
      };
      rl.on('line', (l) => finish(l));
      rl.on('close', () => finish(null));
      rl.on('SIGINT', () => {
        process.stdout.write('\n');
        finish(null);
      });
      input.prependListener('keypress', beforeKey);
      input.on('keypress', onKey);
      rl.setPrompt(prompt);
      rl.prompt();
      if (this.pendingKeys) {
        const keys = this.pendingKeys;
        this.pendingKeys = null;
        rl.write(keys.toString('utf8'));
      }
    });
  }

  waitInput(): { promise: Promise<'input' | 'interrupt'>; cancel: () => void } {
    const input = process.stdin;
    let onData: ((d: Buffer) => void) | null = null;
    const restore = (): void => {
      if (onData) input.off('data', onData);
      onData = null;
      if (input.isTTY) (input as tty.ReadStream).setRawMode(false);
      input.pause();
    };
    const promise = new Promise<'input' | 'interrupt'>((resolve) => {
      if (input.isTTY) (input as tty.ReadStream).setRawMode(true);
      onData = (d: Buffer) => {
        restore();
        if (d.length === 1 && d[0] === 3) return resolve('interrupt');
        this.pendingKeys = d;
        resolve('input');
      };
      input.on('data', onData);
      input.resume();
    });
    return { promise, cancel: restore };
  }

  clearScreen(): void {
    io.out('\x1b[H\x1b[2J');
    io.flush();
  }
}

/**
 * redis-cli's cliWaitForMessagesOrStdin: in subscribed mode, print the
 * messages as they come until a key is pressed (the prompt then reads a
 * command) or Ctrl-C (which leaves subscribed mode by reconnecting).
 */
async function waitForMessagesOrStdin(cli: Cli, input: LineInput): Promise<void> {
  const c = cli.config;
  const showInfo = c.output !== Output.Raw && (tty.isatty(1) || process.env.FAKETTY !== undefined);
  const useColor = showInfo && isColorTerm();
  while (cli.pubsubMode) {
    // Messages already received first.
    for (;;) {
      let r;
      try {
        r = cli.conn!.readBuffered();
      } catch (e) {
        cli.printContextError(e);
        io.exit(1);
      }
      if (r === null) break;
      if (showInfo) io.out('\x1b[K');
      cli.lastReply = r;
      io.out(cli.format(r, c.output, false));
      io.flush();
    }
    if (showInfo) {
      if (useColor) io.out('\x1b[1;90m');
      io.out('Reading messages... (press Ctrl-C to quit or any key to type command)\r');
      if (useColor) io.out('\x1b[0m');
      io.flush();
    }
    const key = input.waitInput();
    const conn = cli.conn!;
    const aborted = new Promise<'interrupt'>((resolve) => (cli.onInterrupt = () => resolve('interrupt')));
    let timer: NodeJS.Timeout | null = null;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), 5000)));
    const server = conn.waitData().then(() => 'server' as const);
    const what = await Promise.race([key.promise, server, timeout, aborted]);
    clearTimeout(timer!);
    cli.onInterrupt = null;
    if (what !== 'input') key.cancel();
    if (showInfo) {
      io.out('\x1b[K');
      io.flush();
    }
    if (what === 'interrupt') {
      cli.pubsubMode = false;
      cli.refreshPrompt();
      if (!(await cli.connect(CC.Force))) {
        cli.printContextError(cli.conn?.err);
        io.exit(1);
      }
      break;
    } else if (what === 'server') {
      if (!(await cli.readReply(false))) {
        cli.printContextError(cli.conn?.err);
        io.exit(1);
      }
      io.flush();
    } else if (what === 'input') {
      break;
    }
  }
}

export function isColorTerm(): boolean {
  const t = process.env.TERM;
  return t !== undefined && t.includes('xterm');
}

/** Splits a prompt line; in the Lua debugger "eval <code>" / "e <code>" keep the code whole. */
function cliSplitArgs(cli: Cli, line: string): string[] | null {
  if (cli.config.evalLdb && (line.startsWith('eval ') || line.startsWith('e '))) {
    const elen = line[1] === ' ' ? 2 : 5;
    return [line.slice(0, elen - 1), line.slice(elen)];
  }
  return splitArgs(line);
}

/** C's strtol for the "N command" repeat prefix: [value, whole word consumed, out of range]. */
function strtol(s: string): [number, boolean, boolean] {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  if (!m) return [0, s === '', false];
  const v = BigInt(m[1]);
  const range = v > 2n ** 63n - 1n || v < -(2n ** 63n);
  return [Number(v), m[0].length === s.length, range];
}

/** Runs the prompt; returns 'restart' when the Lua debugger asked to restart the script. */
export async function repl(cli: Cli): Promise<'restart' | void> {
  const c = cli.config;
  const stdinTTY = tty.isatty(0);
  const prefs: Prefs = { hints: true };
  if (!c.evalLdb && stdinTTY) await initHelp(cli);
  cli.interactive = true;

  let historyFile: string | null = null;
  let useHistory = false;
  const input: LineInput = stdinTTY ? new TtyInput(prefs, () => !c.evalLdb) : new PipeInput();
  const tin = input instanceof TtyInput ? input : null;
  if (stdinTTY) {
    historyFile = historyPath();
    useHistory = true;
    if (historyFile !== null) {
      try {
        tin!.history = fs
          .readFileSync(historyFile, 'utf8')
          .split('\n')
          .map((l) => l.replace(/\r$/, ''))
          .filter((l) => l !== '')
          .slice(-HISTORY_MAX);
      } catch {
        /* no history yet */
      }
    }
    loadPreferences(prefs);
  }
  const addHistory = (line: string): void => {
    if (!useHistory || !tin) return;
    const h = tin.history;
    if (h.length && h[h.length - 1] === line) return;
    h.push(line);
    if (h.length > HISTORY_MAX) h.shift();
    if (historyFile !== null) {
      try {
        fs.writeFileSync(historyFile, h.map((l) => l + '\n').join(''), { mode: 0o600 });
      } catch {
        /* unwritable history file: keep it in memory */
      }
    }
  };

  // Ctrl-C while a command runs: leave MONITOR / subscribed mode, else quit.
  const onSigint = (): void => {
    if (cli.monitorMode || cli.pubsubMode) {
      if (cli.onInterrupt) {
        cli.onInterrupt();
        return;
      }
      cli.blockingStateAborted = true;
      cli.conn?.close();
    } else {
      io.exit(1);
    }
  };
  process.on('SIGINT', onSigint);

  cli.refreshPrompt();
  for (;;) {
    const raw = await input.readLine(cli.conn ? (c.evalLdb ? 'lua debugger> ' : cli.prompt) : 'not connected> ');
    if (raw === null) {
      if (cli.pubsubMode) {
        cli.pubsubMode = false;
        cli.refreshPrompt();
        if (await cli.connect(CC.Force)) continue;
      }
      break;
    }
    const line = stdinTTY ? io.toBytes(raw) : raw;
    if (line !== '') {
      const argv = cliSplitArgs(cli, line);
      if (argv === null) {
        io.out('Invalid argument(s)\n');
        io.flush();
        addHistory(raw);
        continue;
      } else if (argv.length === 0) {
        continue;
      }
      let repeat = 1;
      let skip = 0;
      const [value, whole, range] = strtol(argv[0]);
      if (argv.length > 1 && whole) {
        if (range || value <= 0) {
          io.out('Invalid spinel-cli repeat command option value.\n');
          io.flush();
          continue;
        }
        repeat = value;
        skip = 1;
      }
      const args = argv.slice(skip);
      if (!isSensitiveCommand(args)) addHistory(raw);
      const name = argv[0].toLowerCase();
      if (name === 'quit' || name === 'exit') {
        io.exit(0);
      } else if (argv[0].startsWith(':')) {
        setPreferences(argv, true, prefs);
        continue;
      } else if (name === 'restart') {
        if (c.evalFile !== null) {
          c.evalLdb = true;
          c.output = Output.Raw;
          process.off('SIGINT', onSigint);
          return 'restart';
        }
        io.out("Use 'restart' only in Lua debugging mode.\n");
        io.flush();
      } else if (argv.length === 3 && name === 'connect') {
        c.host = argv[1];
        c.port = atoi(argv[2]);
        cli.refreshPrompt();
        await cli.connect(CC.Force);
      } else if (argv.length === 1 && name === 'clear') {
        input.clearScreen();
      } else {
        const start = Date.now();
        await cli.issueCommandRepeat(args, repeat);
        if (cli.evalLdbEnd) {
          cli.evalLdbEnd = false;
          await cli.readReply(false);
          io.out(`\n(Lua debugging session ended${c.evalLdbSync ? '' : ' -- dataset changes rolled back'})\n\n`);
          io.flush();
          await initHelp(cli);
        }
        const elapsed = Date.now() - start;
        if (elapsed >= 500 && c.output === Output.Standard) {
          io.out(`(${(elapsed / 1000).toFixed(2)}s)\n`);
          io.flush();
        }
      }
    }
    if (cli.pubsubMode) await waitForMessagesOrStdin(cli, input);
  }
  process.off('SIGINT', onSigint);
  io.exit(0);
}


