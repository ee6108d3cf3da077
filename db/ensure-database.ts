import pg from 'pg';

/** CREATE DATABASE if it does not exist yet (PostgreSQL has no IF NOT EXISTS for it). */
export async function ensureDatabase(adminUrl: string, name: string, template?: string): Promise<void> {
	const client = new pg.Client({ connectionString: adminUrl });
	await client.connect();
	try {
		const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
		if (exists.rowCount) return;
		const ident = (s: string) => '"' + s.replace(/"/g, '""') + '"';
		try {
			await client.query(`create database ${ident(name)}${template ? ` template ${ident(template)}` : ''}`);
		} catch (err) {
			// Another instance created it between our check and our create.
			if ((err as { code?: string }).code !== '42P04') throw err;
		}
	} finally {
		await client.end();
	}
}
