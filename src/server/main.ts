// Entry point of spinel-server: redis-server's command line
// (`spinel-server [configfile] [--name value ...] [-]`), the config file,
// logging, daemonize + pidfile, signals, then listening.

import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SPINEL_VERSION, type Server } from './server.js';
import { openServer, StartError } from './start.js';
import { Logger } from './log.js';
import { commandTable } from '../commands/table.js';
import { Config } from '../config/config.js';
import { ConfigLoadError, emptyExtras, fatal, loadServerConfig, parseCommandLine, strerror } from '../config/parse.js';
import { prepareForShutdown, setPidfile, setShutdownExit, signalShutdownFlags } from '../commands/admin.js';
import { loadAtStartup } from '../persistence/persistence.js';

const DAEMON_ENV = 'SPINEL_DAEMON_CHILD';
const DAEMON_STDIN_ENV = 'SPINEL_DAEMON_STDIN';
/** Redis's CONFIG_DEFAULT_PID_FILE, used when daemonized without a pidfile. */
const DEFAULT_PIDFILE = '/var/run/redis.pid';

export function versionLine(): string {
  return `Spinel server v=${SPINEL_VERSION} sha=00000000:0 malloc=libc bits=64 build=spinel-node${process.versions.node}`;
}

function usage(): string {
  const n = './spinel-server';
  return [
    `Usage: ${n} [/path/to/spinel.conf] [options] [-]`,
    `       ${n} - (read config from stdin)`,
    `       ${n} -v or --version`,
    `       ${n} -h or --help`,
    '',
    'Examples:',
    `       ${n} (run the server with default conf)`,
    `       echo 'maxmemory 128mb' | ${n} -`,
    `       ${n} /etc/spinel/6379.conf`,
    `       ${n} --port 7777`,
    `       ${n} --port 7777 --replicaof 127.0.0.1 8888`,
    `       ${n} /etc/myspinel.conf --loglevel verbose -`,
    `       ${n} /etc/myspinel.conf --loglevel verbose`,
    '',
  ].join('\n');
}

