// LATENCY against the reference with the monitor off (the default): HELP,
// empty LATEST/HISTORY/HISTOGRAM, RESET counts, DOCTOR text, errors and arity.
import { test } from 'node:test';
import { usePair, type DiffPair } from '../helpers/differential.js';

let pair: DiffPair;
const skip = usePair((p) => (pair = p));

const CASES: string[][] = [
  ['LATENCY', 'HELP'],
  ['LATENCY', 'LATEST'],
  ['LATENCY', 'HISTORY', 'command'],
  ['LATENCY', 'GRAPH', 'command'],
  ['LATENCY', 'RESET'],
  ['LATENCY', 'RESET', 'command', 'fast-command'],
  ['LATENCY', 'DOCTOR'],
  ['LATENCY', 'HISTOGRAM', 'nosuch'],
  ['LATENCY', 'HISTOGRAM', 'nosuch', 'nosuch|sub'],
  ['LATENCY'],
  ['LATENCY', 'GRAPH'],
  ['LATENCY', 'HISTORY', 'a', 'b'],
  ['LATENCY', 'LATEST', 'x'],
  ['LATENCY', 'DOCTOR', 'x'],
  ['LATENCY', 'HELP', 'x'],
  ['LATENCY', 'NOSUCH'],
];

test('LATENCY subcommands with no events, RESP2', { skip }, async () => {
  await pair.checkAll(CASES);
});

test('LATENCY subcommands with no events, RESP3', { skip }, async () => {
  await pair.resp(3);
  await pair.checkAll(CASES);
  await pair.resp(2);
});
