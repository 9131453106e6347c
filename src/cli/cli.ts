// The state of a spinel-cli session and redis-cli's command path: connect
// (AUTH, SELECT, HELLO 3), send a command -r times, read and print replies,
// follow cluster redirections, track SELECT/MULTI/RESET/HELLO and the
// subscribed and MONITOR modes, reconnect when the server went away.

import { Connection, ConnError, ErrKind } from './connection.js';
import { T, type Reply } from './resp.js';
import { formatReply, formatInvalidateTTY, isInvalidate, Output, UnknownReplyType } from './format.js';
import type { CliConfig } from './args.js';
import * as io from './io.js';

/** Commands whose replies redis-cli prints raw in every mode (INFO and friends). */
function wantsRawOutput(argv: string[]): boolean {
  const argc = argv.length;
  const cmd = argv[0].toLowerCase();
  const sub = argc >= 2 ? argv[1].toLowerCase() : '';
  if (cmd === 'info' || cmd === 'lolwut') return true;
  if (argc >= 2 && cmd === 'debug' && (sub === 'htstats' || sub === 'htstats-key' || sub === 'client-eviction')) return true;
  if (argc >= 2 && cmd === 'memory' && (sub === 'malloc-stats' || sub === 'doctor')) return true;
  if (argc === 2 && cmd === 'cluster' && (sub === 'nodes' || sub === 'info')) return true;
  if (argc >= 2 && cmd === 'client' && (sub === 'list' || sub === 'info')) return true;
  if (argc === 3 && cmd === 'latency' && sub === 'graph') return true;
  if (argc === 2 && cmd === 'latency' && sub === 'doctor') return true;
  if (argc >= 2 && cmd === 'proxy' && sub === 'info') return true;
  return false;
}

/** A pub/sub message or (un)subscription confirmation, as redis-cli recognizes them. */
export function isPubsubPush(r: Reply | null, resp3: boolean): boolean {
  if (r === null || r.type !== (resp3 ? T.Push : T.Array) || r.elements!.length < 3 || r.elements![0].type !== T.String) return false;
  const s = r.elements![0].str;
  return s.endsWith('message') || s.endsWith('subscribe');
}

