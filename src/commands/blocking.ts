// Commands of the generic blocking mechanism (src/server/blocking.ts):
// CLIENT UNBLOCK.

import type { HandlerMap } from './types.js';
import type { Client } from '../server/client.js';
import { getIntArg, isArg } from './util.js';
import { unblockClientByRequest } from '../server/blocking.js';

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
  c.reply.int(target !== undefined && unblockClientByRequest(target, error) ? 1 : 0);
}

export const handlers: HandlerMap = {
  'client|unblock': clientUnblock,
};
