// spinel-cli's command line: redis-cli 7.2's options, parsed the way
// redis-cli parses them (first non-option word starts the command; an
// option missing its value is "unrecognized"), its usage text and checks.

import { SPINEL_VERSION } from '../version.js';
import { Output } from './format.js';
import { unquoteCString } from './splitargs.js';

export const DEFAULT_PIPE_TIMEOUT = 30;

export interface ClusterManagerCommand {
  name: string | null;
  argv: string[];
  flags: Set<string>;
  replicas: number;
  from: string | null;
  to: string | null;
  weights: string[];
  masterId: string | null;
  slots: number;
  timeout: number;
  pipeline: number;
  threshold: number;
  fromUser: string | null;
  fromPass: string | null;
  fromAskpass: boolean;
}

export interface TlsOptions {
  enabled: boolean;
  sni: string | null;
  cacert: string | null;
  cacertdir: string | null;
  cert: string | null;
  key: string | null;
  ciphers: string | null;
  ciphersuites: string | null;
  insecure: boolean;
}

export interface CliConfig {
  host: string;
  port: number;
  socket: string | null;
  /** -4 / -6: address family preferred when the host name resolves to both. */
  family: 0 | 4 | 6;
  /** -t: connect timeout in seconds (0: none). */
  timeout: number;
  user: string | null;
  auth: string | null;
  askpass: boolean;
  noAuthWarning: boolean;
  /** -n / URI database: the one to SELECT after connecting. */
  inputDb: number;
  repeat: number;
  /** Microseconds between repeats (-i). */
  interval: number;
  stdinLastArg: boolean;
  stdinTag: string | null;
  mbDelim: string;
  cmdDelim: string;
  clusterMode: boolean;
  setErrcode: boolean;
  output: Output;
  quotedInput: boolean;
  pushOutput: boolean;
  resp2: boolean;
  /** 0 none, 1 -3 given, 2 implied by --json (HELLO 3 failing is then only a warning). */
  resp3: 0 | 1 | 2;
  verbose: boolean;
  tls: TlsOptions;
  // Modes.
  statMode: boolean;
  latencyMode: boolean;
  latencyHistory: boolean;
  latencyDistMode: boolean;
  monoPalette: boolean;
  lruTestMode: boolean;
  lruTestSampleSize: number;
  slaveMode: boolean;
  getrdbMode: boolean;
  getFunctionsRdbMode: boolean;
  rdbFilename: string | null;
  pipeMode: boolean;
  pipeTimeout: number;
  bigkeys: boolean;
  memkeys: boolean;
  memkeysSamples: number;
  hotkeys: boolean;
  scanMode: boolean;
  pattern: string | null;
  count: number;
  intrinsicLatencyMode: boolean;
  intrinsicLatencyDuration: number;
  evalFile: string | null;
  evalLdb: boolean;
  evalLdbSync: boolean;
  testHint: string | null;
  testHintFile: string | null;
  cluster: ClusterManagerCommand;
}

