// spinel-benchmark's command line: redis-benchmark 7.2's options, parsed as
// redis-benchmark parses them (the first word that is not an option starts
// the command to benchmark), and its usage text.

import { SPINEL_VERSION } from '../version.js';
import { parseRedisUri, atoi, EarlyExit, type UriTarget } from '../cli/args.js';
import type { TlsOptions } from '../cli/args.js';

export const DEFAULT_LATENCY_PRECISION = 3;
export const MAX_LATENCY_PRECISION = 4;
export const MAX_THREADS = 500;

export interface BenchConfig {
  host: string;
  port: number;
  socket: string | null;
  user: string | null;
  auth: string | null;
  dbnum: number;
  numclients: number;
  requests: number;
  keepalive: number;
  datasize: number;
  pipeline: number;
  randomkeys: boolean;
  keyspacelen: number;
  quiet: boolean;
  csv: boolean;
  loop: boolean;
  idlemode: boolean;
  stdinarg: boolean;
  seed: number | null;
  /** ",set,get," (lowercase) or null for every test. */
  tests: string | null;
  precision: number;
  threads: number;
  clusterMode: boolean;
  enableTracking: boolean;
  resp3: boolean;
  tls: TlsOptions;
  warnings: string[];
}

export function defaultBenchConfig(): BenchConfig {
  return {
    host: '127.0.0.1',
    port: 6379,
    socket: null,
    user: null,
    auth: null,
    dbnum: 0,
    numclients: 50,
    requests: 100000,
    keepalive: 1,
    datasize: 3,
    pipeline: 1,
    randomkeys: false,
    keyspacelen: 0,
    quiet: false,
    csv: false,
    loop: false,
    idlemode: false,
    stdinarg: false,
    seed: null,
    tests: null,
    precision: DEFAULT_LATENCY_PRECISION,
    threads: 0,
    clusterMode: false,
    enableTracking: false,
    resp3: false,
    tls: { enabled: false, sni: null, cacert: null, cacertdir: null, cert: null, key: null, ciphers: null, ciphersuites: null, insecure: false },
    warnings: [],
  };
}

export function benchmarkVersion(): string {
  return SPINEL_VERSION;
}

/** Parses the options; returns the index of the first word of the command to benchmark. */
export function parseBenchOptions(argv: string[], c: BenchConfig): number {
  let i: number;
  const invalid = (): never => {
    throw new EarlyExit(1, `Invalid option "${argv[i]}" or option argument missing\n\n` + usage(), '');
  };
  for (i = 0; i < argv.length; i++) {
    const a = argv[i];
    const lastarg = i === argv.length - 1;
    const value = (): string => {
      if (lastarg) invalid();
      return argv[++i];
    };
    if (a === '-c') c.numclients = atoi(value());
    else if (a === '-v' || a === '--version') throw new EarlyExit(0, `spinel-benchmark ${benchmarkVersion()}\n`, '');
    else if (a === '-n') c.requests = atoi(value());
    else if (a === '-k') c.keepalive = atoi(value());
    else if (a === '-h') c.host = value();
    else if (a === '-p') {
      c.port = atoi(value());
      if (c.port < 0 || c.port > 65535) throw new EarlyExit(1, '', 'Invalid server port.\n');
    } else if (a === '-s') c.socket = value();
    else if (a === '-x') c.stdinarg = true;
    else if (a === '-a') c.auth = value();
    else if (a === '--user') c.user = value();
    else if (a === '-u' && !lastarg) {
      const t: UriTarget = { host: c.host, port: c.port, user: c.user, auth: c.auth, db: c.dbnum, tls: c.tls.enabled };
      parseRedisUri(argv[++i], 'redis-benchmark', t);
      Object.assign(c, { host: t.host, port: t.port, user: t.user, auth: t.auth, dbnum: t.db });
      c.tls.enabled = t.tls;
      if (c.port < 0 || c.port > 65535) throw new EarlyExit(1, '', 'Invalid server port.\n');
    } else if (a === '-3') c.resp3 = true;
    else if (a === '-d') {
      c.datasize = atoi(value());
      if (c.datasize < 1) c.datasize = 1;
      if (c.datasize > 1024 * 1024 * 1024) c.datasize = 1024 * 1024 * 1024;
    } else if (a === '-P') {
      c.pipeline = atoi(value());
      if (c.pipeline <= 0) c.pipeline = 1;
    } else if (a === '-r') {
      const next = value();
      if (next.startsWith('-') && !/^-[0-9]/.test(next)) invalid();
      c.randomkeys = true;
      c.keyspacelen = Math.max(atoi(next), 0);
    } else if (a === '-q') c.quiet = true;
    else if (a === '--csv') c.csv = true;
    else if (a === '-l') c.loop = true;
    else if (a === '-I') c.idlemode = true;
    else if (a === '-e') c.warnings.push('WARNING: -e option has no effect. We now immediately exit on error to avoid false results.\n');
    else if (a === '--seed') c.seed = atoi(value());
    else if (a === '-t') c.tests = `,${value()},`.toLowerCase();
    else if (a === '--dbnum') c.dbnum = atoi(value());
    else if (a === '--precision') {
      c.precision = atoi(value());
      if (c.precision < 0) c.precision = DEFAULT_LATENCY_PRECISION;
      if (c.precision > MAX_LATENCY_PRECISION) c.precision = MAX_LATENCY_PRECISION;
    } else if (a === '--threads') {
      c.threads = atoi(value());
      if (c.threads > MAX_THREADS) {
        c.warnings.push(`WARNING: Too many threads, limiting threads to ${MAX_THREADS}.\n`);
        c.threads = MAX_THREADS;
      } else if (c.threads < 0) c.threads = 0;
    } else if (a === '--cluster') c.clusterMode = true;
    else if (a === '--enable-tracking') c.enableTracking = true;
    else if (a === '--help') throw new EarlyExit(0, usage(), '');
    else if (a === '--tls') c.tls.enabled = true;
    else if (a === '--sni') c.tls.sni = value();
    else if (a === '--cacertdir') c.tls.cacertdir = value();
    else if (a === '--cacert') c.tls.cacert = value();
    else if (a === '--insecure') c.tls.insecure = true;
    else if (a === '--cert') c.tls.cert = value();
    else if (a === '--key') c.tls.key = value();
    else if (a === '--tls-ciphers') c.tls.ciphers = value();
    else if (a === '--tls-ciphersuites') c.tls.ciphersuites = value();
    else {
      // A dash means a mistyped option; anything else starts the command.
      if (a.startsWith('-')) invalid();
      return i;
    }
  }
  return i;
}

