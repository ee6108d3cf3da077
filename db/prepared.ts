import { createHash } from 'node:crypto';
import pg from 'pg';

/**
 * Statements that start with this comment are prepared once per connection and then only bound and executed:
 * PostgreSQL skips parsing and planning, which for the queries run on every request (the session lookup, a
 * ballot's checks and its write) costs more than executing them. Only fixed query texts should be marked —
 * each distinct text becomes one prepared statement on every connection.
 */
export const PREPARED_MARK = '/* prepared */';

const names = new Map<string, string>();

function statementName(text: string): string {
	let name = names.get(text);
	if (!name) names.set(text, (name = `nts_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`));
	return name;
}

type Query = pg.Client['query'];
const plainQuery: Query = pg.Client.prototype.query;

/** A pg client that prepares marked statements (kysely calls `query(text, values)`). */
export class PreparingClient extends pg.Client {}

PreparingClient.prototype.query = function (this: pg.Client, ...args: unknown[]) {
	const [text, values, ...rest] = args;
	if (typeof text === 'string' && text.startsWith(PREPARED_MARK) && Array.isArray(values)) {
		return (plainQuery as (...a: unknown[]) => unknown).call(this, { name: statementName(text), text, values }, ...rest);
	}
	return (plainQuery as (...a: unknown[]) => unknown).apply(this, args);
} as Query;
