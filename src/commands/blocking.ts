// Commands of the generic blocking mechanism (src/server/blocking.ts):
// CLIENT UNBLOCK.

import type { HandlerMap } from './types.js';
import type { Client } from '../server/client.js';
import { getIntArg, isArg } from './util.js';
import { unblockClientByRequest, UNBLOCKED_ERROR } from '../server/blocking.js';
import { ClientFlag } from '../server/client.js';
import { dropPausedCommand } from './client.js';

/** CLIENT UNBLOCK client-id [TIMEOUT|ERROR] */
function clientUnblock(c: Client, argv: string[]): void {
  if (argv.length > 4) {
    c.reply.error(`ERR unknown subcommand or wrong number of arguments for '${argv[1].slice(0, 128)}'. Try CLIENT HELP.`);
    return;
  }
  let error = false;
  if (argv.length === 4) {
    if (isArg(argv[3], 'TIMEOUT')) error = false;
    else if (isArg(argv[3], 'ERROR')) error = true;
    else {
      c.reply.error('ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR');
      return;
    }
  }
  const id = getIntArg(c, argv[2]);
  if (id === null) return;
  const target = c.server.clients.get(id);
  if (target === undefined) c.reply.int(0);
  else if ((target.flags & ClientFlag.Paused) !== 0) {
    // Held by CLIENT PAUSE: ERROR drops the held command; TIMEOUT does nothing (Redis 7.2 has no timeout
    // reply for a postponed command: it panics).
    c.reply.int(error && dropPausedCommand(target, UNBLOCKED_ERROR) ? 1 : 0);
  } else c.reply.int(unblockClientByRequest(target, error) ? 1 : 0);
}

export const handlers: HandlerMap = {
  'client|unblock': clientUnblock,
};
