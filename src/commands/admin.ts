// SHUTDOWN and the shutdown sequence shared with the signal handlers
// (prepareForShutdown/finishShutdown in server.c).
//
// A shutdown saves the RDB file (src/persistence) when asked to (SAVE) or,
// by default, when `save` points are configured; a failed save stops the
// shutdown ("Errors trying to SHUTDOWN. Check logs.") unless FORCE is given.

import fs from 'node:fs';
import type { HandlerMap } from './types.js';
import type { Client } from '../server/client.js';
import type { Server } from '../server/server.js';
import { ERR_SYNTAX, isArg } from './util.js';
import { rdbSave } from '../persistence/persistence.js';

export const enum ShutdownFlag {
  None = 0,
  Save = 1 << 0,
  NoSave = 1 << 1,
  Now = 1 << 2,
  Force = 1 << 3,
}

/** Ends the process once the server is shut down (set by main.ts; embedded servers just close). */
const exiters = new WeakMap<Server, (code: number) => void>();
/** Files removed at exit (the pidfile), set by main.ts. */
const pidfiles = new WeakMap<Server, string>();

export function setShutdownExit(server: Server, exit: (code: number) => void): void {
  exiters.set(server, exit);
}
export function setPidfile(server: Server, file: string): void {
  pidfiles.set(server, file);
}

/** Flags of shutdown-on-sigint / shutdown-on-sigterm. */
export function signalShutdownFlags(value: string): number {
  let f = ShutdownFlag.None;
  for (const w of value.split(' ')) {
    if (w === 'save') f |= ShutdownFlag.Save;
    else if (w === 'nosave') f |= ShutdownFlag.NoSave;
    else if (w === 'now') f |= ShutdownFlag.Now;
    else if (w === 'force') f |= ShutdownFlag.Force;
  }
  return f;
}

/**
 * Runs the shutdown sequence. Returns false when it failed (the server keeps
 * running); on success the listeners and clients are closed, the pidfile is
 * removed, and the exit hook (if any) ends the process.
 */
export async function prepareForShutdown(server: Server, flags: number): Promise<boolean> {
  const log = server.log;
  const nosave = (flags & ShutdownFlag.NoSave) !== 0;
  const save = (flags & ShutdownFlag.Save) !== 0;
  const force = (flags & ShutdownFlag.Force) !== 0;
  log.warning('User requested shutdown...');
  const savePoints = server.config.get<unknown[]>('save');
  if ((savePoints.length > 0 && !nosave) || save) {
    log.notice('Saving the final RDB snapshot before exiting.');
    // rdbSave logs "DB saved on disk" itself.
    const saved = rdbSave(server);
    if (!saved && force) log.warning('Error trying to save the DB. Exit anyway.');
    else if (!saved) {
      log.warning("Error trying to save the DB, can't exit.");
      log.warning('Errors trying to shut down the server. Check the logs for more information.');
      return false;
    }
  }
  const pidfile = pidfiles.get(server);
  if (pidfile) {
    log.notice('Removing the pid file.');
    try {
      fs.unlinkSync(pidfile);
    } catch {
      /* already gone */
    }
  }
  if (server.config.str('unixsocket')) log.notice('Removing the unix socket file.');
  await server.close();
  log.warning('Spinel is now ready to exit, bye bye...');
  const exit = exiters.get(server);
  if (exit) exit(0);
  return true;
}

function shutdownCommand(c: Client, argv: string[]): void {
  let flags = ShutdownFlag.None;
  let abort = false;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (isArg(a, 'NOSAVE')) flags |= ShutdownFlag.NoSave;
    else if (isArg(a, 'SAVE')) flags |= ShutdownFlag.Save;
    else if (isArg(a, 'NOW')) flags |= ShutdownFlag.Now;
    else if (isArg(a, 'FORCE')) flags |= ShutdownFlag.Force;
    else if (isArg(a, 'ABORT')) abort = true;
    else {
      c.reply.error(ERR_SYNTAX);
      return;
    }
  }
  if ((abort && flags !== ShutdownFlag.None) || ((flags & ShutdownFlag.NoSave) !== 0 && (flags & ShutdownFlag.Save) !== 0)) {
    c.reply.error(ERR_SYNTAX);
    return;
  }
  if (abort) {
    // A shutdown never waits for lagging replicas in Spinel, so none can be in progress.
    c.reply.error('ERR No shutdown in progress.');
    return;
  }
  if ((flags & ShutdownFlag.Now) === 0 && c.server.callDepth > 1) {
    c.reply.error("ERR SHUTDOWN without NOW or ABORT isn't allowed for DENY BLOCKING client");
    return;
  }
  const server = c.server;
  // A timed-out script: only SHUTDOWN NOSAVE goes through (the dataset is mid-script).
  if ((flags & ShutdownFlag.NoSave) === 0 && server.busyError !== null) {
    c.reply.error(server.busyError);
    return;
  }
  if (server.shuttingDown) return;
  // The sequence itself is synchronous up to closing the sockets; the reply
  // is an error only when it fails (on success the connection just closes).
  const p = prepareForShutdown(server, flags);
  if (!server.shuttingDown) {
    // Failed synchronously (the save step): the promise already settled to false.
    void p;
    c.reply.error('ERR Errors trying to SHUTDOWN. Check logs.');
  }
}

export const handlers: HandlerMap = {
  shutdown: shutdownCommand,
};
