// Helpers shared by command handlers: Redis's standard errors and argument parsing.

import type { Client } from '../server/client.js';
import { parseInt64, parseDouble } from '../protocol/format.js';
import type { RObj } from '../db/robj.js';

export const ERR_SYNTAX = 'ERR syntax error';
export const ERR_NOT_INT = 'ERR value is not an integer or out of range';
export const ERR_NOT_FLOAT = 'ERR value is not a valid float';
export const ERR_WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';
export const ERR_OVERFLOW = 'ERR increment or decrement would overflow';
export const ERR_NO_SUCH_KEY = 'ERR no such key';
export const ERR_OUT_OF_RANGE = 'ERR index out of range';

/**
 * Parses a signed 64-bit integer argument; replies ERR_NOT_INT (or `msg`) and
 * returns null when invalid. Values beyond 2^53 lose precision: use
 * getInt64Arg where exactness matters.
 */
export function getIntArg(c: Client, s: string, msg = ERR_NOT_INT): number | null {
  const v = parseInt64(s);
  if (v === null) {
    c.reply.error(msg);
    return null;
  }
  return typeof v === 'bigint' ? Number(v) : v;
}

/** Exact signed 64-bit integer argument (bigint beyond the safe range). */
export function getInt64Arg(c: Client, s: string, msg = ERR_NOT_INT): number | bigint | null {
  const v = parseInt64(s);
  if (v === null) c.reply.error(msg);
  return v;
}

/** Integer argument within [min, max]; replies `msg` (default ERR_NOT_INT) otherwise. */
export function getRangeArg(c: Client, s: string, min: number, max: number, msg = ERR_NOT_INT): number | null {
  const v = parseInt64(s);
  if (v === null || v < min || v > max) {
    c.reply.error(msg);
    return null;
  }
  return Number(v);
}

/** Double argument with Redis's parsing rules; replies ERR_NOT_FLOAT (or `msg`) when invalid. */
export function getDoubleArg(c: Client, s: string, msg = ERR_NOT_FLOAT): number | null {
  const v = parseDouble(s);
  if (v === null) {
    c.reply.error(msg);
    return null;
  }
  return v;
}

/** Replies WRONGTYPE and returns true if the object exists and is not of `type`. */
export function checkType(c: Client, o: RObj | undefined, type: number): boolean {
  if (o !== undefined && o.type !== type) {
    c.reply.error(ERR_WRONGTYPE);
    return true;
  }
  return false;
}

/**
 * Looks a key up for reading and checks its type: the object, undefined when
 * the key is missing, or null after replying WRONGTYPE.
 */
export function lookupReadOfType(c: Client, key: string, type: number): RObj | undefined | null {
  const o = c.db.lookupRead(key);
  return checkType(c, o, type) ? null : o;
}

/** lookupReadOfType for writing (no hit/miss stats). */
export function lookupWriteOfType(c: Client, key: string, type: number): RObj | undefined | null {
  const o = c.db.lookupWrite(key);
  return checkType(c, o, type) ? null : o;
}

/** Case-insensitive comparison of an argument with an uppercase ASCII keyword (no string is made). */
export function isArg(arg: string, upper: string): boolean {
  const n = upper.length;
  if (arg.length !== n) return false;
  if (arg === upper) return true;
  for (let i = 0; i < n; i++) {
    let c = arg.charCodeAt(i);
    if (c >= 97 && c <= 122) c -= 32;
    if (c !== upper.charCodeAt(i)) return false;
  }
  return true;
}

/** Replies with a HELP text: an array of status lines, like Redis's addReplyHelp. */
export function replyHelp(c: Client, command: string, lines: string[]): void {
  c.reply.array(lines.length + 3);
  c.reply.simple(`${command} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`);
  for (const l of lines) c.reply.simple(l);
  c.reply.simple('HELP');
  c.reply.simple('    Print this help.');
}
