// Known differences between the reference Redis 7.0.15 and the Redis 7.2
// Spinel implements (see shared/REDIS-7.2-DELTAS.md). Each entry rewrites the
// 7.0 reply into what 7.2 answers, for the commands it concerns only.

export interface KnownDelta {
  /** What 7.2 does differently. */
  rule: string;
  applies(argv: string[], reply70: string): boolean;
  rewrite(argv: string[], reply70: string): string;
}

export const KNOWN_DELTAS: KnownDelta[] = [];

// --- Sorted-set scores (zsets helper) ---------------------------------------

import { formatDouble } from '../../src/protocol/format.js';

interface RespNode {
  t: string;
  line: string;
  kids: RespNode[] | null;
  data: string | null;
}

function parseResp(raw: string, pos: number): [RespNode, number] {
  const t = raw[pos];
  const nl = raw.indexOf('\r\n', pos);
  const line = raw.slice(pos + 1, nl);
  let p = nl + 2;
  if (t === '$' || t === '=' || t === '!') {
    const n = Number(line);
    if (n < 0) return [{ t, line, kids: null, data: null }, p];
    return [{ t, line, kids: null, data: raw.slice(p, p + n) }, p + n + 2];
  }
  if (t === '*' || t === '~' || t === '>' || t === '%') {
    let n = Number(line);
    if (n < 0) return [{ t, line, kids: null, data: null }, p];
    if (t === '%') n *= 2;
    const kids: RespNode[] = [];
    for (let i = 0; i < n; i++) {
      const [k, q] = parseResp(raw, p);
      kids.push(k);
      p = q;
    }
    return [{ t, line, kids, data: null }, p];
  }
  return [{ t, line, kids: null, data: null }, p];
}

function serResp(n: RespNode): string {
  if (n.kids !== null) return n.t + n.line + '\r\n' + n.kids.map(serResp).join('');
  if (n.data !== null) return n.t + n.data.length + '\r\n' + n.data + '\r\n';
  return n.t + n.line + '\r\n';
}

/** Re-formats one score frame (a RESP2 bulk string or a RESP3 double) the 7.2 way. */
function fixScore(n: RespNode | undefined): void {
  if (n === undefined) return;
  if (n.t === '$' && n.data !== null) n.data = reformat(n.data);
  else if (n.t === ',') n.line = reformat(n.line);
}

function reformat(s: string): string {
  if (s === 'inf' || s === '-inf' || s === 'nan' || s === '-nan') return s;
  const v = Number(s);
  return Number.isNaN(v) ? s : formatDouble(v);
}

const ZSCORE_SINGLE = new Set(['ZSCORE', 'ZINCRBY', 'ZADD']);
const ZSCORE_PAIRS = new Set([
  'ZRANGE', 'ZRANGEBYSCORE', 'ZREVRANGE', 'ZREVRANGEBYSCORE', 'ZUNION', 'ZINTER', 'ZDIFF', 'ZRANDMEMBER', 'ZPOPMIN', 'ZPOPMAX',
]);

KNOWN_DELTAS.push({
  rule:
    'Sorted-set scores: Redis 7.2 replies every score (RESP2 bulk string or RESP3 double) as the shortest ' +
    'decimal that reads back as the same double (fpconv_dtoa: 0.1, 1e-7, 1e+300, 1.2345671234567e+6; integral ' +
    'values within +-2^62 as plain integers), where 7.0 printed %.17g (0.10000000000000001). Applies to the score ' +
    'fields of ZSCORE, ZMSCORE, ZINCRBY, ZADD INCR, ZRANGE*/ZREVRANGE* WITHSCORES, ZUNION/ZINTER/ZDIFF WITHSCORES, ' +
    'ZRANDMEMBER WITHSCORES, ZPOPMIN/ZPOPMAX, BZPOPMIN/BZPOPMAX, ZMPOP/BZMPOP, and ZSCAN of listpack-encoded zsets ' +
    '(their listpack stores scores as 7.2 d2string text; skiplist ZSCAN prints %.17Lg in both versions, so ' +
    'differential tests use ZSCAN on small zsets only).',
  applies(argv, reply70) {
    const cmd = argv[0].toUpperCase();
    if (reply70[0] === '-') return false;
    return ZSCORE_SINGLE.has(cmd) || cmd === 'ZMSCORE' || ZSCORE_PAIRS.has(cmd) || cmd === 'BZPOPMIN' || cmd === 'BZPOPMAX' ||
      cmd === 'ZMPOP' || cmd === 'BZMPOP' || cmd === 'ZSCAN';
  },
  rewrite(argv, reply70) {
    const cmd = argv[0].toUpperCase();
    const [root] = parseResp(reply70, 0);
    const kids = root.kids;
    if (ZSCORE_SINGLE.has(cmd)) {
      fixScore(root);
    } else if (kids === null) {
      return reply70;
    } else if (cmd === 'ZMSCORE') {
      for (const k of kids) fixScore(k);
    } else if (ZSCORE_PAIRS.has(cmd)) {
      const withScores = cmd === 'ZPOPMIN' || cmd === 'ZPOPMAX' || argv.some((a) => a.toUpperCase() === 'WITHSCORES');
      if (!withScores) return reply70;
      for (let i = 0; i < kids.length; i++) {
        const k = kids[i];
        if (k.kids !== null) fixScore(k.kids[1]);
        else if (i % 2 === 1) fixScore(k);
      }
    } else if (cmd === 'BZPOPMIN' || cmd === 'BZPOPMAX') {
      fixScore(kids[2]);
    } else if (cmd === 'ZMPOP' || cmd === 'BZMPOP') {
      for (const pr of kids[1]?.kids ?? []) if (pr.kids !== null) fixScore(pr.kids[1]);
    } else if (cmd === 'ZSCAN') {
      const items = kids[1]?.kids ?? [];
      for (let i = 1; i < items.length; i += 2) fixScore(items[i]);
    }
    return serResp(root);
  },
});

