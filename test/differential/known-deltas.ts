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