const LOGO = [
  '',
  '   ____        _            __',
  '  / __/__  (_)__  ___ / /   Spinel {version} (Redis {version} compatible)',
  ' _\\ \\/ _ \\/ / _ \\/ -_) /    Running in standalone mode',
  '/___/ .__/_/_//_/\\__/_/     Port: {port}',
  '   /_/                      PID: {pid}',
  '',
].join('\n');

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const isDaemonChild = process.env[DAEMON_ENV] === '1';
  const cl = parseCommandLine(args);
  if (cl.mode === 'version') {
    process.stdout.write(versionLine() + '\n');
    process.exit(0);
  }
  if (cl.mode === 'help') {
    process.stderr.write(usage());
    process.exit(1);
  }

  const boot = new Logger();
  boot.role = 'C';
  let stdinText: string | null = null;
  if (cl.fromStdin) {
    if (isDaemonChild) stdinText = process.env[DAEMON_STDIN_ENV] ?? '';
    else {
      boot.warning('Reading config from stdin');
      try {
        stdinText = fs.readFileSync(0, 'latin1');
      } catch {
        stdinText = '';
      }
    }
  }

  const config = new Config();
  const extras = emptyExtras();
  if (cl.configFile) config.configFile = cl.configFile;
  try {
    loadServerConfig(config, extras, cl.configFile, stdinText, cl.options || cl.fromStdin || cl.configFile ? cl.options : null);
  } catch (e) {
    if (e instanceof ConfigLoadError) {
      if (e.stderr !== null) process.stderr.write(e.stderr);
      else boot.warning(e.log!);
      process.exit(1);
    }
    throw e;
  }
  // rename-command is checked while loading, as in Redis (the table is this process's).
  for (const r of extras.renameCommands) {
    const err = commandTable().rename(r.from, r.to);
    if (err) {
      process.stderr.write(fatal(r.linenum, r.line, err).stderr!);
      process.exit(1);
    }
  }
  boot.file = config.str('logfile');
  boot.setLevel(config.str('loglevel'));

  if (!isDaemonChild) {
    boot.warning('oO0OoO0OoO0Oo Spinel is starting oO0OoO0OoO0Oo');
    boot.warning(`Spinel version=${SPINEL_VERSION}, bits=64, commit=00000000, modified=0, pid=${process.pid}, just started`);
    if (args.length === 0) {
      boot.warning(
        'Warning: no config file specified, using the default config. In order to specify a config file use ./spinel-server /path/to/spinel.conf',
      );
    } else boot.warning('Configuration loaded');
  }

  const daemonize = config.bool('daemonize');
  if (daemonize && config.str('pidfile') === '') config.setQuiet('pidfile', DEFAULT_PIDFILE);
  if (daemonize && !isDaemonChild) {
    await spawnDaemon(args, stdinText);
    return;
  }

  if (config.get<string>('dir') !== '') {
    try {
      process.chdir(config.get<string>('dir'));
    } catch (e) {
      boot.warning(`Can't chdir to '${config.get<string>('dir')}': ${strerror(e)}`);
      process.exit(1);
    }
  }

  let server: Server;
  try {
    server = await openServer(config, extras);
  } catch (e) {
    if (!(e instanceof StartError)) throw e;
    for (const line of e.lines) e.server.log.warning(line);
    process.exit(1);
  }

  const pidfile = config.str('pidfile');
  if (pidfile) {
    try {
      fs.writeFileSync(pidfile, `${process.pid}\n`);
      setPidfile(server, pidfile);
    } catch (e) {
      server.log.warning(`Failed to write PID file: ${strerror(e)}`);
    }
  }

  if (config.bool('always-show-logo') || process.stdout.isTTY) {
    server.log.rawLine(
      LOGO.replaceAll('{version}', SPINEL_VERSION)
        .replace('{port}', String(config.num('port')))
        .replace('{pid}', String(process.pid)),
    );
  } else {
    server.log.notice(`Running mode=standalone, port=${config.num('port')}.`);
  }
  server.log.warning('Server initialized');
  if (!loadAtStartup(server)) process.exit(1);
  server.startCron();
  if (config.num('port') !== 0) server.log.notice('Ready to accept connections tcp');
  if (config.str('unixsocket')) server.log.notice('Ready to accept connections unix');
  if (isDaemonChild && process.send) {
    process.send('ready');
    process.disconnect();
  }

  setShutdownExit(server, (code) => process.exit(code));
  let signalled = false;
  const onSignal = (sig: 'SIGTERM' | 'SIGINT'): void => {
    if (signalled) {
      server.log.warning('You insist... exiting now.');
      if (pidfile) {
        try {
          fs.unlinkSync(pidfile);
        } catch {
          /* gone */
        }
      }
      process.exit(1);
    }
    signalled = true;
    server.log.fromSignal(`Received ${sig} scheduling shutdown...`);
    const setting = config.str(sig === 'SIGINT' ? 'shutdown-on-sigint' : 'shutdown-on-sigterm');
    // As in Redis, a failed final save (without FORCE) keeps the server running.
    const flags = signalShutdownFlags(setting);
    void prepareForShutdown(server, flags).then((ok) => {
      if (!ok) {
        signalled = false;
        server.log.warning(`${sig} received but errors trying to shut down the server, check the logs for more information`);
      }
    });
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
  // Redis ignores SIGHUP (a closed terminal does not stop the server).
  process.on('SIGHUP', () => {});
}

/**
 * daemonize: Node cannot fork, so the server re-runs itself detached with the
 * same arguments (and the stdin config, if any); this process exits 0 once the
 * child is listening, 1 if the child dies first.
 */
function spawnDaemon(args: string[], stdinText: string | null): Promise<void> {
  const script = fileURLToPath(import.meta.url);
  const env: NodeJS.ProcessEnv = { ...process.env, [DAEMON_ENV]: '1' };
  if (stdinText !== null) env[DAEMON_STDIN_ENV] = stdinText;
  const child = spawn(process.execPath, [...process.execArgv, script, ...args], {
    detached: true,
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    env,
    cwd: process.cwd(),
  });
  return new Promise(() => {
    child.on('message', (m) => {
      if (m === 'ready') {
        child.unref();
        process.exit(0);
      }
    });
    child.on('exit', (code) => process.exit(code === 0 ? 0 : 1));
  });
}

const entry = process.argv[1] ? path.resolve(process.argv[1]) : '';
const self = fileURLToPath(import.meta.url);
if (entry === self || entry.endsWith(`${path.sep}spinel-server`) || process.env[DAEMON_ENV] === '1') {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
