// Pub/Sub: channel, pattern and shard-channel subscriptions and message
// delivery (Redis's pubsub.c), shared by PUBLISH/SPUBLISH, keyspace
// notifications (src/server/notify.ts) and client-side caching's RESP2
// invalidations (src/server/tracking.ts).
//
// The server keeps channel -> subscribers, pattern -> subscribers and shard
// channel -> subscribers; each client keeps what it is subscribed to. A
// publish costs O(subscribers of the channel + patterns): the message is
// encoded once per protocol version (and per matching pattern) and the same
// bytes are copied into each subscriber's output.
//
// Push messages to the client whose command is running (a client publishing
// to a channel it listens to, a keyspace event of its own write) wait in
// Client.pendingPush and follow the command's reply, as in Redis 7.2; call()
// appends them when the outermost command ends (so after EXEC's whole reply).
//
// Every subscriber delivery checks the subscriber's output buffer limit
// (src/server/obuf.ts): a slow subscriber is cut off, the others go on.

import { ClientFlag, type Client } from './client.js';
import { Dict } from '../types/dict.js';
import { globMatch } from '../util/glob.js';
import { closeIfOverOutputLimit } from './obuf.js';

/** What one client is subscribed to; each set is created on first use. */
export class ClientPubSub {
  channels: Dict<true> | null = null;
  patterns: Dict<true> | null = null;
  shardChannels: Dict<true> | null = null;

  /** Channels + patterns: the count SUBSCRIBE/PSUBSCRIBE and their unsubscribes report. */
  get count(): number {
    return (this.channels?.size ?? 0) + (this.patterns?.size ?? 0);
  }

  get shardCount(): number {
    return this.shardChannels?.size ?? 0;
  }
}

/** Channels and shard channels share one code path; patterns have their own. */
export const enum ChannelKind {
  Global = 0,
  Shard = 1,
}

const KIND_NAMES = [
  { subscribe: 'subscribe', unsubscribe: 'unsubscribe', message: 'message' },
  { subscribe: 'ssubscribe', unsubscribe: 'sunsubscribe', message: 'smessage' },
] as const;

/**
 * Delivers an encoded push message to a client: after its reply if its own
 * command is running, else straight into its output (flushed this turn).
 * A client being closed for its output limit gets nothing more.
 */
export function pushTo(t: Client, msg: Buffer): void {
  if ((t.flags & ClientFlag.CloseAsap) !== 0) return;
  const server = t.server;
  if (t === server.currentClient) {
    if (t.pendingPush === null) t.pendingPush = [msg];
    else t.pendingPush.push(msg);
    return;
  }
  t.reply.pushBuffer(msg);
  server.markPendingWrite(t);
  // Nothing queued beyond the reply buffer: under any limit (outputBytes() is 0).
  if (t.writeQueued || t.reply.chunksBytes !== 0) closeIfOverOutputLimit(t, true);
}

/** Appends the push messages a client's own command produced, after its reply (call() does this). */
export function flushPendingPush(c: Client): void {
  const list = c.pendingPush!;
  c.pendingPush = null;
  if ((c.flags & ClientFlag.CloseAsap) !== 0) return;
  for (let i = 0; i < list.length; i++) c.reply.pushBuffer(list[i]);
  closeIfOverOutputLimit(c, true);
}

// ---------------------------------------------------------------------------
// Encoding

function digits(n: number): number {
  let d = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    d++;
  }
  return d;
}

/** Bytes of a bulk string of n bytes: $<n>\r\n<bytes>\r\n. */
function bulkSize(n: number): number {
  return n + digits(n) + 5;
}

function writeBulk(b: Buffer, p: number, s: string): number {
  b[p++] = 36; // $
  p += b.latin1Write(String(s.length), p);
  b[p++] = 13;
  b[p++] = 10;
  p += b.latin1Write(s, p);
  b[p++] = 13;
  b[p++] = 10;
  return p;
}

/**
 * A push message of bulk strings: `*<n>` (RESP2) or `><n>` (RESP3), then the
 * parts; `tail`, if given, is raw protocol appended as the last element.
 */
