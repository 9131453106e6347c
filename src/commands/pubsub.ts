// Pub/Sub commands: SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE,
// PUBLISH, SSUBSCRIBE, SUNSUBSCRIBE, SPUBLISH and PUBSUB introspection.
// The tables and delivery live in src/server/pubsub.ts; the RESP2 subscribed
// context (only these commands, PING, QUIT and RESET) is checked by the
// dispatcher.

import type { Client } from '../server/client.js';
import type { HandlerMap } from './types.js';
import { ChannelKind } from '../server/pubsub.js';
import { canBlock } from '../server/blocking.js';
import { ClientFlag } from '../server/client.js';
import { replyHelp } from './util.js';

/**
 * Redis refuses the subscribe commands to clients that must get one reply
 * per command (CLIENT_DENY_BLOCKING: scripts, and EXEC for SSUBSCRIBE;
 * SUBSCRIBE and PSUBSCRIBE stay allowed inside MULTI for compatibility).
 */
function denied(c: Client, name: string, allowInMulti: boolean): boolean {
  if (canBlock(c)) return false;
  if (allowInMulti && (c.flags & ClientFlag.Multi) !== 0) return false;
  c.reply.error(`ERR ${name} isn't allowed for a DENY BLOCKING client`);
  return true;
}

function subscribe(c: Client, argv: string[]): void {
  if (denied(c, 'SUBSCRIBE', true)) return;
  const ps = c.server.pubsub;
  for (let j = 1; j < argv.length; j++) ps.subscribe(c, argv[j], ChannelKind.Global);
}

function unsubscribe(c: Client, argv: string[]): void {
  const ps = c.server.pubsub;
  if (argv.length === 1) ps.unsubscribeAll(c, ChannelKind.Global, true);
  else for (let j = 1; j < argv.length; j++) ps.unsubscribe(c, argv[j], ChannelKind.Global, true);
  ps.leaveIfUnsubscribed(c);
}

function psubscribe(c: Client, argv: string[]): void {
  if (denied(c, 'PSUBSCRIBE', true)) return;
  const ps = c.server.pubsub;
  for (let j = 1; j < argv.length; j++) ps.psubscribe(c, argv[j]);
}

function punsubscribe(c: Client, argv: string[]): void {
  const ps = c.server.pubsub;
  if (argv.length === 1) ps.punsubscribeAll(c, true);
  else for (let j = 1; j < argv.length; j++) ps.punsubscribe(c, argv[j], true);
  ps.leaveIfUnsubscribed(c);
}

function ssubscribe(c: Client, argv: string[]): void {
  if (denied(c, 'SSUBSCRIBE', false)) return;
  const ps = c.server.pubsub;
  for (let j = 1; j < argv.length; j++) ps.subscribe(c, argv[j], ChannelKind.Shard);
}

function sunsubscribe(c: Client, argv: string[]): void {
  const ps = c.server.pubsub;
  if (argv.length === 1) ps.unsubscribeAll(c, ChannelKind.Shard, true);
  else for (let j = 1; j < argv.length; j++) ps.unsubscribe(c, argv[j], ChannelKind.Shard, true);
  ps.leaveIfUnsubscribed(c);
}

/** PUBLISH and SPUBLISH are propagated even though they change no key (Redis's forceCommandPropagation). */
function publish(c: Client, argv: string[]): void {
  const n = c.server.pubsub.publish(argv[1], argv[2], ChannelKind.Global);
  c.server.propagate(c.db.id, argv);
  c.reply.int(n);
}

function spublish(c: Client, argv: string[]): void {
  const n = c.server.pubsub.publish(argv[1], argv[2], ChannelKind.Shard);
  c.server.propagate(c.db.id, argv);
  c.reply.int(n);
}

/** Redis's addReplySubcommandSyntaxError: the subcommand as the client sent it. */
function subcommandSyntaxError(c: Client, argv: string[]): void {
  c.reply.error(`ERR unknown subcommand or wrong number of arguments for '${argv[1].slice(0, 128)}'. Try PUBSUB HELP.`);
}

function channelList(c: Client, argv: string[], kind: ChannelKind): void {
  if (argv.length > 3) return subcommandSyntaxError(c, argv);
  c.reply.bulks(c.server.pubsub.activeChannels(argv.length === 3 ? argv[2] : null, kind));
}

function numsubReply(c: Client, argv: string[], kind: ChannelKind): void {
  const ps = c.server.pubsub;
  c.reply.array((argv.length - 2) * 2);
  for (let j = 2; j < argv.length; j++) {
    c.reply.bulk(argv[j]);
    c.reply.int(ps.subscribers(argv[j], kind));
  }
}

function pubsubChannels(c: Client, argv: string[]): void {
  channelList(c, argv, ChannelKind.Global);
}

function pubsubShardChannels(c: Client, argv: string[]): void {
  channelList(c, argv, ChannelKind.Shard);
}

function pubsubNumsub(c: Client, argv: string[]): void {
  numsubReply(c, argv, ChannelKind.Global);
}

function pubsubShardNumsub(c: Client, argv: string[]): void {
  numsubReply(c, argv, ChannelKind.Shard);
}

/** Distinct patterns with at least one subscriber. */
function pubsubNumpat(c: Client): void {
  c.reply.int(c.server.pubsub.patterns.size);
}

function pubsubHelp(c: Client): void {
  replyHelp(c, 'PUBSUB', [
    'CHANNELS [<pattern>]',
    "    Return the currently active channels matching a <pattern> (default: '*').",
    'NUMPAT',
    '    Return number of subscriptions to patterns.',
    'NUMSUB [<channel> ...]',
    '    Return the number of subscribers for the specified channels, excluding',
    '    pattern subscriptions(default: no channels).',
    'SHARDCHANNELS [<pattern>]',
    "    Return the currently active shard level channels matching a <pattern> (default: '*').",
    'SHARDNUMSUB [<shardchannel> ...]',
    '    Return the number of subscribers for the specified shard level channel(s)',
  ]);
}

export const handlers: HandlerMap = {
  subscribe,
  unsubscribe,
  psubscribe,
  punsubscribe,
  ssubscribe,
  sunsubscribe,
  publish,
  spublish,
  'pubsub|channels': pubsubChannels,
  'pubsub|numsub': pubsubNumsub,
  'pubsub|numpat': pubsubNumpat,
  'pubsub|shardchannels': pubsubShardChannels,
  'pubsub|shardnumsub': pubsubShardNumsub,
  'pubsub|help': pubsubHelp,
};
