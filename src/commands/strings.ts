// String commands. (Minimal core: GET and SET without options; the full family is being built.)
import type { HandlerMap } from './types.js';
import type { Client } from '../server/client.js';
import { RObj, ObjType, Enc } from '../db/robj.js';
import { ERR_WRONGTYPE } from './util.js';

function get(c: Client, argv: string[]): void {
  const o = c.db.lookupRead(argv[1]);
  if (o === undefined) c.reply.null();
  else if (o.type !== ObjType.String) c.reply.error(ERR_WRONGTYPE);
  else c.reply.bulk(typeof o.value === 'number' ? String(o.value) : o.value);
}

function set(c: Client, argv: string[]): void {
  if (argv.length !== 3) {
    c.reply.error('ERR syntax error');
    return;
  }
  c.db.setKey(argv[1], new RObj(ObjType.String, Enc.Raw, argv[2], 0));
  c.server.dirty++;
  c.reply.ok();
}

export const handlers: HandlerMap = { get, set };