export function encodePush(resp: 2 | 3, parts: readonly string[], tail: string | null = null): Buffer {
  const n = parts.length + (tail === null ? 0 : 1);
  let size = 3 + digits(n) + (tail === null ? 0 : tail.length);
  for (let i = 0; i < parts.length; i++) size += bulkSize(parts[i].length);
  const b = Buffer.allocUnsafe(size);
  b[0] = resp === 3 ? 62 /* > */ : 42; /* * */
  let p = 1 + b.latin1Write(String(n), 1);
  b[p++] = 13;
  b[p++] = 10;
  for (let i = 0; i < parts.length; i++) p = writeBulk(b, p, parts[i]);
  if (tail !== null) b.latin1Write(tail, p);
  return b;
}

// ---------------------------------------------------------------------------
// The server's tables

export class PubSub {
  /** channel -> subscribers */
  readonly channels = new Dict<Set<Client>>();
  /** pattern -> subscribers (every publish to a channel tests each pattern) */
  readonly patterns = new Dict<Set<Client>>();
  /** shard channel -> subscribers (SSUBSCRIBE; shard channels have no patterns) */
  readonly shardChannels = new Dict<Set<Client>>();

  private table(kind: ChannelKind): Dict<Set<Client>> {
    return kind === ChannelKind.Global ? this.channels : this.shardChannels;
  }

  /** True when nobody listens to any channel or pattern (keyspace notifications skip their work). */
  get idle(): boolean {
    return this.channels.size === 0 && this.patterns.size === 0;
  }

  /** Subscribes c to a channel and replies the confirmation. Returns false if it was subscribed already. */
  subscribe(c: Client, channel: string, kind: ChannelKind): boolean {
    const cps = (c.pubsub ??= new ClientPubSub());
    let mine = kind === ChannelKind.Global ? cps.channels : cps.shardChannels;
    if (mine === null) {
      mine = new Dict<true>();
      if (kind === ChannelKind.Global) cps.channels = mine;
      else cps.shardChannels = mine;
    }
    let added = false;
    if (!mine.has(channel)) {
      mine.set(channel, true);
      addSubscriber(this.table(kind), channel, c);
      added = true;
    }
    c.flags |= ClientFlag.PubSub;
    replyConfirmation(c, KIND_NAMES[kind].subscribe, channel, kind === ChannelKind.Global ? cps.count : cps.shardCount);
    return added;
  }

  /** Unsubscribes c from a channel; replies the confirmation when `notify`. Returns false if it was not subscribed. */
  unsubscribe(c: Client, channel: string, kind: ChannelKind, notify: boolean): boolean {
    const cps = c.pubsub;
    const mine = cps === null ? null : kind === ChannelKind.Global ? cps.channels : cps.shardChannels;
    let removed = false;
    if (mine !== null && mine.delete(channel)) {
      removeSubscriber(this.table(kind), channel, c);
      removed = true;
    }
    if (notify) replyConfirmation(c, KIND_NAMES[kind].unsubscribe, channel, cps === null ? 0 : kind === ChannelKind.Global ? cps.count : cps.shardCount);
    return removed;
  }

  /** Unsubscribes c from every channel of a kind (UNSUBSCRIBE/SUNSUBSCRIBE with no argument, RESET, close). */
  unsubscribeAll(c: Client, kind: ChannelKind, notify: boolean): number {
    const cps = c.pubsub;
    const mine = cps === null ? null : kind === ChannelKind.Global ? cps.channels : cps.shardChannels;
    let count = 0;
    if (mine !== null && mine.size !== 0) {
      for (const ch of [...mine.keys()]) if (this.unsubscribe(c, ch, kind, notify)) count++;
    }
    // Subscribed to nothing: still a confirmation, with a null channel.
    if (notify && count === 0) replyConfirmation(c, KIND_NAMES[kind].unsubscribe, null, cps === null ? 0 : kind === ChannelKind.Global ? cps.count : cps.shardCount);
    return count;
  }

  psubscribe(c: Client, pattern: string): boolean {
    const cps = (c.pubsub ??= new ClientPubSub());
    const mine = (cps.patterns ??= new Dict<true>());
    let added = false;
    if (!mine.has(pattern)) {
      mine.set(pattern, true);
      addSubscriber(this.patterns, pattern, c);
      added = true;
    }
    c.flags |= ClientFlag.PubSub;
    replyConfirmation(c, 'psubscribe', pattern, cps.count);
    return added;
  }

