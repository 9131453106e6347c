// spinel-cli: redis-cli 7.2 for Spinel and any Redis. The entry point reads
// the options, then runs one mode: a tool (--stat, --scan, --pipe, ...), the
// interactive prompt, or the command given on the command line.

import fs from 'node:fs';
import tty from 'node:tty';
import { defaultConfig, parseOptions, EarlyExit, type CliConfig } from './args.js';
import { Cli, CC } from './cli.js';
import { splitArgs, unquoteCString } from './splitargs.js';
import * as io from './io.js';

/** The last argument read from stdin (-x, -X). */
function readArgFromStdin(): string {
  let data: Buffer;
  try {
    data = fs.readFileSync(0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EAGAIN') data = readStdinBlocking();
    else {
      io.err('Failed to read from stdin\n');
      io.exit(1);
    }
  }
  return data.toString('latin1');
}

/** stdin opened non-blocking (a terminal shared with a parent): poll until EOF. */
function readStdinBlocking(): Buffer {
  const chunks: Buffer[] = [];
  const buf = Buffer.allocUnsafe(65536);
  for (;;) {
    let n: number;
    try {
      n = fs.readSync(0, buf, 0, buf.length, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
        continue;
      }
      throw e;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return Buffer.concat(chunks);
}

async function noninteractive(cli: Cli, args: string[]): Promise<number> {
  const c = cli.config;
  let argv: string[];
  if (c.quotedInput) {
    argv = [];
    for (const a of args) {
      const u = unquoteCString(a);
      if (u === null) {
        io.out('Invalid quoted string\n');
        return 1;
      }
      argv.push(u);
    }
  } else {
    argv = args.slice();
  }
  if (c.stdinLastArg) {
    argv.push(readArgFromStdin());
  } else if (c.stdinTag !== null) {
    const value = readArgFromStdin();
    const i = argv.indexOf(c.stdinTag);
    if (i < 0) {
      io.err('Using -X option but stdin tag not match.\n');
      return 1;
    }
    argv[i] = value;
  }
  const ok = await issueCommand(cli, argv);
  while (cli.pubsubMode) {
    if (!(await cli.readReply(false))) {
      cli.printContextError(cli.conn?.err);
      io.exit(1);
    }
    io.flush();
  }
  return ok ? 0 : 1;
}

function issueCommand(cli: Cli, argv: string[]): Promise<boolean> {
  return cli.issueCommandRepeat(argv, cli.config.repeat);
}

async function evalMode(cli: Cli, args: string[]): Promise<number> {
  const c = cli.config;
  const { runEvalMode } = await import('./eval.js');
  return runEvalMode(cli, args, c.evalFile!);
}

/** The tool modes, in redis-cli's order of precedence; each ends the program. */
async function runTool(cli: Cli): Promise<void> {
  const config = cli.config;
  const tools = await import('./tools/index.js');
  const connectOrExit = async (): Promise<void> => {
    if (!(await cli.connect(0))) io.exit(1);
  };
  if (config.latencyMode) {
    await connectOrExit();
    await tools.latencyMode(cli);
  }
  if (config.latencyDistMode) {
    await connectOrExit();
    await tools.latencyDistMode(cli);
  }
  if (config.slaveMode) {
    await connectOrExit();
    await tools.replicaMode(cli);
  }
  if (config.getrdbMode || config.getFunctionsRdbMode) {
    await connectOrExit();
    await tools.getRdbMode(cli);
  }
  if (config.pipeMode) {
    await connectOrExit();
    await tools.pipeMode(cli);
  }
  if (config.bigkeys) {
    await connectOrExit();
    await tools.findBigKeys(cli, false, 0);
  }
  if (config.memkeys) {
    await connectOrExit();
    await tools.findBigKeys(cli, true, config.memkeysSamples);
  }
  if (config.hotkeys) {
    await connectOrExit();
    await tools.findHotKeys(cli);
  }
  if (config.statMode) {
    await connectOrExit();
    if (config.interval === 0) config.interval = 1000000;
    await tools.statMode(cli);
  }
  if (config.scanMode) {
    await connectOrExit();
    await tools.scanMode(cli);
  }
  if (config.lruTestMode) {
    await connectOrExit();
    await tools.lruTestMode(cli);
  }
  if (config.intrinsicLatencyMode) await tools.intrinsicLatencyMode(cli);
}

async function main(): Promise<void> {
  const stdoutTTY = tty.isatty(1) || process.env.FAKETTY !== undefined;
  const config: CliConfig = defaultConfig(stdoutTTY);
  const rawArgs = process.argv.slice(2).map(io.toBytes);
  const warnings: string[] = [];
  let first: number;
  try {
    first = parseOptions(rawArgs, config, warnings);
  } catch (e) {
    if (e instanceof EarlyExit) {
      for (const w of warnings) io.err(w);
      if (e.stdout) io.out(e.stdout);
      if (e.stderr) io.err(e.stderr);
      io.exit(e.code);
    }
    throw e;
  }
  for (const w of warnings) io.err(w);
  const args = rawArgs.slice(first);

  // Environment: REDISCLI_AUTH (unless -a), REDISCLI_CLUSTER_YES.
  const envAuth = process.env.REDISCLI_AUTH;
  if (envAuth !== undefined && config.auth === null) config.auth = io.toBytes(envAuth);
  if (process.env.REDISCLI_CLUSTER_YES === '1') config.cluster.flags.add('yes');

  if (config.askpass) {
    const { askPassword } = await import('./askpass.js');
    config.auth = await askPassword('Please input password: ');
  }
  if (config.cluster.fromAskpass) {
    const { askPassword } = await import('./askpass.js');
    config.cluster.fromPass = await askPassword('Please input import source node password: ');
  }

  const cli = new Cli(config);
  // Modules load on demand: a one-shot command needs none of the tools.
  cli.outputHelp = async (c, argv) => (await import('./help.js')).outputHelp(c, argv);
  cli.runSlaveMode = async (c) => (await import('./tools/replica.js')).slaveMode(c, false);
  cli.loadLdb = async () => {
    cli.ldbFormat = (await import('./eval.js')).formatRawLdb;
  };

  if (config.testHint !== null) await (await import('./help.js')).testHint(cli, config.testHint);
  if (config.testHintFile !== null) await (await import('./help.js')).testHintSuite(cli, config.testHintFile);

  if (config.cluster.name !== null) {
    const { clusterManagerMode } = await import('./tools/cluster.js');
    io.exit(await clusterManagerMode(cli));
  }
  const toolMode =
    config.latencyMode ||
    config.latencyDistMode ||
    config.slaveMode ||
    config.getrdbMode ||
    config.getFunctionsRdbMode ||
    config.pipeMode ||
    config.bigkeys ||
    config.memkeys ||
    config.hotkeys ||
    config.statMode ||
    config.scanMode ||
    config.lruTestMode ||
    config.intrinsicLatencyMode;
  if (toolMode) await runTool(cli);
  if (config.evalLdb) await cli.loadLdb();

  if (args.length === 0 && config.evalFile === null) {
    const { repl } = await import('./repl.js');
    await cli.connect(0);
    await repl(cli);
    io.exit(0);
  }
  if (config.evalFile !== null) {
    if (!(await cli.connect(0))) io.exit(1);
    io.exit(await evalMode(cli, args));
  }
  await cli.connect(CC.Quiet);
  io.exit(await noninteractive(cli, args));
}

export { splitArgs };

main().catch((e) => {
  io.err(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  io.exit(1);
});
