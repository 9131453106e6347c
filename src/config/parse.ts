// Reading the configuration like redis-server does: the config file (with
// `include`), stdin (`-`), then the command-line options turned into config
// lines (main() in server.c and loadServerConfig* in config.c).

import fs from 'node:fs';
import path from 'node:path';
import { splitArgs } from '../protocol/parser.js';
import { repr } from '../util/repr.js';
import { globMatch } from '../util/glob.js';
import type { Config } from './config.js';
import { DEPRECATED } from './params.js';

export const REDIS_VERSION_FOR_ERRORS = '7.2.6';

/** A start-up failure: `stderr` is printed as is (FATAL CONFIG FILE ERROR), `log` goes through the logger. */
export class ConfigLoadError extends Error {
  constructor(
    readonly stderr: string | null,
    readonly log: string | null,
  ) {
    super(stderr ?? log ?? 'config error');
  }
}

/** Directives that are not parameters, kept for the subsystems that read them. */
export interface ConfigExtras {
  /** rename-command old new ('' disables), with the line for the error report. */
  renameCommands: { from: string; to: string; linenum: number; line: string }[];
  /** user <name> <rules...> lines (ACL). */
  users: string[][];
  /** loadmodule path args... */
  modules: string[][];
  /** module.option value lines. */
  moduleConfigs: [string, string][];
}

export function emptyExtras(): ConfigExtras {
  return { renameCommands: [], users: [], modules: [], moduleConfigs: [] };
}

/** Whether the path has glob characters (include with wildcards). */
function hasGlob(p: string): boolean {
  return /[*?[]/.test(p);
}

/** Files matching a glob in its directory, sorted (glob(3) order). Wildcards only in the last component. */
function globFiles(pattern: string): string[] {
  const dir = path.dirname(pattern);
  const base = path.basename(pattern);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => !n.startsWith('.') && globMatch(base, n, false))
    .sort()
    .map((n) => path.join(dir, n));
}

function readConfigFile(filename: string): string {
  const files = hasGlob(filename) ? globFiles(filename) : [filename];
  let text = '';
  for (const f of files) {
    try {
      text += fs.readFileSync(f, 'latin1');
    } catch (e) {
      throw new ConfigLoadError(null, `Fatal error, can't open config file '${f}': ${strerror(e)}`);
    }
  }
  return text;
}

export function strerror(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'No such file or directory';
    case 'EACCES':
      return 'Permission denied';
    case 'EISDIR':
      return 'Is a directory';
    case 'ENOTDIR':
      return 'Not a directory';
    case 'EROFS':
      return 'Read-only file system';
    case 'EADDRINUSE':
      return 'Address already in use';
    case 'EADDRNOTAVAIL':
      return 'Cannot assign requested address';
    default:
      return (e as Error).message ?? String(e);
  }
}

export function fatal(linenum: number | null, line: string | null, err: string): ConfigLoadError {
  let s = `\n*** FATAL CONFIG FILE ERROR (Redis ${REDIS_VERSION_FOR_ERRORS}) ***\n`;
  if (linenum !== null) s += `Reading the configuration file, at line ${linenum}\n>>> '${line}'\n`;
  return new ConfigLoadError(s + err + '\n', null);
}

/**
 * loadServerConfig(): the file's content, then stdin's, then the options
 * string, parsed as one text. Throws ConfigLoadError.
 */
export function loadServerConfig(
  cfg: Config,
  extras: ConfigExtras,
  filename: string | null,
  stdinText: string | null,
  options: string | null,
): void {
  let config = '';
  if (filename) config += readConfigFile(filename);
  if (stdinText !== null) config += stdinText;
  if (options !== null) config += '\n' + options;
  loadServerConfigFromString(cfg, extras, config);
}

/** Trims like sdstrim(s, " \t\r\n"). */
function trimLine(s: string): string {
  return s.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
}

