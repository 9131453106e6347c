// The ACL command: SETUSER, GETUSER, DELUSER, LIST, USERS, WHOAMI, CAT,
// GENPASS, LOG, SAVE, LOAD, DRYRUN, HELP. Users, rules and checks live in
// src/server/acl.ts.

import crypto from 'node:crypto';
import type { Client } from '../server/client.js';
import type { HandlerMap } from './types.js';
import { ACL_CATEGORIES, AclResult, hasSpaces } from '../server/acl.js';
import { getIntArg, replyHelp } from './util.js';
import { arityError } from './dispatch.js';

function setuser(c: Client, argv: string[]): void {
  const name = argv[2];
  if (hasSpaces(name)) {
    c.reply.error("ERR Usernames can't contain spaces or null characters");
    return;
  }
  const err = c.server.acl.setUser(name, argv.slice(3));
  if (err === null) c.reply.ok();
  else c.reply.error('ERR ' + err.replace(/[\r\n]/g, ' '));
}

function getuser(c: Client, argv: string[]): void {
  const acl = c.server.acl;
  const u = acl.getUser(argv[2]);
  if (u === undefined) {
    c.reply.null();
    return;
  }
  const r = c.reply;
  r.map(6);
  r.bulk('flags');
  const flags = u.flagNames();
  r.set(flags.length);
  for (const f of flags) r.bulk(f);
  r.bulk('passwords');
  r.bulks(u.passwords);
  for (const [k, v] of acl.selectorFields(u.selectors[0])) {
    r.bulk(k);
    r.bulk(v);
  }
  r.bulk('selectors');
  r.array(u.selectors.length - 1);
  for (let i = 1; i < u.selectors.length; i++) {
    r.map(3);
    for (const [k, v] of acl.selectorFields(u.selectors[i])) {
      r.bulk(k);
      r.bulk(v);
    }
  }
}

function deluser(c: Client, argv: string[]): void {
  for (let j = 2; j < argv.length; j++) {
    if (argv[j] === 'default') {
      c.reply.error("ERR The 'default' user cannot be removed");
      return;
    }
  }
  let deleted = 0;
  for (let j = 2; j < argv.length; j++) if (c.server.acl.deleteUser(argv[j])) deleted++;
  c.reply.int(deleted);
}

function list(c: Client): void {
  const users = c.server.acl.sortedUsers();
  c.reply.array(users.length);
  for (const u of users) c.reply.bulk(`user ${u.name} ${u.describe()}`);
}

function users(c: Client): void {
  c.reply.bulks(c.server.acl.sortedUsers().map((u) => u.name));
}

function whoami(c: Client): void {
  c.reply.bulk(c.aclUser?.name ?? c.user);
}

function cat(c: Client, argv: string[]): void {
  if (argv.length === 2) {
    c.reply.bulks(ACL_CATEGORIES);
    return;
  }
  if (argv.length !== 3) {
    subcommandSyntaxError(c, argv);
    return;
  }
  const cmds = c.server.acl.index.byCategory.get(argv[2].toLowerCase());
  if (cmds === undefined) {
    c.reply.error(`ERR Unknown category '${argv[2].slice(0, 128)}'`);
    return;
  }
  // Only the commands Spinel has (rules may also name Redis's others).
  const absent = c.server.acl.index.absent;
  c.reply.bulks(cmds.filter((cmd) => absent.get(cmd.fullName) !== cmd && !absent.has(cmd.parent?.fullName ?? '')).map((cmd) => cmd.fullName));
}

const GENPASS_MAX_BITS = 4096;

function genpass(c: Client, argv: string[]): void {
  if (argv.length > 3) {
    subcommandSyntaxError(c, argv);
    return;
  }
  let bits = 256;
  if (argv.length === 3) {
    const b = getIntArg(c, argv[2]);
    if (b === null) return;
    bits = b;
  }
  if (bits <= 0 || bits > GENPASS_MAX_BITS) {
    c.reply.error(`ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to ${GENPASS_MAX_BITS}`);
    return;
  }
  const chars = Math.floor((bits + 3) / 4);
  c.reply.bulk(crypto.randomBytes(Math.ceil(chars / 2)).toString('hex').slice(0, chars));
}

const REASONS = ['', 'command', 'key', 'auth', 'channel'];
const CONTEXTS = ['toplevel', 'multi', 'lua', 'module'];

