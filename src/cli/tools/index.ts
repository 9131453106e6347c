import type { Cli } from '../cli.js';
import * as io from '../io.js';
const todo = async (_cli: Cli): Promise<never> => { io.err('not yet\n'); io.exit(1); };
export function install(_cli: Cli): void {}
export const latencyMode = todo, latencyDistMode = todo, replicaMode = todo, getRdbMode = todo, pipeMode = todo, findHotKeys = todo, statMode = todo, scanMode = todo, lruTestMode = todo, intrinsicLatencyMode = todo;
export async function findBigKeys(cli: Cli, _m: boolean, _n: number): Promise<never> { return todo(cli); }
