// --cluster: redis-cli's cluster manager. Its commands, arities, options and
// help are here; the operations need a cluster, which Spinel does not have
// yet: a node answers "is not configured as a cluster node" as redis-cli
// reports it, and against a cluster-enabled server (a Redis cluster) the
// operations say they are not implemented instead of pretending.

import type { Cli } from '../cli.js';
import { Connection } from '../connection.js';
import { T } from '../resp.js';
import { infoField } from './util.js';
import * as io from '../io.js';

interface ClusterCommandDef {
  name: string;
  arity: number;
  args: string | null;
  options: string | null;
}

const COMMANDS: ClusterCommandDef[] = [
  { name: 'create', arity: -2, args: 'host1:port1 ... hostN:portN', options: 'replicas <arg>' },
  { name: 'check', arity: -1, args: '<host:port> or <host> <port> - separated by either colon or space', options: 'search-multiple-owners' },
  { name: 'info', arity: -1, args: '<host:port> or <host> <port> - separated by either colon or space', options: null },
  {
    name: 'fix',
    arity: -1,
    args: '<host:port> or <host> <port> - separated by either colon or space',
    options: 'search-multiple-owners,fix-with-unreachable-masters',
  },
  {
    name: 'reshard',
    arity: -1,
    args: '<host:port> or <host> <port> - separated by either colon or space',
    options: 'from <arg>,to <arg>,slots <arg>,yes,timeout <arg>,pipeline <arg>,replace',
  },
  {
    name: 'rebalance',
    arity: -1,
    args: '<host:port> or <host> <port> - separated by either colon or space',
    options: 'weight <node1=w1...nodeN=wN>,use-empty-masters,timeout <arg>,simulate,pipeline <arg>,threshold <arg>,replace',
  },
  { name: 'add-node', arity: 2, args: 'new_host:new_port existing_host:existing_port', options: 'slave,master-id <arg>' },
  { name: 'del-node', arity: 2, args: 'host:port node_id', options: null },
  { name: 'call', arity: -2, args: 'host:port command arg arg .. arg', options: 'only-masters,only-replicas' },
  { name: 'set-timeout', arity: 2, args: 'host:port milliseconds', options: null },
  { name: 'import', arity: 1, args: 'host:port', options: 'from <arg>,from-user <arg>,from-pass <arg>,from-askpass,copy,replace' },
  { name: 'backup', arity: 2, args: 'host:port backup_directory', options: null },
  { name: 'help', arity: 0, args: null, options: null },
];

const INVALID_HOST_ARG =
  '[ERR] Invalid arguments: you need to pass either a valid address (ie. 120.0.0.1:7000) or space separated IP and port (ie. 120.0.0.1 7000)\n';

export function clusterHelp(): string {
  let s = 'Cluster Manager Commands:\n';
  const padding = 15;
  for (const def of COMMANDS) {
    s += `  ${def.name.padEnd(padding - 1)} ${def.args ?? ''}\n`;
    if (def.options) {
      for (const opt of def.options.split(',')) s += `${' '.repeat(padding + 2)}--cluster-${opt}\n`;
    }
  }
  s +=
    '\nFor check, fix, reshard, del-node, set-timeout, info, rebalance, call, import, backup you can specify the host and port of any working node in the cluster.\n';
  s += '\nCluster Manager Options:\n  --cluster-yes  Automatic yes to cluster commands prompts\n\n';
  return s;
}

function useColors(): boolean {
  const t = process.env.TERM;
  return t !== undefined && t.includes('xterm');
}

function log(color: string, text: string): void {
  if (useColors()) io.out(`\x1b[${color}${text}\x1b[0m`);
  else io.out(text);
  io.flush();
}

const logErr = (t: string): void => log('31;1m', t);
const logInfo = (t: string): void => log('29;1m', t);

/** host:port (split at the last colon) or host port. */
function hostFromArgs(argv: string[]): [string, number] | null {
  if (argv.length === 0) return null;
  let host: string;
  let port: number;
  if (argv.length === 1) {
    const colon = argv[0].lastIndexOf(':');
    if (colon < 0) return null;
    host = argv[0].slice(0, colon);
    port = Number.parseInt(argv[0].slice(colon + 1), 10);
  } else {
    host = argv[0];
    port = Number.parseInt(argv[1], 10);
  }
  if (!host || !(port > 0)) return null;
  return [host, port];
}