// --- CLIENT HELP (introspection helper) -----------------------------------------

// 7.2 documents CLIENT SETINFO (after SETNAME) and CLIENT NO-TOUCH (after NO-EVICT).
KNOWN_DELTAS.push({
  rule: 'CLIENT HELP in 7.2 lists SETINFO <option> <value> after SETNAME and NO-TOUCH (ON|OFF) after NO-EVICT',
  applies: (argv, r) => argv.length === 2 && argv[0].toLowerCase() === 'client' && argv[1].toLowerCase() === 'help' && r.startsWith('*'),
  rewrite: (_argv, r) => {
    const lines = r.split('\r\n');
    const out: string[] = [];
    let count = Number(lines[0].slice(1));
    for (let i = 1; i < lines.length; i++) {
      out.push(lines[i]);
      if (lines[i] === '+    Assign the name <name> to the current connection.') {
        out.push('+SETINFO <option> <value>', '+    Set client meta attr. Options are:', '+    * LIB-NAME: the client lib name.', '+    * LIB-VER: the client lib version.');
        count += 4;
      } else if (lines[i] === '+    Protect current client connection from eviction.') {
        out.push('+NO-TOUCH (ON|OFF)', '+    Will not touch LRU/LFU stats when this mode is on.');
        count += 2;
      }
    }
    return `*${count}\r\n` + out.join('\r\n');
  },
});

// LOLWUT (7.2 rule): every drawing ends with the server's own version,
// "Redis ver. 7.2.x" where the 7.0 reference prints "Redis ver. 7.0.15".
import { SPINEL_VERSION } from '../../src/version.js';
KNOWN_DELTAS.push({
  rule: 'LOLWUT output ends with "Redis ver. <7.2 version Spinel reports>" instead of 7.0.15',
  applies: (argv, r) => argv[0].toLowerCase() === 'lolwut' && r.includes('Redis ver. 7.0.15\n'),
  rewrite: (_argv, r) => {
    const body = r.slice(r.indexOf('\r\n') + 2).replace('Redis ver. 7.0.15\n', `Redis ver. ${SPINEL_VERSION}\n`);
    const len = Buffer.byteLength(body.slice(0, -2), 'latin1');
    return r[0] + len + '\r\n' + body;
  },
});

// --- CONFIG (config helper) ----------------------------------------------------
// Redis 7.2 adds the loglevel value 'nothing' (7.2 rule: loglevel accepts
// debug, verbose, notice, warning, nothing), so the enum error lists it.
KNOWN_DELTAS.push({
  rule: "CONFIG SET loglevel <bad>: the list of values ends with ', nothing' (7.2 adds loglevel nothing)",
  applies: (argv, r) =>
    argv[0].toLowerCase() === 'config' && (argv[1] ?? '').toLowerCase() === 'set' &&
    r.includes('argument(s) must be one of the following: debug, verbose, notice, warning\r\n'),
  rewrite: (_argv, r) =>
    r.replace('debug, verbose, notice, warning\r\n', 'debug, verbose, notice, warning, nothing\r\n'),
});

// --- Blocking timeouts (lists/blocking helper) ----------------------------------
// 7.2 rule (getTimeoutFromObjectOrReply): a seconds timeout whose value in ms
// exceeds LLONG_MAX (e.g. 1e400, inf), or that would overflow when added to
// the current time, replies 'ERR timeout is out of range'; 7.0 let it wrap to
// a negative number and replied 'ERR timeout is negative'.
const SECONDS_TIMEOUT_LAST = new Set(['blpop', 'brpop', 'brpoplpush', 'blmove', 'bzpopmin', 'bzpopmax']);
const SECONDS_TIMEOUT_FIRST = new Set(['blmpop', 'bzmpop']);
KNOWN_DELTAS.push({
  rule: "blocking commands: a positive timeout beyond LLONG_MAX ms replies 'ERR timeout is out of range' (7.0: 'timeout is negative')",
  applies: (argv, r) => {
    if (r !== '-ERR timeout is negative\r\n') return false;
    const name = argv[0].toLowerCase();
    const t = SECONDS_TIMEOUT_LAST.has(name) ? argv[argv.length - 1] : SECONDS_TIMEOUT_FIRST.has(name) ? argv[1] : undefined;
    if (t === undefined) return false;
    const v = /^\+?inf(inity)?$/i.test(t) ? Infinity : Number(t);
    return v > 0;
  },
  rewrite: () => '-ERR timeout is out of range\r\n',
});
