import type { Cli } from './cli.js';
export async function runEvalMode(_cli: Cli, _a: string[], _f: string): Promise<number> { return 1; }