export function usage(): string {
  return `Usage: spinel-benchmark [OPTIONS] [COMMAND ARGS...]

Options:
 -h <hostname>      Server hostname (default 127.0.0.1)
 -p <port>          Server port (default 6379)
 -s <socket>        Server socket (overrides host and port)
 -a <password>      Password for Redis Auth
 --user <username>  Used to send ACL style 'AUTH username pass'. Needs -a.
 -u <uri>           Server URI.
 -c <clients>       Number of parallel connections (default 50).
                    Note: If --cluster is used then number of clients has to be
                    the same or higher than the number of nodes.
 -n <requests>      Total number of requests (default 100000)
 -d <size>          Data size of SET/GET value in bytes (default 3)
 --dbnum <db>       SELECT the specified db number (default 0)
 -3                 Start session in RESP3 protocol mode.
 --threads <num>    Enable multi-thread mode.
 --cluster          Enable cluster mode.
                    If the command is supplied on the command line in cluster
                    mode, the key must contain "{tag}". Otherwise, the
                    command will not be sent to the right cluster node.
 --enable-tracking  Send CLIENT TRACKING on before starting benchmark.
 -k <boolean>       1=keep alive 0=reconnect (default 1)
 -r <keyspacelen>   Use random keys for SET/GET/INCR, random values for SADD,
                    random members and scores for ZADD.
                    Using this option the benchmark will expand the string
                    __rand_int__ inside an argument with a 12 digits number in
                    the specified range from 0 to keyspacelen-1. The
                    substitution changes every time a command is executed.
                    Default tests use this to hit random keys in the specified
                    range.
                    Note: If -r is omitted, all commands in a benchmark will
                    use the same key.
 -P <numreq>        Pipeline <numreq> requests. Default 1 (no pipeline).
 -q                 Quiet. Just show query/sec values
 --precision        Number of decimal places to display in latency output (default 0)
 --csv              Output in CSV format
 -l                 Loop. Run the tests forever
 -t <tests>         Only run the comma separated list of tests. The test
                    names are the same as the ones produced as output.
                    The -t option is ignored if a specific command is supplied
                    on the command line.
 -I                 Idle mode. Just open N idle connections and wait.
 -x                 Read last argument from STDIN.
 --seed <num>       Set the seed for random number generator. Default seed is based on time.
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
 --help             Output this help and exit.
 --version          Output version and exit.

Examples:

 Run the benchmark with the default configuration against 127.0.0.1:6379:
   $ spinel-benchmark

 Use 20 parallel clients, for a total of 100k requests, against 192.168.1.1:
   $ spinel-benchmark -h 192.168.1.1 -p 6379 -n 100000 -c 20

 Fill 127.0.0.1:6379 with about 1 million keys only using the SET test:
   $ spinel-benchmark -t set -n 1000000 -r 100000000

 Benchmark 127.0.0.1:6379 for a few commands producing CSV output:
   $ spinel-benchmark -t ping,set,get -n 100000 --csv

 Benchmark a specific command line:
   $ spinel-benchmark -r 10000 -n 10000 eval 'return redis.call("ping")' 0

 Fill a list with 10000 random elements:
   $ spinel-benchmark -r 10000 -n 10000 lpush mylist __rand_int__

 On user specified command lines __rand_int__ is replaced with a random integer
 with a range of values selected by the -r option.
`;
}
