// A --threads worker of spinel-benchmark: runs its share of the clients on
// its own event loop, recording into the shared counters and histograms.

import { parentPort, workerData } from 'node:worker_threads';
import { Engine, type EngineSpec, type SharedState } from './engine.js';

const { spec, shared, clients } = workerData as { spec: EngineSpec; shared: SharedState; clients: number };
spec.prefix = Buffer.from(spec.prefix);
spec.request = Buffer.from(spec.request);
const engine = new Engine(spec, shared);
engine.onFatal = (msg) => parentPort!.postMessage({ fatal: msg });
engine.onStarted = () => parentPort!.postMessage({ started: true });
engine.onFinished = () => parentPort!.postMessage({ finished: true });
parentPort!.on('message', (m) => {
  if (m === 'stop') {
    engine.finish();
    process.exit(0);
  }
});
void engine.run(clients).then(() => {
  // Done here: wait for the main thread's stop (other threads may still run).
});
