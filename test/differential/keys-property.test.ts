// Random sequences of keyspace commands over a few keys and dbs, replies
// compared byte for byte with the reference server (seeded, reproducible).
import { test } from 'node:test';
import { usePair, type DiffPair, type Args } from '../helpers/differential.js';

let pair: DiffPair | null = null;
const skip = usePair((p) => (pair = p));

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = ['a', 'b', 'c', 'k\x00', ''];
const DBS = ['0', '1', '2', '15', '16', '-1', 'x'];
// Times chosen so replies do not depend on the millisecond the command runs.
const SECS = ['1000', '2000', '0', '-5', 'abc', '9223372036854775807'];
const ABS = ['4000000000', '4100000000', '1', '9223372036854775', '-1'];
const OPTS: string[][] = [[], [], ['NX'], ['XX'], ['GT'], ['LT'], ['NX', 'GT'], ['XX', 'LT'], ['foo']];

function gen(r: () => number): Args {
  const pick = <T>(a: T[]): T => a[Math.floor(r() * a.length)];
  const k = (): Buffer => Buffer.from(pick(KEYS), 'latin1');
  switch (Math.floor(r() * 22)) {
    case 0:
    case 1:
      return ['SET', k(), pick(['1', 'v', '12345'])];
    case 2:
      return ['DEL', k(), k()];
    case 3:
      return ['EXISTS', k(), k(), k()];
    case 4:
      return ['TYPE', k()];
    case 5:
      return ['RENAME', k(), k()];
    case 6:
      return ['RENAMENX', k(), k()];
    case 7:
      return ['COPY', k(), k(), ...(r() < 0.5 ? ['DB', pick(DBS)] : []), ...(r() < 0.5 ? ['REPLACE'] : [])];
    case 8:
      return ['MOVE', k(), pick(DBS)];
    case 9:
      return ['EXPIRE', k(), pick(SECS), ...pick(OPTS)];
    case 10:
      return ['EXPIREAT', k(), pick(ABS), ...pick(OPTS)];
    case 11:
      return ['PEXPIREAT', k(), pick(ABS) + '000', ...pick(OPTS)];
    case 12:
      return ['TTL', k()];
    case 13:
      return ['EXPIRETIME', k()];
    case 14:
      return ['PEXPIRETIME', k()];
    case 15:
      return ['PERSIST', k()];
    case 16:
      return ['SELECT', pick(['0', '1', '2'])];
    case 17:
      return ['SWAPDB', pick(DBS), pick(DBS)];
    case 18:
      return ['DBSIZE'];
    case 19:
      return ['UNLINK', k()];
    case 20:
      return r() < 0.1 ? ['FLUSHDB'] : ['TOUCH', k(), k()];
    default:
      return ['OBJECT', 'REFCOUNT', k()];
  }
}

for (const seed of (process.env.KEYS_SEEDS ? process.env.KEYS_SEEDS.split(",").map(Number) : [1, 2, 3, 4])) {
  test(`random keyspace command sequence, seed ${seed}`, { skip }, async () => {
    const p = pair!;
    await p.both('SELECT', '0');
    await p.both('FLUSHALL');
    const r = rng(seed);
    for (let i = 0; i < 400; i++) await p.check(...gen(r));
  });
}
