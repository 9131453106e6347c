// Entry point of spinel-server: parses redis-server style arguments, loads
// the configuration, starts listening.
import { Server } from './server.js';
import { Config } from '../config/config.js';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const config = new Config();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('--') && i + 1 < args.length) {
      const p = config.param(a.slice(2));
      if (p && p.type === 'int') config.set(p.name, Number(args[++i]));
      else if (p) config.set(p.name, args[++i]);
    }
  }
  const server = new Server(config);
  await server.listen();
  server.startCron();
  server.log.notice('Ready to accept connections tcp');
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
