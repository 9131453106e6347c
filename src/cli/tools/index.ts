// The tool modes of spinel-cli, one module per family.

export { scanMode, findBigKeys, findHotKeys } from './keys.js';
export { pipeMode } from './pipe.js';
export { statMode, latencyMode, latencyDistMode, intrinsicLatencyMode, lruTestMode } from './stat.js';
export { replicaMode, getRdbMode } from './replica.js';