export function defaultConfig(stdoutIsTTY: boolean): CliConfig {
  return {
    host: '127.0.0.1',
    port: 6379,
    socket: null,
    family: 0,
    timeout: 0,
    user: null,
    auth: null,
    askpass: false,
    noAuthWarning: false,
    inputDb: 0,
    repeat: 1,
    interval: 0,
    stdinLastArg: false,
    stdinTag: null,
    mbDelim: '\n',
    cmdDelim: '\n',
    clusterMode: false,
    setErrcode: false,
    output: stdoutIsTTY ? Output.Standard : Output.Raw,
    quotedInput: false,
    pushOutput: stdoutIsTTY,
    resp2: false,
    resp3: 0,
    verbose: false,
    tls: { enabled: false, sni: null, cacert: null, cacertdir: null, cert: null, key: null, ciphers: null, ciphersuites: null, insecure: false },
    statMode: false,
    latencyMode: false,
    latencyHistory: false,
    latencyDistMode: false,
    monoPalette: false,
    lruTestMode: false,
    lruTestSampleSize: 0,
    slaveMode: false,
    getrdbMode: false,
    getFunctionsRdbMode: false,
    rdbFilename: null,
    pipeMode: false,
    pipeTimeout: DEFAULT_PIPE_TIMEOUT,
    bigkeys: false,
    memkeys: false,
    memkeysSamples: 0,
    hotkeys: false,
    scanMode: false,
    pattern: null,
    count: 10,
    intrinsicLatencyMode: false,
    intrinsicLatencyDuration: 0,
    evalFile: null,
    evalLdb: false,
    evalLdbSync: false,
    testHint: null,
    testHintFile: null,
    cluster: {
      name: null,
      argv: [],
      flags: new Set(),
      replicas: 0,
      from: null,
      to: null,
      weights: [],
      masterId: null,
      slots: 0,
      timeout: 60000,
      pipeline: 10,
      threshold: 2,
      fromUser: null,
      fromPass: null,
      fromAskpass: false,
    },
  };
}

/** What the command line asks besides a configuration: exit early with some text. */
export class EarlyExit {
  constructor(
    readonly code: number,
    readonly stdout: string,
    readonly stderr: string,
  ) {}
}

export function cliVersion(): string {
  return SPINEL_VERSION;
}

/** C's atoi: leading blanks, a sign, digits; 0 if none; wraps like a 32-bit int. */
export function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  if (!m) return 0;
  return Number(BigInt.asIntN(32, BigInt(m[1])));
}

/** C's strtoll(s, NULL, 10), saturating. */
export function strtoll(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  if (!m) return 0;
  const v = BigInt(m[1]);
  const max = 2n ** 63n - 1n;
  return Number(v > max ? max : v < -max - 1n ? -max - 1n : v);
}

/** C's atof (strtod): the longest numeric prefix, 0 if none. */
export function atof(s: string): number {
  const t = s.replace(/^[ \t\n\v\f\r]+/, '');
  const m = /^[+-]?(inf(inity)?|nan|0x[0-9a-f]+(\.[0-9a-f]*)?(p[+-]?\d+)?|(\d+\.?\d*|\.\d+)(e[+-]?\d+)?)/i.exec(t);
  if (!m) return 0;
  const v = m[0].toLowerCase();
  if (v.includes('inf')) return v.startsWith('-') ? -Infinity : Infinity;
  if (v.includes('nan')) return NaN;
  if (v.includes('0x')) {
    const neg = v.startsWith('-');
    const hex = v.replace(/^[+-]?0x/, '');
    const [mant, exp] = hex.split('p');
    const [ip, fp = ''] = mant.split('.');
    let val = parseInt(ip || '0', 16);
    for (let i = 0; i < fp.length; i++) val += parseInt(fp[i], 16) / 16 ** (i + 1);
    if (exp) val *= 2 ** Number(exp);
    return neg ? -val : val;
  }
  return Number(v);
}

/** URL percent decoding of a URI's user info; exits on malformed escapes. */
function percentDecode(s: string, tool: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '%') {
      out += s[i];
      continue;
    }
    // As redis-cli: one byte after '%' is enough to try (the next one may lie past the text).
    if (s.length - i < 2) throw new EarlyExit(1, '', 'Incomplete URI encoding\n');
    const h = s.slice(i + 1, i + 3).toLowerCase();
    if (!/^[0-9a-f]{2}$/.test(h)) throw new EarlyExit(1, '', 'Illegal character in URI encoding\n');
    out += String.fromCharCode(parseInt(h, 16));
    i += 2;
  }
  void tool;
  return out;
}

export interface UriTarget {
  host: string;
  port: number;
  user: string | null;
  auth: string | null;
  db: number;
  tls: boolean;
}

/**
 * redis:// and rediss:// URIs as redis-cli reads them:
 * [user[:password]@]host[:port][/db] (a lone word before '@' is the password).
 */
