// Spinel as a library: start servers inside a Node process (a test suite's
// Redis, without Docker), each with its own configuration and data.
//
//   import { createServer } from 'spinel';
//   const server = await createServer();            // 127.0.0.1, a free port
//   const redis = new Redis(server.port);           // ioredis, node-redis, ...
//   await server.close();

import { Config } from './config/config.js';
import { emptyExtras } from './config/parse.js';
import { splitArgs } from './protocol/parser.js';
import { openServer, StartError } from './server/start.js';
import type { Server } from './server/server.js';
import { loadAtStartup } from './persistence/persistence.js';
import { SPINEL_VERSION } from './version.js';

export { SPINEL_VERSION };

/** A configuration value: as written in redis.conf ("100mb", "yes"), or a number, boolean or list. */
export type ConfigValue = string | number | boolean | readonly string[];

export interface ServerOptions {
  /** TCP port; 0 (the default) lets the system pick a free one, reported as `port`. */
  port?: number;
  /** Addresses to listen on (default "127.0.0.1"). */
  bind?: string | readonly string[];
  /**
   * Any other redis.conf parameter by name, e.g. `{ maxmemory: '100mb',
   * 'maxmemory-policy': 'allkeys-lru', databases: 4, requirepass: 'secret' }`.
   * Persistence is off unless asked for (`save` defaults to ""); given
   * `dir` or `dbfilename`, the server loads that RDB file (when it exists)
   * before it resolves, as spinel-server does at start-up.
   */
  [parameter: string]: ConfigValue | undefined;
}

export interface SpinelServer {
  /** The port it listens on (the picked one when `port` was 0). */
  readonly port: number;
  /** The first address it listens on. */
  readonly host: string;
  /** "redis://host:port", for clients that take a URL. */
  readonly url: string;
  /** The unix socket path when `unixsocket` was set, else null. */
  readonly socketPath: string | null;
  /** The server object itself (Spinel's internals; not a stable interface). */
  readonly server: Server;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
}

/** A configuration error, in Redis's words (as spinel-server would report the option). */
export class ConfigError extends Error {}

function args(value: ConfigValue): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'boolean') return [value ? 'yes' : 'no'];
  return [String(value)];
}

/** Starts a Spinel server in this process. Rejects with ConfigError for a bad option. */
export async function createServer(options: ServerOptions = {}): Promise<SpinelServer> {
  const config = new Config();
  const given: [string, ConfigValue][] = Object.entries(options).filter((e): e is [string, ConfigValue] => e[1] !== undefined);
  const defaults: [string, ConfigValue][] = [
    ['port', 0],
    ['bind', '127.0.0.1'],
    ['save', ''],
  ];
  for (const [name, value] of [...defaults, ...given]) {
    const p = config.param(name);
    if (p === undefined) throw new ConfigError(`Bad directive or wrong number of arguments: ${name}`);
    let a = args(value);
    // A list parameter given as one string ("127.0.0.1 ::1", "3600 1 300 100") splits like a redis.conf line.
    if (p.multiArg && a.length === 1 && a[0] !== '') a = splitArgs(a[0]) ?? a;
    const err = config.setFromArgs(p, a);
    if (err !== null) throw new ConfigError(`${name}: ${err}`);
  }
  let server: Server;
  try {
    server = await openServer(config, emptyExtras(), { silent: config.str('logfile') === '', ephemeralPort: true });
  } catch (e) {
    if (e instanceof StartError) throw new Error(e.lines.join(' '));
    throw e;
  }
  if ((options.dir !== undefined || options.dbfilename !== undefined) && !loadAtStartup(server)) {
    await server.close();
    throw new Error(`Could not load ${config.str('dbfilename')}: see the server log`);
  }
  server.startCron();
  const host = config.get<string[]>('bind')[0]?.replace(/^-/, '') ?? '127.0.0.1';
  const port = server.boundPort;
  const socketPath = config.str('unixsocket') || null;
  return {
    port,
    host,
    url: `redis://${host.includes(':') ? `[${host}]` : host}:${port}`,
    socketPath,
    server,
    close: () => server.close(),
  };
}
