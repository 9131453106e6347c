// SAVE (the foreground RDB save). LASTSAVE is with the introspection
// commands (server.ts); DEBUG RELOAD with DEBUG; the save itself is in
// src/persistence/persistence.ts.

import type { Client } from '../server/client.js';
import type { HandlerMap } from './types.js';
import { rdbSave } from '../persistence/persistence.js';

function save(c: Client): void {
  c.server.persistence.rdbSaves++;
  if (rdbSave(c.server)) c.reply.ok();
  else c.reply.error('ERR');
}

export const handlers: HandlerMap = {
  save,
};