export const enum CC {
  Force = 1,
  Quiet = 2,
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export class Cli {
  conn: Connection | null = null;
  /** The database selected on the current connection. */
  dbnum = 0;
  inMulti = false;
  preMultiDbnum = 0;
  /** The connection speaks RESP3 (HELLO 3 succeeded). */
  currentResp3 = false;
  interactive = false;
  shutdown = false;
  monitorMode = false;
  pubsubMode = false;
  slaveMode = false;
  /** Set by Ctrl-C in MONITOR or subscribed mode: the connection was closed on purpose. */
  blockingStateAborted = false;
  clusterReissueCommand = false;
  clusterSendAsking = false;
  lastReply: Reply | null = null;
  prompt = '';
  /** Lua debugger state (--ldb, SCRIPT DEBUG). */
  enableLdbOnEval = false;
  evalLdbEnd = false;
  /** Set while the subscribed-mode wait can be interrupted by Ctrl-C. */
  onInterrupt: (() => void) | null = null;
  /** Called when the prompt changes (the REPL redraws it). */
  onPromptChange: (() => void) | null = null;
  /** Handles `slaveMode` when SYNC/PSYNC is typed (set by the replica tool). */
  runSlaveMode: ((cli: Cli) => Promise<void>) | null = null;

  constructor(readonly config: CliConfig) {
    this.refreshPrompt();
  }

  refreshPrompt(): void {
    const c = this.config;
    if (c.evalLdb) return;
    let p: string;
    if (c.socket !== null) p = `redis ${c.socket}`;
    else p = formatAddr(c.host, c.port);
    if (this.dbnum !== 0) p += `[${this.dbnum}]`;
    if (this.inMulti) p += '(TX)';
    if (this.pubsubMode) p += '(subscribed mode)';
    this.prompt = (p + '> ').slice(0, 127);
    this.onPromptChange?.();
  }

  /** Prints an unexpected connection error (redis-cli's cliPrintContextError). */
  printContextError(e: unknown): void {
    if (this.conn === null && !(e instanceof ConnError)) return;
    const msg = e instanceof ConnError ? e.message : this.conn?.err?.message;
    if (msg !== undefined) io.err(`Error: ${msg}\n`);
  }

  /** redis-cli's cliConnect: true on success. */
  async connect(flags = 0): Promise<boolean> {
    const c = this.config;
    if (this.conn === null || flags & CC.Force) {
      if (this.conn !== null) {
        this.conn.close();
        this.conn = null;
        this.dbnum = 0;
        this.inMulti = false;
        this.refreshPrompt();
      }
      const useSocket = c.socket !== null && !(c.clusterMode && this.clusterReissueCommand);
      try {
        this.conn = await Connection.open({
          host: c.host,
          port: c.port,
          socket: useSocket ? c.socket : null,
          family: c.family,
          timeoutMs: Math.round(c.timeout * 1000),
          tls: c.tls.enabled ? c.tls : null,
        });
      } catch (e) {
        const ce = e as ConnError;
        if (ce.code === 'TLS') {
          io.err(ce.message + '\n');
        } else if (!(flags & CC.Quiet)) {
          const where = useSocket ? c.socket : `${c.host}:${c.port}`;
          io.err(`Could not connect to Redis at ${where}: ${ce.message}\n`);
        }
        this.conn = null;
        return false;
      }
      this.currentResp3 = false;
      if (!(await this.auth())) return false;
      if (!(await this.select())) return false;
      if (!(await this.switchProto())) return false;
    }
    if (c.pushOutput) this.setPushHandler();
    return true;
  }

  /** Pushes printed as they come (--show-pushes, the default on a terminal). */
  setPushHandler(): void {
    if (this.conn) this.conn.pushHandler = (r) => this.printPush(r);
  }

  private printPush(r: Reply): void {
    const c = this.config;
    let s: string;
    if (c.output === Output.Standard && isInvalidate(r)) s = formatInvalidateTTY(r);
    else s = this.format(r, c.output, false);
    io.out(s);
    io.flush();
  }

  /** A command on the current connection during the connection handshake; null after an I/O error. */
  private async handshake(argv: string[]): Promise<Reply | null> {
    try {
      return await this.conn!.command(...argv);
    } catch {
      io.err('\nI/O error\n');
      return null;
    }
  }

  private async auth(): Promise<boolean> {
    const c = this.config;
    if (c.auth === null) return true;
    const r = await this.handshake(c.user === null ? ['AUTH', c.auth] : ['AUTH', c.user, c.auth]);
    if (r === null) return false;
    if (r.type === T.Error) {
      io.err(`AUTH failed: ${r.str}\n`);
      return false;
    }
    return true;
  }

  async select(): Promise<boolean> {
    const c = this.config;
    if (c.inputDb === this.dbnum) return true;
    const r = await this.handshake(['SELECT', String(c.inputDb)]);
    if (r === null) return false;
    if (r.type === T.Error) {
      io.err(`SELECT ${c.inputDb} failed: ${r.str}\n`);
      return false;
    }
    this.dbnum = c.inputDb;
    this.refreshPrompt();
    return true;
  }

  private async switchProto(): Promise<boolean> {
    const c = this.config;
    if (c.resp3 === 0 || c.resp2) return true;
    const r = await this.handshake(['HELLO', '3']);
    if (r === null) return false;
    if (r.type === T.Error) {
      io.err(`HELLO 3 failed: ${r.str}\n`);
      return c.resp3 !== 1;
    }
    this.currentResp3 = true;
    return true;
  }

  /** The Lua debugger's raw form (eval.ts, loaded by loadLdb when a debugging session may start). */
  ldbFormat: ((cli: Cli, r: Reply) => string) | null = null;
  loadLdb: () => Promise<void> = async () => {};

  format(r: Reply, mode: Output, verbatim: boolean): string {
    try {
      if (this.config.evalLdb && this.ldbFormat && (verbatim || mode === Output.Raw)) {
        const s = this.ldbFormat(this, r);
        return verbatim ? s : s + this.config.cmdDelim;
      }
      return formatReply(r, mode, verbatim, this.config.mbDelim, this.config.cmdDelim);
    } catch (e) {
      if (e instanceof UnknownReplyType) {
        io.err(e.message + '\n');
        io.exit(1);
      }
      throw e;
    }
  }

  /**
   * Reads one reply and prints it (redis-cli's cliReadReply). Returns false
   * when the connection is gone in an interactive session (the caller
   * reconnects); exits on other errors.
   */
  async readReply(outputRawStrings: boolean): Promise<boolean> {
    const c = this.config;
    this.lastReply = null;
    let r: Reply;
    try {
      r = await this.conn!.readReply();
    } catch (e) {
      if (this.blockingStateAborted) {
        this.blockingStateAborted = false;
        this.monitorMode = false;
        this.pubsubMode = false;
        return this.connect(CC.Force);
      }
      if (this.shutdown) {
        this.conn?.close();
        this.conn = null;
        return true;
      }
      const ce = e as ConnError;
      if (this.interactive) {
        if (ce.kind === ErrKind.Io && (ce.code === 'ECONNRESET' || ce.code === 'EPIPE')) return false;
        if (ce.kind === ErrKind.Eof) return false;
      }
      this.printContextError(e);
      io.exit(1);
    }
    this.lastReply = r;
    let output = true;
    if (c.clusterMode && r.type === T.Error && (r.str.startsWith('MOVED ') || r.str.startsWith('ASK '))) {
      output = false;
      // "MOVED 3999 127.0.0.1:6381" (the host may be empty: "MOVED 3999 :6381").
      const parts = r.str.split(' ');
      const slot = Number.parseInt(parts[1], 10) || 0;
      const addr = parts[2] ?? '';
      const colon = addr.lastIndexOf(':');
      const host = addr.slice(0, colon);
      if (host !== '') c.host = host;
      c.port = Number.parseInt(addr.slice(colon + 1), 10) || 0;
      if (this.interactive) io.out(`-> Redirected to slot [${slot}] located at ${c.host}:${c.port}\n`);
      this.clusterReissueCommand = true;
      if (r.str.startsWith('ASK ')) this.clusterSendAsking = true;
      this.refreshPrompt();
    } else if (!this.interactive && c.setErrcode && r.type === T.Error) {
      io.err(cstr(r.str) + '\n');
      io.exit(1);
    }
    if (output) {
      io.out(this.format(r, c.output, outputRawStrings));
      io.flush();
    }
    // Leaving subscribed mode: the last unsubscription confirmed.
    if (this.pubsubMode && isPubsubPush(r, this.currentResp3) && r.elements![0].str.endsWith('unsubscribe')) {
      const count = r.elements![2];
      if (count.type === T.Integer && count.str === '0') {
        this.pubsubMode = false;
        if (c.pushOutput) this.setPushHandler();
        this.refreshPrompt();
      }
    }
    return true;
  }

  /** redis-cli's cliSendCommand: false when the connection failed. */
  async sendCommand(argv: string[], repeat: number): Promise<boolean> {
    const c = this.config;
    if (this.conn === null) return false;
    const command = argv[0].toLowerCase();
    const outputRaw = wantsRawOutput(argv);
    if (command === 'shutdown') this.shutdown = true;
    if (command === 'monitor') this.monitorMode = true;
    const isSubscribe = command === 'subscribe' || command === 'psubscribe' || command === 'ssubscribe';
    const isUnsubscribe = command === 'unsubscribe' || command === 'punsubscribe' || command === 'sunsubscribe';
    if (command === 'sync' || command === 'psync') this.slaveMode = true;
    if (argv.length === 3 && command === 'script' && argv[1].toLowerCase() === 'debug') {
      const v = argv[2].toLowerCase();
      this.enableLdbOnEval = v === 'yes' || v === 'sync';
    }
    if (command === 'eval' && this.enableLdbOnEval) {
      c.evalLdb = true;
      c.output = Output.Raw;
      if (this.ldbFormat === null) await this.loadLdb();
    }

    // A negative repeat count repeats forever (with -i, a monitoring loop).
    while (repeat < 0 || repeat-- > 0) {
      this.conn.send(argv);
      if (this.monitorMode) {
        do {
          if (!(await this.readReply(outputRaw))) {
            this.printContextError(this.conn?.err);
            io.exit(1);
          }
          io.flush();
          if (this.lastReply?.type === T.Error) this.monitorMode = false;
        } while (this.monitorMode);
        return true;
      }
      let expectedPubsubPushes = 0;
      if (isSubscribe || isUnsubscribe) {
        // The confirmations are pushes: read them as replies.
        expectedPubsubPushes = argv.length > 1 ? argv.length - 1 : 1;
        this.conn.pushHandler = null;
      }
      if (this.slaveMode) {
        io.out('Entering replica output mode...  (press Ctrl-C to quit)\n');
        io.flush();
        if (this.runSlaveMode) await this.runSlaveMode(this);
        this.slaveMode = false;
        return false;
      }
      for (;;) {
        if (!(await this.readReply(outputRaw))) return false;
        io.flush();
        const last = this.lastReply;
        if (last === null) break; // reconnected after Ctrl-C
        if (this.pubsubMode || expectedPubsubPushes > 0) {
          if (isPubsubPush(last, this.currentResp3)) {
            if (expectedPubsubPushes > 0 && last.elements![0].str.toLowerCase() === command) {
              if (isSubscribe && !this.pubsubMode) {
                this.pubsubMode = true;
                this.refreshPrompt();
              }
              if (--expectedPubsubPushes > 0) continue;
            } else {
              continue;
            }
          } else if (last.type === T.Push) {
            continue;
          }
        }
        const argc = argv.length;
        if (command === 'select' && argc === 2 && last.type !== T.Error) {
          c.inputDb = this.dbnum = atoiDb(argv[1]);
          this.refreshPrompt();
        } else if (command === 'auth' && (argc === 2 || argc === 3)) {
          await this.select();
        } else if (command === 'multi' && argc === 1 && last.type !== T.Error) {
          this.inMulti = true;
          this.preMultiDbnum = this.dbnum;
          this.refreshPrompt();
        } else if (command === 'exec' && argc === 1 && this.inMulti) {
          this.inMulti = false;
          if (last.type === T.Error || last.type === T.Nil) c.inputDb = this.dbnum = this.preMultiDbnum;
          this.refreshPrompt();
        } else if (command === 'discard' && argc === 1 && last.type !== T.Error) {
          this.inMulti = false;
          c.inputDb = this.dbnum = this.preMultiDbnum;
          this.refreshPrompt();
        } else if (command === 'reset' && argc === 1 && last.type !== T.Error) {
          this.inMulti = false;
          this.dbnum = 0;
          c.inputDb = 0;
          this.currentResp3 = false;
          if (this.pubsubMode && c.pushOutput) this.setPushHandler();
          this.pubsubMode = false;
          this.refreshPrompt();
        } else if (command === 'hello') {
          if (last.type === T.Map) this.currentResp3 = true;
          else if (last.type === T.Array) this.currentResp3 = false;
        } else if ((isSubscribe || isUnsubscribe) && !this.pubsubMode) {
          if (c.pushOutput) this.setPushHandler();
        }
        break;
      }
      if (this.clusterReissueCommand) break;
      if (c.interval) await sleep(c.interval / 1000);
      io.flush();
    }
    return true;
  }

  async sendAsking(): Promise<boolean> {
    this.clusterSendAsking = false;
    if (this.conn === null) return false;
    let r: Reply;
    try {
      r = await this.conn.command('ASKING');
    } catch {
      io.err('\nI/O error\n');
      return false;
    }
    if (r.type === T.Error) {
      io.err(`ASKING failed: ${r.str}\n`);
      return false;
    }
    return true;
  }

  /** Help requested in place of a command (set by the help module). */
  outputHelp: ((cli: Cli, argv: string[]) => Promise<void>) | null = null;

  /** redis-cli's issueCommandRepeat. */
  async issueCommandRepeat(argv: string[], repeat: number): Promise<boolean> {
    const c = this.config;
    const cmd = argv[0].toLowerCase();
    if (!c.evalLdb && (cmd === 'help' || cmd === '?')) {
      if (this.outputHelp) await this.outputHelp(this, argv.slice(1));
      return true;
    }
    for (;;) {
      if (this.clusterReissueCommand || this.conn === null || this.conn.err !== null) {
        if (!(await this.connect(CC.Force))) {
          this.clusterReissueCommand = false;
          return false;
        }
      }
      this.clusterReissueCommand = false;
      if (this.clusterSendAsking) {
        if (!(await this.sendAsking())) {
          this.printContextError(this.conn?.err);
          return false;
        }
      }
      if (!(await this.sendCommand(argv, repeat))) {
        this.printContextError(this.conn?.err);
        this.conn?.close();
        this.conn = null;
        return false;
      }
      if (c.clusterMode && this.clusterReissueCommand) continue;
      break;
    }
    return true;
  }
}

function cstr(s: string): string {
  const i = s.indexOf('\0');
  return i < 0 ? s : s.slice(0, i);
}

function atoiDb(s: string): number {
  const m = /^\s*([+-]?\d+)/.exec(s);
  return m ? Number(m[1]) | 0 : 0;
}

/** anetFormatAddr: IPv6 addresses in brackets. */
export function formatAddr(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
