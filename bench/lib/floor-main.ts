// Entry of the floor server's own process (see floor-process.ts): prints its URL, serves until SIGTERM.
// With FLOOR_DATABASE_URL it is the durable floor: each message is inserted (one statement, committed and
// flushed) into floor_messages before it is broadcast.
import pg from 'pg';
import { startFloorServer } from './sse-floor-server';

const url = process.env.FLOOR_DATABASE_URL;
const pool = url ? new pg.Pool({ connectionString: url, max: Number(process.env.FLOOR_POOL ?? 30) }) : null;
const store = pool
	? async (topic: string, body: string) => {
			await pool.query({ name: 'floor-insert', text: 'insert into floor_messages (topic, body) values ($1, $2)', values: [topic, body] });
		}
	: undefined;
const floor = await startFloorServer(store);
process.stdout.write(`${floor.url}\n`);
process.on('SIGTERM', () => void floor.close().then(() => pool?.end()).then(() => process.exit(0)));
