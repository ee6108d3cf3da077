// Entry of the floor server's own process (see floor-process.ts): prints its URL, serves until SIGTERM.
import { startFloorServer } from './sse-floor-server';

const floor = await startFloorServer();
process.stdout.write(`${floor.url}\n`);
process.on('SIGTERM', () => void floor.close().then(() => process.exit(0)));
