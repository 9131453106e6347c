// The tool modes of spinel-cli, one module per family.

import type { Cli } from '../cli.js';
import { slaveMode } from './replica.js';
import { formatRawLdb } from '../eval.js';

export { scanMode, findBigKeys, findHotKeys } from './keys.js';
export { pipeMode } from './pipe.js';
export { statMode, latencyMode, latencyDistMode, intrinsicLatencyMode, lruTestMode } from './stat.js';
export { replicaMode, getRdbMode } from './replica.js';

/** Hooks the tools lend to the command path (SYNC typed at the prompt, the Lua debugger's output). */
export function install(cli: Cli): void {
  cli.runSlaveMode = (c) => slaveMode(c, false);
  cli.ldbFormat = formatRawLdb;
}