export function parseRedisUri(uri: string, tool: string, into: UriTarget): void {
  let rest: string;
  const lower = uri.toLowerCase();
  if (lower.startsWith('redis://')) rest = uri.slice(8);
  else if (lower.startsWith('rediss://')) {
    into.tls = true;
    rest = uri.slice(9);
  } else {
    throw new EarlyExit(1, '', 'Invalid URI scheme\n');
  }
  if (rest === '') return;
  const at = rest.indexOf('@');
  if (at >= 0) {
    const userinfo = rest.slice(0, at);
    const colon = userinfo.indexOf(':');
    if (colon >= 0) {
      into.user = percentDecode(userinfo.slice(0, colon), tool);
      into.auth = percentDecode(userinfo.slice(colon + 1), tool);
    } else {
      into.auth = percentDecode(userinfo, tool);
    }
    rest = rest.slice(at + 1);
  }
  if (rest === '') return;
  const slash = rest.indexOf('/');
  const hostport = slash >= 0 ? rest.slice(0, slash) : rest;
  if (!rest.startsWith('/')) {
    const colon = hostport.indexOf(':');
    if (colon >= 0) {
      into.port = atoi(hostport.slice(colon + 1));
      into.host = hostport.slice(0, colon);
    } else {
      into.host = hostport;
    }
  }
  if (slash < 0) return;
  const db = rest.slice(slash + 1);
  if (db === '') return;
  into.db = atoi(db);
}

function clusterManagerMode(c: CliConfig): boolean {
  return c.cluster.name !== null;
}

/**
 * Parses the options; returns the index of the first command word. Throws
 * EarlyExit for --help, --version and errors, as redis-cli exits for them.
 * Warnings that do not stop the program are appended to `warnings`.
 */