  punsubscribe(c: Client, pattern: string, notify: boolean): boolean {
    const cps = c.pubsub;
    const mine = cps === null ? null : cps.patterns;
    let removed = false;
    if (mine !== null && mine.delete(pattern)) {
      removeSubscriber(this.patterns, pattern, c);
      removed = true;
    }
    if (notify) replyConfirmation(c, 'punsubscribe', pattern, cps === null ? 0 : cps.count);
    return removed;
  }

  punsubscribeAll(c: Client, notify: boolean): number {
    const cps = c.pubsub;
    const mine = cps === null ? null : cps.patterns;
    let count = 0;
    if (mine !== null && mine.size !== 0) {
      for (const p of [...mine.keys()]) if (this.punsubscribe(c, p, notify)) count++;
    }
    if (notify && count === 0) replyConfirmation(c, 'punsubscribe', null, cps === null ? 0 : cps.count);
    return count;
  }

  /** Leaves Pub/Sub context once no subscription is left (Redis clears CLIENT_PUBSUB then). */
  leaveIfUnsubscribed(c: Client): void {
    const cps = c.pubsub;
    if (cps === null || cps.count + cps.shardCount === 0) {
      c.flags &= ~ClientFlag.PubSub;
      c.pubsub = null;
    }
  }

  /** Drops every subscription without confirmations (RESET, a closing client). */
  dropClient(c: Client): void {
    if (c.pubsub === null) return;
    this.unsubscribeAll(c, ChannelKind.Global, false);
    this.unsubscribeAll(c, ChannelKind.Shard, false);
    this.punsubscribeAll(c, false);
    this.leaveIfUnsubscribed(c);
  }

  /**
   * Publishes a message: channel subscribers first, then the subscribers of
   * each matching pattern (global channels only). Returns the receivers.
   */
  publish(channel: string, message: string, kind: ChannelKind): number {
    let receivers = 0;
    const subs = this.table(kind).get(channel);
    if (subs !== undefined) {
      const name = KIND_NAMES[kind].message;
      let m2: Buffer | null = null;
      let m3: Buffer | null = null;
      for (const t of subs) {
        let m: Buffer;
        if (t.reply.resp === 2) m = m2 ??= encodePush(2, [name, channel, message]);
        else m = m3 ??= encodePush(3, [name, channel, message]);
        pushTo(t, m);
        receivers++;
      }
    }
    if (kind === ChannelKind.Shard || this.patterns.size === 0) return receivers;
    for (const [pattern, clients] of this.patterns) {
      if (!globMatch(pattern, channel)) continue;
      let m2: Buffer | null = null;
      let m3: Buffer | null = null;
      for (const t of clients) {
        let m: Buffer;
        if (t.reply.resp === 2) m = m2 ??= encodePush(2, ['pmessage', pattern, channel, message]);
        else m = m3 ??= encodePush(3, ['pmessage', pattern, channel, message]);
        pushTo(t, m);
        receivers++;
      }
    }
    return receivers;
  }

  /** Subscribers of a channel (PUBSUB NUMSUB / SHARDNUMSUB). */
  subscribers(channel: string, kind: ChannelKind): number {
    return this.table(kind).get(channel)?.size ?? 0;
  }

  /** Active channels matching a pattern (null: all), for PUBSUB CHANNELS / SHARDCHANNELS. */
  activeChannels(pattern: string | null, kind: ChannelKind): string[] {
    const out: string[] = [];
    for (const ch of this.table(kind).keys()) if (pattern === null || globMatch(pattern, ch)) out.push(ch);
    return out;
  }
}

function addSubscriber(table: Dict<Set<Client>>, name: string, c: Client): void {
  const subs = table.get(name);
  if (subs === undefined) table.set(name, new Set([c]));
  else subs.add(c);
}

/** Removes a subscriber; the entry goes with its last subscriber, so abandoned channels cost nothing. */
function removeSubscriber(table: Dict<Set<Client>>, name: string, c: Client): void {
  const subs = table.get(name);
  if (subs === undefined) return;
  subs.delete(c);
  if (subs.size === 0) table.delete(name);
}

/**
 * A (un)subscribe confirmation: [kind, name or null, count], an array in
 * RESP2 and a push in RESP3. Like every push it ignores CLIENT REPLY OFF.
 */
function replyConfirmation(c: Client, kind: string, name: string | null, count: number): void {
  const r = c.reply;
  const en = r.enabled;
  r.enabled = true;
  r.push(3);
  r.bulk(kind);
  if (name === null) r.null();
  else r.bulk(name);
  r.int(count);
  r.enabled = en;
}
