import type { Cli } from '../cli.js';
export async function clusterManagerMode(_cli: Cli): Promise<number> { return 1; }
