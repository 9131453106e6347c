// Keyspace notifications (Redis's notify.c): every change the keyspace
// announces through its `notify` hook (src/db/keyspace.ts) is published, as
// `notify-keyspace-events` selects, to
//   __keyspace@<db>__:<key>    with the event name as the message (flag K)
//   __keyevent@<db>__:<event>  with the key as the message        (flag E)
// for the event classes enabled (g $ l s h z x e t m d n, A for g$lshzxetd).

import type { Server } from './server.js';
import { Notify } from '../db/keyspace.js';
import { ChannelKind } from './pubsub.js';

export function installKeyspaceNotifications(server: Server): void {
  let flags = server.config.get<number>('notify-keyspace-events') ?? 0;
  server.config.onChange('notify-keyspace-events', (_, v) => (flags = v as number));
  const ps = server.pubsub;
  const hooks = server.keyspace.hooks;
  const prev = hooks.notify;
  hooks.notify = (type, event, key, dbid) => {
    prev(type, event, key, dbid);
    if ((flags & type) === 0 || ps.idle) return;
    if ((flags & Notify.Keyspace) !== 0) ps.publish(`__keyspace@${dbid}__:${key}`, event, ChannelKind.Global);
    if ((flags & Notify.Keyevent) !== 0) ps.publish(`__keyevent@${dbid}__:${event}`, key, ChannelKind.Global);
  };
}
