import pg from 'pg';

/**
 * Holds a sitting's row lock in a transaction of its own, as a long change of the sitting would: every ballot write
 * needs that lock, so casts sent meanwhile cannot commit. The crash tests use it to have casts certainly in flight.
 */
export async function holdSittingLock(connectionString: string, sittingId: string) {
	const client = new pg.Client({ connectionString });
	client.on('error', () => {}); // a test may kill the server under it, as intended
	await client.connect();
	await client.query('begin');
	await client.query('select id from sittings where id = $1 for update', [sittingId]);
	const pid = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0].pid;
	return {
		/** How many sessions (the app's casts) wait behind the lock, read on a connection of its own. */
		waiting: async (): Promise<number> => {
			const probe = new pg.Client({ connectionString });
			await probe.connect();
			try {
				return (await probe.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where $1::int = any(pg_blocking_pids(pid))', [pid])).rows[0].n;
			} finally {
				await probe.end();
			}
		},
		release: async () => {
			await client.query('rollback').catch(() => {});
			await client.end().catch(() => {});
		}
	};
}
