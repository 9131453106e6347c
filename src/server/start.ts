// Opening a server for a loaded configuration: what spinel-server (main.ts)
// and embedding (createServer in src/index.ts) share. The caller decides what
// happens next (main.ts adds the pidfile, logo, signals and process exit; an
// embedded server closes instead of exiting).

import { Server } from './server.js';
import type { Config } from '../config/config.js';
import type { ConfigExtras } from '../config/parse.js';

/** A start that failed; `lines` are what Redis logs (as warnings, through the server's log) before exiting. */
export class StartError extends Error {
  constructor(
    readonly lines: string[],
    readonly server: Server,
  ) {
    super(lines.join('\n'));
  }
}

export interface OpenOptions {
  /** No log output (an embedded server without a logfile). */
  silent?: boolean;
  /** `port 0` listens on a port the system picks (embedding). */
  ephemeralPort?: boolean;
}

export async function openServer(config: Config, extras: ConfigExtras, opts: OpenOptions = {}): Promise<Server> {
  const server = new Server(config);
  server.log.file = config.str('logfile');
  if (opts.silent) server.log.silent = true;
  server.ephemeralPort = opts.ephemeralPort === true;
  for (const [name] of extras.modules) {
    await server.close();
    throw new StartError([`Module ${name} failed to load: Spinel does not support modules.`], server);
  }
  // Users: `user` lines of the config file or the ACL file, not both (Redis's ACLLoadUsersAtStartup).
  const aclfile = config.str('aclfile');
  const aclError = (lines: string[]): never => {
    void server.close();
    throw new StartError(lines, server);
  };
  if (aclfile !== '' && extras.users.length !== 0) {
    aclError([
      'Configuring Redis with users defined in redis.conf and at the same setting an ACL file path is invalid. This setup is very likely to lead to configuration errors and security holes, please define either an ACL file or declare users directly in your redis.conf, but not both.',
    ]);
  }
  const usersError = server.acl.loadConfiguredUsers(extras.users);
  if (usersError !== null) aclError([usersError, 'Critical error while loading ACLs. Exiting.']);
  if (aclfile !== '') {
    const errors = server.acl.loadFromFile(aclfile);
    if (errors !== null) aclError([`Aborting Redis startup because of ACL errors: ${errors}`]);
  }
  try {
    await server.listen();
  } catch (e) {
    await server.close();
    const msg = (e as Error).message;
    if (/TLS|tls-|certificate|private key|DH params/.test(msg) && !msg.startsWith('Could not create server TCP')) {
      if (msg.startsWith('Could not create server TLS')) throw new StartError([`Warning: ${msg}`, `Failed listening on port ${config.num('tls-port')} (tls), aborting.`], server);
      throw new StartError([msg, 'Failed to configure TLS. Check logs for more info.'], server);
    }
    throw new StartError([`Warning: ${msg}`, `Failed listening on port ${config.num('port')} (tcp), aborting.`], server);
  }
  if (!server.listening) {
    await server.close();
    throw new StartError(['Configured to not listen anywhere, exiting.'], server);
  }
  return server;
}