/** loadServerConfigFromString(): every directive of a config text, in order. */
export function loadServerConfigFromString(cfg: Config, extras: ConfigExtras, text: string): void {
  const lines = text.split('\n');
  const wasLoading = cfg.loading;
  cfg.loading = true;
  try {
    for (let i = 0; i < lines.length; i++) {
      const linenum = i + 1;
      const line = trimLine(lines[i]);
      if (line === '' || line[0] === '#') continue;
      const argv = splitArgs(line);
      if (argv === null) throw fatal(linenum, line, 'Unbalanced quotes in configuration line');
      if (argv.length === 0) continue;
      const name = argv[0].toLowerCase();
      const p = cfg.param(name);
      if (p) {
        if (!p.multiArg && argv.length !== 2) throw fatal(linenum, line, 'wrong number of arguments');
        let args = argv.slice(1);
        if (p.multiArg && argv.length === 2 && argv[1] !== '') {
          const split = splitArgs(argv[1]);
          args = split ?? [];
        }
        const err = cfg.setFromArgs(p, args);
        if (err !== null) throw fatal(linenum, line, err);
        continue;
      }
      if (DEPRECATED.some((d) => d.name === name && argv.length >= d.min && argv.length <= d.max)) continue;
      if (name === 'include' && argv.length === 2) {
        loadServerConfig(cfg, extras, argv[1], null, null);
      } else if (name === 'rename-command' && argv.length === 3) {
        extras.renameCommands.push({ from: argv[1], to: argv[2], linenum, line });
      } else if (name === 'user' && argv.length >= 2) {
        extras.users.push(argv.slice(1));
      } else if (name === 'loadmodule' && argv.length >= 2) {
        extras.modules.push(argv.slice(1));
      } else if (name.includes('.')) {
        if (argv.length < 2) throw fatal(linenum, line, 'Module config specified without value');
        extras.moduleConfigs.push([argv[0], argv.slice(1).join(' ')]);
      } else if (name === 'sentinel') {
        if (argv.length !== 1) throw fatal(linenum, line, 'sentinel directive while not in sentinel mode');
      } else {
        throw fatal(linenum, line, 'Bad directive or wrong number of arguments');
      }
    }
  } finally {
    cfg.loading = wasLoading;
  }
  const logfile = cfg.str('logfile');
  if (logfile !== '' && !wasLoading) {
    try {
      fs.closeSync(fs.openSync(logfile, 'a'));
    } catch (e) {
      throw fatal(null, null, `Can't open the log file: ${strerror(e)}`);
    }
  }
}

/** What the command line asks for. */
export interface CommandLine {
  mode: 'run' | 'version' | 'help';
  configFile: string | null;
  fromStdin: boolean;
  /** The options turned into config lines (like Redis's `options` sds). */
  options: string;
}

/**
 * Redis's main() argument handling: `[configfile] [--name value ...] [-]`.
 * Option values are quoted with sdscatrepr; `--save` with no value becomes `save ""`.
 */
export function parseCommandLine(argv: string[]): CommandLine {
  const res: CommandLine = { mode: 'run', configFile: null, fromStdin: false, options: '' };
  const argc = argv.length;
  if (argc === 0) return res;
  if (argv[0] === '-v' || argv[0] === '--version') return { ...res, mode: 'version' };
  if (argv[0] === '--help' || argv[0] === '-h') return { ...res, mode: 'help' };
  let j = 0;
  if (argv[0][0] !== '-') {
    res.configFile = path.resolve(argv[0]);
    j = 1;
  }
  let options = '';
  let handledLast = true;
  for (; j < argc; j++) {
    const a = argv[j];
    if (a === '-' && (j === 0 || j === argc - 1)) {
      res.fromStdin = true;
    } else if (handledLast && a.startsWith('--')) {
      if (options.length) options += '\n';
      options += a.slice(2) + ' ';
      const parts = splitArgs(a) ?? [];
      if (parts.length === 1) {
        handledLast = false;
        const next = argv[j + 1];
        const isSave = a.toLowerCase() === '--save';
        const isSentinel = a.toLowerCase() === '--sentinel';
        if (j !== argc - 1 && next.startsWith('--') && isSave) {
          options += '""';
          handledLast = true;
        } else if (j === argc - 1 && isSave) {
          options += '""';
        } else if (j !== argc - 1 && next.startsWith('--') && isSentinel) {
          handledLast = true;
        }
      } else {
        handledLast = true;
      }
    } else {
      options += repr(a) + ' ';
      handledLast = true;
    }
  }
  res.options = options;
  return res;
}
