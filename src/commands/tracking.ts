// CLIENT subcommands of client-side caching: TRACKING, CACHING, GETREDIR,
// TRACKINGINFO (Redis's clientCommand branches). The tracking state and the
// invalidations live in src/server/tracking.ts.

import { ClientFlag, type Client } from '../server/client.js';
import type { HandlerMap } from './types.js';
import { TrackingOpt } from '../server/tracking.js';
import { ERR_SYNTAX, isArg } from './util.js';
import { parseInt64 } from '../protocol/format.js';

/** True when one prefix starts with the other (they would both match some key). */
function overlap(a: string, b: string): boolean {
  return a.length <= b.length ? b.startsWith(a) : a.startsWith(b);
}

/**
 * checkPrefixCollisionsOrReply, quirk included: a clash between two new
 * prefixes found while checking the second or a later one replies the error
 * but still reports success (Redis 7.2 returns the index), so the caller
 * goes on, enables tracking and replies OK as well.
 */
function prefixesCollide(c: Client, prefixes: readonly string[]): boolean {
  for (let i = 0; i < prefixes.length; i++) {
    if (c.trackingPrefixes !== null) {
      for (const have of [...c.trackingPrefixes].sort()) {
        if (overlap(have, prefixes[i])) {
          c.reply.error(`ERR Prefix '${prefixes[i]}' overlaps with an existing prefix '${have}'. Prefixes for a single client must not overlap.`);
          return true;
        }
      }
    }
    for (let j = i + 1; j < prefixes.length; j++) {
      if (overlap(prefixes[i], prefixes[j])) {
        c.reply.error(`ERR Prefix '${prefixes[i]}' overlaps with another provided prefix '${prefixes[j]}'. Prefixes for a single client must not overlap.`);
        return i === 0;
      }
    }
  }
  return false;
}

function tracking(c: Client, argv: string[]): void {
  let redirect = 0;
  let opts = 0;
  const prefixes: string[] = [];
  for (let j = 3; j < argv.length; j++) {
    const more = j < argv.length - 1;
    const a = argv[j];
    if (isArg(a, 'REDIRECT') && more) {
      j++;
      if (redirect !== 0) {
        c.reply.error('ERR A client can only redirect to a single other client');
        return;
      }
      const v = parseInt64(argv[j]);
      if (v === null) {
        c.reply.error('ERR value is not an integer or out of range');
        return;
      }
      // The target must exist now (it may go away later: then the redirect is "broken").
      const id = Number(v);
      if (!c.server.clients.has(id)) {
        c.reply.error('ERR The client ID you want redirect to does not exist');
        return;
      }
      redirect = id;
    } else if (isArg(a, 'BCAST')) {
      opts |= TrackingOpt.Bcast;
    } else if (isArg(a, 'OPTIN')) {
      opts |= TrackingOpt.OptIn;
    } else if (isArg(a, 'OPTOUT')) {
      opts |= TrackingOpt.OptOut;
    } else if (isArg(a, 'NOLOOP')) {
      opts |= TrackingOpt.NoLoop;
    } else if (isArg(a, 'PREFIX') && more) {
      prefixes.push(argv[++j]);
    } else {
      c.reply.error(ERR_SYNTAX);
      return;
    }
  }
  const mode = argv[2];
  const tr = c.server.tracking;
  if (isArg(mode, 'ON')) {
    if ((opts & TrackingOpt.Bcast) === 0 && prefixes.length !== 0) {
      c.reply.error('ERR PREFIX option requires BCAST mode to be enabled');
      return;
    }
    if ((c.flags & ClientFlag.Tracking) !== 0 && ((c.tracking ^ opts) & TrackingOpt.Bcast) !== 0) {
      c.reply.error("ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.");
      return;
    }
    if ((opts & TrackingOpt.Bcast) !== 0 && (opts & (TrackingOpt.OptIn | TrackingOpt.OptOut)) !== 0) {
      c.reply.error('ERR OPTIN and OPTOUT are not compatible with BCAST');
      return;
    }
    if ((opts & TrackingOpt.OptIn) !== 0 && (opts & TrackingOpt.OptOut) !== 0) {
      c.reply.error("ERR You can't specify both OPTIN mode and OPTOUT mode");
      return;
    }
    if (((opts & TrackingOpt.OptIn) !== 0 && (c.tracking & TrackingOpt.OptOut) !== 0) || ((opts & TrackingOpt.OptOut) !== 0 && (c.tracking & TrackingOpt.OptIn) !== 0)) {
      c.reply.error("ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.");
      return;
    }
    if ((opts & TrackingOpt.Bcast) !== 0 && prefixesCollide(c, prefixes)) return;
    tr.enable(c, redirect, opts, prefixes);
  } else if (isArg(mode, 'OFF')) {
    tr.disable(c);
  } else {
    c.reply.error(ERR_SYNTAX);
    return;
  }
  c.reply.ok();
}

function caching(c: Client, argv: string[]): void {
  if ((c.flags & ClientFlag.Tracking) === 0) {
    c.reply.error('ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled');
    return;
  }
  const a = argv[2];
  if (isArg(a, 'YES')) {
    if ((c.tracking & TrackingOpt.OptIn) === 0) {
      c.reply.error('ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.');
      return;
    }
  } else if (isArg(a, 'NO')) {
    if ((c.tracking & TrackingOpt.OptOut) === 0) {
      c.reply.error('ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.');
      return;
    }
  } else {
    c.reply.error(ERR_SYNTAX);
    return;
  }
  c.tracking |= TrackingOpt.Caching;
  c.reply.ok();
}

function getredir(c: Client): void {
  c.reply.int((c.flags & ClientFlag.Tracking) !== 0 ? c.trackingRedirect : -1);
}

function trackinginfo(c: Client): void {
  const r = c.reply;
  const t = c.tracking;
  const flags: string[] = [(c.flags & ClientFlag.Tracking) !== 0 ? 'on' : 'off'];
  if ((t & TrackingOpt.Bcast) !== 0) flags.push('bcast');
  if ((t & TrackingOpt.OptIn) !== 0) {
    flags.push('optin');
    if ((t & TrackingOpt.Caching) !== 0) flags.push('caching-yes');
  }
  if ((t & TrackingOpt.OptOut) !== 0) {
    flags.push('optout');
    if ((t & TrackingOpt.Caching) !== 0) flags.push('caching-no');
  }
  if ((t & TrackingOpt.NoLoop) !== 0) flags.push('noloop');
  if ((t & TrackingOpt.BrokenRedir) !== 0) flags.push('broken_redirect');
  r.map(3);
  r.bulk('flags');
  r.set(flags.length);
  for (const f of flags) r.bulk(f);
  r.bulk('redirect');
  r.int((c.flags & ClientFlag.Tracking) !== 0 ? c.trackingRedirect : -1);
  r.bulk('prefixes');
  r.bulks(c.trackingPrefixes === null ? [] : [...c.trackingPrefixes].sort());
}

export const handlers: HandlerMap = {
  'client|tracking': tracking,
  'client|caching': caching,
  'client|getredir': getredir,
  'client|trackinginfo': trackinginfo,
};