function log(c: Client, argv: string[]): void {
  if (argv.length > 3) {
    subcommandSyntaxError(c, argv);
    return;
  }
  const acl = c.server.acl;
  let count = 10;
  if (argv.length === 3) {
    if (argv[2].toLowerCase() === 'reset') {
      acl.log.length = 0;
      c.reply.ok();
      return;
    }
    const n = getIntArg(c, argv[2]);
    if (n === null) return;
    count = Math.max(0, n);
  }
  count = Math.min(count, acl.log.length);
  const now = Date.now();
  const r = c.reply;
  r.array(count);
  for (let i = 0; i < count; i++) {
    const e = acl.log[i];
    r.map(10);
    r.bulk('count');
    r.int(e.count);
    r.bulk('reason');
    r.bulk(REASONS[e.reason] ?? 'unknown');
    r.bulk('context');
    r.bulk(CONTEXTS[e.context] ?? 'unknown');
    r.bulk('object');
    r.bulk(e.object);
    r.bulk('username');
    r.bulk(e.username);
    r.bulk('age-seconds');
    r.double((now - e.ctime) / 1000);
    r.bulk('client-info');
    r.bulk(e.clientInfo);
    r.bulk('entry-id');
    r.int(e.entryId);
    r.bulk('timestamp-created');
    r.int(e.created);
    r.bulk('timestamp-last-updated');
    r.int(e.ctime);
  }
}

function load(c: Client): void {
  const file = c.server.config.str('aclfile');
  if (file === '') {
    c.reply.error('ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration.');
    return;
  }
  const errors = c.server.acl.loadFromFile(file);
  if (errors === null) c.reply.ok();
  else c.reply.error('ERR ' + errors.replace(/[\r\n]/g, ' '));
}

function save(c: Client): void {
  const file = c.server.config.str('aclfile');
  if (file === '') {
    c.reply.error('ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration.');
    return;
  }
  if (c.server.acl.saveToFile(file)) c.reply.ok();
  else c.reply.error('ERR There was an error trying to save the ACLs. Please check the server logs for more information');
}

function dryrun(c: Client, argv: string[]): void {
  const acl = c.server.acl;
  const u = acl.getUser(argv[2]);
  if (u === undefined) {
    c.reply.error(`ERR User '${argv[2]}' not found`);
    return;
  }
  let cmd = c.server.commands.lookup(argv[3]);
  if (cmd !== undefined && cmd.subcommands !== null && argv.length > 4) cmd = cmd.subcommands.get(argv[4].toLowerCase());
  if (cmd === undefined) {
    c.reply.error(`ERR Command '${argv[3]}' not found`);
    return;
  }
  const cargv = argv.slice(3);
  if ((cmd.arity > 0 && cmd.arity !== cargv.length) || cargv.length < -cmd.arity) {
    c.reply.error(arityError(cmd));
    return;
  }
  const r = acl.check(u, cmd, cargv);
  if (r.result !== AclResult.Ok) {
    c.reply.bulk(acl.errorMessage(r.result, u, cmd, cargv[r.index], true));
    return;
  }
  c.reply.ok();
}

const HELP = [
  'CAT [<category>]',
  '    List all commands that belong to <category>, or all command categories',
  '    when no category is specified.',
  'DELUSER <username> [<username> ...]',
  '    Delete a list of users.',
  'DRYRUN <username> <command> [<arg> ...]',
  '    Returns whether the user can execute the given command without executing the command.',
  'GETUSER <username>',
  "    Get the user's details.",
  'GENPASS [<bits>]',
  '    Generate a secure 256-bit user password. The optional `bits` argument can',
  '    be used to specify a different size.',
  'LIST',
  '    Show users details in config file format.',
  'LOAD',
  '    Reload users from the ACL file.',
  'LOG [<count> | RESET]',
  '    Show the ACL log entries.',
  'SAVE',
  '    Save the current config to the ACL file.',
  'SETUSER <username> <attribute> [<attribute> ...]',
  '    Create or modify a user with the specified attributes.',
  'USERS',
  '    List all the registered usernames.',
  'WHOAMI',
  '    Return the current connection username.',
];

function help(c: Client): void {
  replyHelp(c, 'ACL', HELP);
}

/** Redis's addReplySubcommandSyntaxError. */
function subcommandSyntaxError(c: Client, argv: string[]): void {
  c.reply.error(`ERR unknown subcommand or wrong number of arguments for '${argv[1].slice(0, 128)}'. Try ACL HELP.`);
}

export const handlers: HandlerMap = {
  'acl|setuser': setuser,
  'acl|getuser': getuser,
  'acl|deluser': deluser,
  'acl|list': list,
  'acl|users': users,
  'acl|whoami': whoami,
  'acl|cat': cat,
  'acl|genpass': genpass,
  'acl|log': log,
  'acl|load': load,
  'acl|save': save,
  'acl|dryrun': dryrun,
  'acl|help': help,
};
