// Connection commands: PING, ECHO, QUIT, SELECT, HELLO, AUTH, RESET.

import { ClientFlag, type Client } from '../server/client.js';
import type { HandlerMap } from './types.js';
import { ERR_SYNTAX, getIntArg, ERR_NOT_INT } from './util.js';
import { SPINEL_VERSION } from '../version.js';

function ping(c: Client, argv: string[]): void {
  if (argv.length > 2) {
    c.reply.error(`ERR wrong number of arguments for 'ping' command`);
    return;
  }
  if ((c.flags & ClientFlag.PubSub) !== 0 && c.reply.resp === 2) {
    c.reply.array(2);
    c.reply.bulk('pong');
    c.reply.bulk(argv.length === 2 ? argv[1] : '');
    return;
  }
  if (argv.length === 2) c.reply.bulk(argv[1]);
  else c.reply.raw('+PONG\r\n');
}

function echo(c: Client, argv: string[]): void {
  c.reply.bulk(argv[1]);
}

function quit(c: Client): void {
  c.reply.ok();
  c.flags |= ClientFlag.CloseAfterReply;
}

function select(c: Client, argv: string[]): void {
  const id = getIntArg(c, argv[1], 'ERR value is not an integer or out of range');
  if (id === null) return;
  if (c.server.config.get('cluster-enabled') === true && id !== 0) {
    c.reply.error('ERR SELECT is not allowed in cluster mode');
    return;
  }
  if (id < 0 || id >= c.server.keyspace.dbs.length) {
    c.reply.error('ERR DB index is out of range');
    return;
  }
  c.db = c.server.keyspace.dbs[id];
  c.reply.ok();
}

const WRONGPASS = 'WRONGPASS invalid username-password pair or user is disabled.';

function auth(c: Client, argv: string[]): void {
  if (argv.length > 3) {
    c.reply.error(ERR_SYNTAX);
    return;
  }
  let user = 'default';
  let pass = argv[1];
  if (argv.length === 3) {
    user = argv[1];
    pass = argv[2];
  } else if (c.server.acl.defaultUser.nopass) {
    c.reply.error(
      'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?',
    );
    return;
  }
  if (c.server.acl.authenticate(c, user, pass)) c.reply.ok();
  else c.reply.error(WRONGPASS);
}

/** Client names may not contain spaces, newlines or special characters (Redis's validateClientName). */
export function validClientName(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const ch = name.charCodeAt(i);
    if (ch < 33 || ch > 126) return false;
  }
  return true;
}

function hello(c: Client, argv: string[]): void {
  let ver = 0;
  let next = 1;
  if (argv.length >= 2) {
    const v = getIntArg(c, argv[1], 'ERR Protocol version is not an integer or out of range');
    if (v === null) return;
    ver = v;
    next = 2;
    if (ver < 2 || ver > 3) {
      c.reply.error('NOPROTO unsupported protocol version');
      return;
    }
  }
  let authUser: string | null = null;
  let authPass = '';
  let setName: string | null = null;
  for (let j = next; j < argv.length; j++) {
    const more = argv.length - j - 1;
    const opt = argv[j].toLowerCase();
    if (opt === 'auth' && more >= 2) {
      authUser = argv[j + 1];
      authPass = argv[j + 2];
      j += 2;
    } else if (opt === 'setname' && more >= 1) {
      setName = argv[j + 1];
      j += 1;
    } else {
      c.reply.error(`ERR Syntax error in HELLO option '${argv[j]}'`);
      return;
    }
  }
  if (setName !== null && !validClientName(setName)) {
    c.reply.error('ERR Client names cannot contain spaces, newlines or special characters.');
    return;
  }
  if (authUser !== null) {
    if (!c.server.acl.authenticate(c, authUser, authPass)) {
      c.reply.error(WRONGPASS);
      return;
    }
  } else if (!c.authenticated) {
    c.reply.error(
      'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time',
    );
    return;
  }
  if (setName !== null) c.name = setName;
  if (ver) c.reply.resp = ver as 2 | 3;
  const r = c.reply;
  r.map(7);
  r.bulk('server');
  r.bulk('redis');
  r.bulk('version');
  r.bulk(SPINEL_VERSION);
  r.bulk('proto');
  r.int(r.resp);
  r.bulk('id');
  r.int(c.id);
  r.bulk('mode');
  r.bulk(c.server.config.get('cluster-enabled') === true ? 'cluster' : 'standalone');
  r.bulk('role');
  r.bulk(c.server.isReplica ? 'replica' : 'master');
  r.bulk('modules');
  r.array(0);
}

function reset(c: Client): void {
  const server = c.server;
  for (const h of server.clientResetHooks) h(c);
  c.db = server.keyspace.dbs[0];
  c.reply.resp = 2;
  c.name = '';
  c.flags &= ~(ClientFlag.Readonly | ClientFlag.ReplyOff | ClientFlag.ReplySkip | ClientFlag.ReplySkipNext | ClientFlag.NoTouch | ClientFlag.NoEvict | ClientFlag.Monitor);
  server.monitors.delete(c);
  c.reply.enabled = true;
  const du = server.acl.defaultUser;
  c.setUser(du, 'default');
  c.setAuthenticated(du.nopass && du.enabled);
  c.reply.simple('RESET');
}

export { ERR_NOT_INT };

export const handlers: HandlerMap = { ping, echo, quit, select, auth, hello, reset };