/** Connects to a node and checks it runs in cluster mode (INFO cluster: cluster_enabled:1). */
async function checkClusterNode(cli: Cli, host: string, port: number): Promise<boolean> {
  const c = cli.config;
  let conn: Connection;
  try {
    conn = await Connection.open({ host, port, socket: null, family: c.family, timeoutMs: 0, tls: c.tls.enabled ? c.tls : null });
  } catch (e) {
    io.err(`Could not connect to Redis at ${host}:${port}: ${(e as Error).message}\n`);
    return false;
  }
  try {
    if (c.auth !== null) {
      const r = await conn.command(...(c.user === null ? ['AUTH', c.auth] : ['AUTH', c.user, c.auth]));
      if (r.type === T.Error) io.err(`AUTH failed: ${r.str}\n`);
    }
    const info = await conn.command('INFO', 'cluster');
    const enabled = info.type === T.String || info.type === T.Verb ? infoField(info.str, 'cluster_enabled') : null;
    if (enabled === null || Number.parseInt(enabled, 10) !== 1) {
      logErr(`[ERR] Node ${host}:${port} is not configured as a cluster node.\n`);
      return false;
    }
  } catch (e) {
    io.err(`Error: ${(e as Error).message}\n`);
    return false;
  } finally {
    conn.close();
  }
  io.err(`[ERR] --cluster ${cli.config.cluster.name} is not implemented by spinel-cli yet.\n`);
  return false;
}

/** Runs the cluster manager command; returns the exit code. */
export async function clusterManagerMode(cli: Cli): Promise<number> {
  const cmd = cli.config.cluster;
  const def = COMMANDS.find((d) => d.name === cmd.name);
  if (def === undefined) {
    io.err('Unknown --cluster subcommand\n');
    return 1;
  }
  const argc = cmd.argv.length;
  if ((def.arity > 0 && argc !== def.arity) || (def.arity < 0 && argc < -def.arity)) {
    io.err('[ERR] Wrong number of arguments for specified --cluster sub command\n');
    return 1;
  }
  const argv = cmd.argv;
  switch (def.name) {
    case 'help':
      io.out(clusterHelp());
      return 1;
    case 'create': {
      for (const a of argv) {
        const hp = hostFromArgs([a]);
        if (hp === null) {
          io.err(`Invalid address format: ${a}\n`);
          return 1;
        }
        if (!(await checkClusterNode(cli, hp[0], hp[1]))) return 1;
      }
      return 1;
    }
    case 'add-node': {
      const newNode = hostFromArgs([argv[0]]);
      const existing = hostFromArgs([argv[1]]);
      if (newNode === null || existing === null) {
        io.err(INVALID_HOST_ARG);
        return 1;
      }
      logInfo(`>>> Adding node ${argv[0]} to cluster ${argv[1]}\n`);
      await checkClusterNode(cli, existing[0], existing[1]);
      return 1;
    }
    case 'del-node': {
      const hp = hostFromArgs([argv[0]]);
      if (hp === null) {
        io.err(INVALID_HOST_ARG);
        return 1;
      }
      logInfo(`>>> Removing node ${argv[1]} from cluster ${hp[0]}:${hp[1]}\n`);
      await checkClusterNode(cli, hp[0], hp[1]);
      return 1;
    }
    case 'call':
    case 'set-timeout':
    case 'backup':
    case 'import': {
      if (def.name === 'import' && cmd.from === null) {
        io.err("[ERR] Option '--cluster-from' is required for subcommand 'import'.\n");
        return 1;
      }
      const hp = hostFromArgs([argv[0]]);
      if (hp === null) {
        io.err(INVALID_HOST_ARG);
        return 1;
      }
      await checkClusterNode(cli, hp[0], hp[1]);
      return 1;
    }
    default: {
      const hp = hostFromArgs(argv.slice(0, 2));
      if (hp === null) {
        io.err(INVALID_HOST_ARG);
        return 1;
      }
      await checkClusterNode(cli, hp[0], hp[1]);
      return 1;
    }
  }
}