export function parseOptions(argv: string[], config: CliConfig, warnings: string[]): number {
  let i: number;
  for (i = 0; i < argv.length; i++) {
    const a = argv[i];
    const lastarg = i === argv.length - 1;
    const next = (): string => argv[++i];
    if (a === '-h' && !lastarg) config.host = next();
    else if (a === '-h' && lastarg) throw new EarlyExit(0, usage(), '');
    else if (a === '--help') throw new EarlyExit(0, usage(), '');
    else if (a === '-x') config.stdinLastArg = true;
    else if (a === '-X' && !lastarg) config.stdinTag = next();
    else if (a === '-p' && !lastarg) {
      config.port = atoi(next());
      if (config.port < 0 || config.port > 65535) throw new EarlyExit(1, '', 'Invalid server port.\n');
    } else if (a === '-s' && !lastarg) config.socket = next();
    else if (a === '-r' && !lastarg) config.repeat = strtoll(next());
    else if (a === '-i' && !lastarg) config.interval = Math.trunc(atof(next()) * 1000000);
    else if (a === '-n' && !lastarg) config.inputDb = atoi(next());
    else if (a === '-t' && !lastarg) {
      const t = atof(next());
      if (!(t >= 0)) throw new EarlyExit(1, '', 'Invalid connection timeout for -t.\n');
      config.timeout = t;
    } else if (a === '-4') config.family = 4;
    else if (a === '-6') config.family = 6;
    else if (a === '--no-auth-warning') config.noAuthWarning = true;
    else if (a === '--askpass') config.askpass = true;
    else if ((a === '-a' || a === '--pass') && !lastarg) config.auth = next();
    else if (a === '--user' && !lastarg) config.user = next();
    else if (a === '-u' && !lastarg) {
      const t: UriTarget = { host: config.host, port: config.port, user: config.user, auth: config.auth, db: config.inputDb, tls: config.tls.enabled };
      parseRedisUri(next(), 'redis-cli', t);
      Object.assign(config, { host: t.host, port: t.port, user: t.user, auth: t.auth, inputDb: t.db });
      config.tls.enabled = t.tls;
      if (config.port < 0 || config.port > 65535) throw new EarlyExit(1, '', 'Invalid server port.\n');
    } else if (a === '--raw') config.output = Output.Raw;
    else if (a === '--no-raw') config.output = Output.Standard;
    else if (a === '--quoted-input') config.quotedInput = true;
    else if (a === '--csv') config.output = Output.Csv;
    else if (a === '--json' || a === '--quoted-json') {
      if (config.resp3 === 0) config.resp3 = 2;
      config.output = a === '--json' ? Output.Json : Output.QuotedJson;
    } else if (a === '--latency') config.latencyMode = true;
    else if (a === '--latency-dist') config.latencyDistMode = true;
    else if (a === '--mono') config.monoPalette = true;
    else if (a === '--latency-history') {
      config.latencyMode = true;
      config.latencyHistory = true;
    } else if (a === '--lru-test' && !lastarg) {
      config.lruTestMode = true;
      config.lruTestSampleSize = strtoll(next());
    } else if (a === '--slave' || a === '--replica') config.slaveMode = true;
    else if (a === '--stat') config.statMode = true;
    else if (a === '--scan') config.scanMode = true;
    else if (a === '--pattern' && !lastarg) config.pattern = next();
    else if (a === '--count' && !lastarg) config.count = atoi(next());
    else if (a === '--quoted-pattern' && !lastarg) {
      const p = unquoteCString(next());
      if (p === null) throw new EarlyExit(1, '', 'Invalid quoted string specified for --quoted-pattern.\n');
      config.pattern = p;
    } else if (a === '--intrinsic-latency' && !lastarg) {
      config.intrinsicLatencyMode = true;
      config.intrinsicLatencyDuration = atoi(next());
    } else if (a === '--rdb' && !lastarg) {
      config.getrdbMode = true;
      config.rdbFilename = next();
    } else if (a === '--functions-rdb' && !lastarg) {
      config.getFunctionsRdbMode = true;
      config.rdbFilename = next();
    } else if (a === '--pipe') config.pipeMode = true;
    else if (a === '--pipe-timeout' && !lastarg) config.pipeTimeout = atoi(next());
    else if (a === '--bigkeys') config.bigkeys = true;
    else if (a === '--memkeys') {
      config.memkeys = true;
      config.memkeysSamples = 0;
    } else if (a === '--memkeys-samples' && !lastarg) {
      config.memkeys = true;
      config.memkeysSamples = atoi(next());
    } else if (a === '--hotkeys') config.hotkeys = true;
    else if (a === '--eval' && !lastarg) config.evalFile = next();
    else if (a === '--ldb') {
      config.evalLdb = true;
      config.output = Output.Raw;
    } else if (a === '--ldb-sync-mode') {
      config.evalLdb = true;
      config.evalLdbSync = true;
      config.output = Output.Raw;
    } else if (a === '-c') config.clusterMode = true;
    else if (a === '-d' && !lastarg) config.mbDelim = next();
    else if (a === '-D' && !lastarg) config.cmdDelim = next();
    else if (a === '-e') config.setErrcode = true;
    else if (a === '--verbose') config.verbose = true;
    else if (a === '--cluster' && !lastarg) {
      if (clusterManagerMode(config)) throw new EarlyExit(1, '', usage());
      const cmd = next();
      let j = i;
      while (j < argv.length && !argv[j].startsWith('-')) j++;
      if (j > i) j--;
      config.cluster.name = cmd;
      config.cluster.argv = argv.slice(i + 1, j + 1);
      i = j;
    } else if (a === '--cluster' && lastarg) throw new EarlyExit(1, '', usage());
    else if (a === '--cluster-only-masters') config.cluster.flags.add('masters-only');
    else if (a === '--cluster-only-replicas') config.cluster.flags.add('replicas-only');
    else if (a === '--cluster-replicas' && !lastarg) config.cluster.replicas = atoi(next());
    else if (a === '--cluster-master-id' && !lastarg) config.cluster.masterId = next();
    else if (a === '--cluster-from' && !lastarg) config.cluster.from = next();
    else if (a === '--cluster-to' && !lastarg) config.cluster.to = next();
    else if (a === '--cluster-from-user' && !lastarg) config.cluster.fromUser = next();
    else if (a === '--cluster-from-pass' && !lastarg) config.cluster.fromPass = next();
    else if (a === '--cluster-from-askpass') config.cluster.fromAskpass = true;
    else if (a === '--cluster-weight' && !lastarg) {
      if (config.cluster.weights.length) {
        throw new EarlyExit(
          1,
          '',
          'WARNING: you cannot use --cluster-weight more than once.\n' +
            'You can set more weights by adding them as a space-separated list, ie:\n' +
            '--cluster-weight n1=w n2=w\n',
        );
      }
      let w = i + 1;
      while (w < argv.length && !argv[w].startsWith('--') && argv[w].includes('=')) w++;
      config.cluster.weights = argv.slice(i + 1, w);
      i = w - 1;
    } else if (a === '--cluster-slots' && !lastarg) config.cluster.slots = atoi(next());
    else if (a === '--cluster-timeout' && !lastarg) config.cluster.timeout = atoi(next());
    else if (a === '--cluster-pipeline' && !lastarg) config.cluster.pipeline = atoi(next());
    else if (a === '--cluster-threshold' && !lastarg) config.cluster.threshold = atof(next());
    else if (a === '--cluster-yes') config.cluster.flags.add('yes');
    else if (a === '--cluster-simulate') config.cluster.flags.add('simulate');
    else if (a === '--cluster-replace') config.cluster.flags.add('replace');
    else if (a === '--cluster-copy') config.cluster.flags.add('copy');
    else if (a === '--cluster-slave') config.cluster.flags.add('slave');
    else if (a === '--cluster-use-empty-masters') config.cluster.flags.add('empty-masters');
    else if (a === '--cluster-search-multiple-owners') config.cluster.flags.add('check-owners');
    else if (a === '--cluster-fix-with-unreachable-masters') config.cluster.flags.add('fix-with-unreachable-masters');
    else if (a === '--test_hint' && !lastarg) config.testHint = next();
    else if (a === '--test_hint_file' && !lastarg) config.testHintFile = next();
    else if (a === '--tls') config.tls.enabled = true;
    else if (a === '--sni' && !lastarg) config.tls.sni = next();
    else if (a === '--cacertdir' && !lastarg) config.tls.cacertdir = next();
    else if (a === '--cacert' && !lastarg) config.tls.cacert = next();
    else if (a === '--cert' && !lastarg) config.tls.cert = next();
    else if (a === '--key' && !lastarg) config.tls.key = next();
    else if (a === '--tls-ciphers' && !lastarg) config.tls.ciphers = next();
    else if (a === '--tls-ciphersuites' && !lastarg) config.tls.ciphersuites = next();
    else if (a === '--insecure') config.tls.insecure = true;
    else if (a === '-v' || a === '--version') throw new EarlyExit(0, `spinel-cli ${cliVersion()}\n`, '');
    else if (a === '-2') config.resp2 = true;
    else if (a === '-3') config.resp3 = 1;
    else if (a === '--show-pushes' && !lastarg) {
      const v = next();
      if (/^n/i.test(v)) config.pushOutput = false;
      else if (/^y/i.test(v)) config.pushOutput = true;
      else warnings.push(`Unknown --show-pushes value '${v}' (valid: '[y]es', '[n]o')\n`);
    } else if (clusterManagerMode(config) && !a.startsWith('-')) {
      if (config.cluster.argv.length === 0) {
        let j = i + 1;
        while (j < argv.length && !argv[j].startsWith('-')) j++;
        config.cluster.argv = argv.slice(i, j);
        if (j - i > 1) i = j - 1;
      }
    } else if (a.startsWith('-')) {
      throw new EarlyExit(1, '', `Unrecognized option or bad number of args for: '${a}'\n`);
    } else {
      break; // the command's name
    }
  }

  if (config.socket !== null && config.clusterMode) throw new EarlyExit(1, '', 'Options -c and -s are mutually exclusive.\n');
  if (config.resp2 && config.resp3 === 1) throw new EarlyExit(1, '', 'Options -2 and -3 are mutually exclusive.\n');
  if (config.evalLdb && config.evalFile === null) {
    throw new EarlyExit(1, '', 'Options --ldb and --ldb-sync-mode require --eval.\nTry spinel-cli --help for more information.\n');
  }
  if (!config.noAuthWarning && config.auth !== null) {
    warnings.push("Warning: Using a password with '-a' or '-u' option on the command line interface may not be safe.\n");
  }
  if (config.getFunctionsRdbMode && config.getrdbMode) {
    throw new EarlyExit(1, warnings.join(''), 'Option --functions-rdb and --rdb are mutually exclusive.\n');
  }
  if (config.stdinLastArg && config.stdinTag !== null) {
    throw new EarlyExit(1, '', 'Options -x and -X are mutually exclusive.\n');
  }
  return i;
}

