// Output buffer limits (client-output-buffer-limit <class> <hard> <soft> <soft-seconds>).
//
// A client that does not read what it is sent (a slow Pub/Sub subscriber)
// would otherwise make the server hold its output without bound. The output
// counted is Client.outputBytes(): queued reply chunks plus the socket's write
// queue (CLIENT LIST omem). A client is cut off when that reaches the hard
// limit, or stays at or over the soft limit for more than soft-seconds
// (Redis's checkClientOutputBufferLimits, including its quirk that a check
// with nothing pending leaves the soft-limit clock alone).
//
// Checked where output grows: each Pub/Sub delivery or invalidation (pushTo),
// each write of a big or backed-up reply (Client.flush), and about once a
// second per client by the cron, so a soft limit also expires with no traffic.

import { ClientFlag, type Client } from './client.js';
import type { OutputLimit } from '../config/values.js';
import { wallMs } from '../util/clock.js';
import { clientInfoString } from '../commands/client.js';

/** The limits of the client's class: pubsub, replica, or normal (masters count as normal, as in Redis). */
function limitsOf(c: Client): OutputLimit {
  const l = c.server.obufLimits;
  if ((c.flags & ClientFlag.Master) === 0 && (c.flags & ClientFlag.Replica) !== 0 && (c.flags & ClientFlag.Monitor) === 0) return l.replica;
  if ((c.flags & ClientFlag.PubSub) !== 0) return l.pubsub;
  return l.normal;
}

/**
 * True when the client's output is over its hard limit, or over the soft
 * limit for too long. `whole`: count the reply buffer being filled too (a
 * reply about to be written).
 */
export function outputLimitReached(c: Client, whole = false): boolean {
  const lim = limitsOf(c);
  if (lim.hard === 0 && lim.soft === 0) return false;
  const used = whole ? c.outputBytes() + c.reply.len : c.outputBytes();
  if (used === 0) return false;
  const hard = lim.hard !== 0 && used >= lim.hard;
  let soft = lim.soft !== 0 && used >= lim.soft;
  if (soft) {
    const now = Math.floor(wallMs() / 1000);
    if (c.obufSoftSince === 0) {
      c.obufSoftSince = now;
      soft = false;
    } else if (now - c.obufSoftSince <= lim.softSeconds) {
      soft = false;
    }
  } else {
    c.obufSoftSince = 0;
  }
  return soft || hard;
}

/**
 * Closes the client if it is over its limit. `async`: it is marked to close
 * (CLIENT LIST flag A, no more output) and goes when the server next writes,
 * so a fan-out loop never sees a subscriber vanish under it. Returns true if
 * the client was closed or marked.
 */
export function closeIfOverOutputLimit(c: Client, async: boolean, whole = false): boolean {
  if (c.socket === null || (c.flags & ClientFlag.CloseAsap) !== 0) return false;
  if (!outputLimitReached(c, whole)) return false;
  const info = clientInfoString(c, null);
  const server = c.server;
  if (async) {
    c.flags |= ClientFlag.CloseAsap;
    server.markPendingWrite(c);
    server.log.warning(`Client ${info} scheduled to be closed ASAP for overcoming of output buffer limits.`);
  } else {
    server.log.warning(`Client ${info} closed for overcoming of output buffer limits.`);
    c.close();
  }
  return true;
}