export function usage(): string {
  const v = cliVersion();
  return `spinel-cli ${v}

Usage: spinel-cli [OPTIONS] [cmd [arg [arg ...]]]
  -h <hostname>      Server hostname (default: 127.0.0.1).
  -p <port>          Server port (default: 6379).
  -s <socket>        Server socket (overrides hostname and port).
  -a <password>      Password to use when connecting to the server.
                     You can also use the REDISCLI_AUTH environment
                     variable to pass this password more safely
                     (if both are used, this argument takes precedence).
  --user <username>  Used to send ACL style 'AUTH username pass'. Needs -a.
  --pass <password>  Alias of -a for consistency with the new --user option.
  --askpass          Force user to input password with mask from STDIN.
                     If this argument is used, '-a' and REDISCLI_AUTH
                     environment variable will be ignored.
  -u <uri>           Server URI.
  -r <repeat>        Execute specified command N times.
  -i <interval>      When -r is used, waits <interval> seconds per command.
                     It is possible to specify sub-second times like -i 0.1.
                     This interval is also used in --scan and --stat per cycle.
                     and in --bigkeys, --memkeys, and --hotkeys per 100 cycles.
  -n <db>            Database number.
  -2                 Start session in RESP2 protocol mode.
  -3                 Start session in RESP3 protocol mode.
  -x                 Read last argument from STDIN (see example below).
  -X                 Read <tag> argument from STDIN (see example below).
  -d <delimiter>     Delimiter between response bulks for raw formatting (default: \\n).
  -D <delimiter>     Delimiter between responses for raw formatting (default: \\n).
  -c                 Enable cluster mode (follow -ASK and -MOVED redirections).
  -e                 Return exit error code when command execution fails.
  --tls              Establish a secure TLS connection.
  --sni <host>       Server name indication for TLS.
  --cacert <file>    CA Certificate file to verify with.
  --cacertdir <dir>  Directory where trusted CA certificates are stored.
                     If neither cacert nor cacertdir are specified, the default
                     system-wide trusted root certs configuration will apply.
  --insecure         Allow insecure TLS connection by skipping cert validation.
  --cert <file>      Client certificate to authenticate with.
  --key <file>       Private key file to authenticate with.
  --tls-ciphers <list> Sets the list of preferred ciphers (TLSv1.2 and below)
                     in order of preference from highest to lowest separated by colon (":").
                     See the ciphers(1ssl) manpage for more information about the syntax of this string.
  --tls-ciphersuites <list> Sets the list of preferred ciphersuites (TLSv1.3)
                     in order of preference from highest to lowest separated by colon (":").
                     See the ciphers(1ssl) manpage for more information about the syntax of this string,
                     and specifically for TLSv1.3 ciphersuites.
  --raw              Use raw formatting for replies (default when STDOUT is
                     not a tty).
  --no-raw           Force formatted output even when STDOUT is not a tty.
  --quoted-input     Force input to be handled as quoted strings.
  --csv              Output in CSV format.
  --json             Output in JSON format (default RESP3, use -2 if you want to use with RESP2).
  --quoted-json      Same as --json, but produce ASCII-safe quoted strings, not Unicode.
  --show-pushes <yn> Whether to print RESP3 PUSH messages.  Enabled by default when
                     STDOUT is a tty but can be overridden with --show-pushes no.
  --stat             Print rolling stats about server: mem, clients, ...
  --latency          Enter a special mode continuously sampling latency.
                     If you use this mode in an interactive session it runs
                     forever displaying real-time stats. Otherwise if --raw or
                     --csv is specified, or if you redirect the output to a non
                     TTY, it samples the latency for 1 second (you can use
                     -i to change the interval), then produces a single output
                     and exits.
  --latency-history  Like --latency but tracking latency changes over time.
                     Default time interval is 15 sec. Change it using -i.
  --latency-dist     Shows latency as a spectrum, requires xterm 256 colors.
                     Default time interval is 1 sec. Change it using -i.
  --lru-test <keys>  Simulate a cache workload with an 80-20 distribution.
  --replica          Simulate a replica showing commands received from the master.
  --rdb <filename>   Transfer an RDB dump from remote server to local file.
                     Use filename of "-" to write to stdout.
  --functions-rdb <filename> Like --rdb but only get the functions (not the keys)
                     when getting the RDB dump file.
  --pipe             Transfer raw Redis protocol from stdin to server.
  --pipe-timeout <n> In --pipe mode, abort with error if after sending all data.
                     no reply is received within <n> seconds.
                     Default timeout: ${DEFAULT_PIPE_TIMEOUT}. Use 0 to wait forever.
  --bigkeys          Sample Redis keys looking for keys with many elements (complexity).
  --memkeys          Sample Redis keys looking for keys consuming a lot of memory.
  --memkeys-samples <n> Sample Redis keys looking for keys consuming a lot of memory.
                     And define number of key elements to sample
  --hotkeys          Sample Redis keys looking for hot keys.
                     only works when maxmemory-policy is *lfu.
  --scan             List all keys using the SCAN command.
  --pattern <pat>    Keys pattern when using the --scan, --bigkeys or --hotkeys
                     options (default: *).
  --count <count>    Count option when using the --scan, --bigkeys or --hotkeys (default: 10).
  --quoted-pattern <pat> Same as --pattern, but the specified string can be
                         quoted, in order to pass an otherwise non binary-safe string.
  --intrinsic-latency <sec> Run a test to measure intrinsic system latency.
                     The test will run for the specified amount of seconds.
  --eval <file>      Send an EVAL command using the Lua script at <file>.
  --ldb              Used with --eval enable the Redis Lua debugger.
  --ldb-sync-mode    Like --ldb but uses the synchronous Lua debugger, in
                     this mode the server is blocked and script changes are
                     not rolled back from the server memory.
  --cluster <command> [args...] [opts...]
                     Cluster Manager command and arguments (see below).
  --verbose          Verbose mode.
  --no-auth-warning  Don't show warning message when using password on command
                     line interface.
  --help             Output this help and exit.
  --version          Output version and exit.

Cluster Manager Commands:
  Use --cluster help to list all available cluster manager commands.

Examples:
  cat /etc/passwd | spinel-cli -x set mypasswd
  spinel-cli -D "" --raw dump key > key.dump && spinel-cli -X dump_tag restore key2 0 dump_tag replace < key.dump
  spinel-cli -r 100 lpush mylist x
  spinel-cli -r 100 -i 1 info | grep used_memory_human:
  spinel-cli --quoted-input set '"null-\\x00-separated"' value
  spinel-cli --eval myscript.lua key1 key2 , arg1 arg2 arg3
  spinel-cli --scan --pattern '*:12345*'
  spinel-cli --scan --pattern '*:12345*' --count 100

  (Note: when using --eval the comma separates KEYS[] from ARGV[] items)

When no command is given, spinel-cli starts in interactive mode.
Type "help" in interactive mode for information on available commands
and settings.

`;
}
