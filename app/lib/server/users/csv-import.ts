import { parse } from 'csv-parse/sync';

export interface DelegateRow {
	line: number;
	username: string;
	fullName: string;
	password: string;
}

export interface RejectedRow {
	line: number;
	reasonKey: string;
}

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,62}$/;

/**
 * Parses `username,full_name,password` rows (header first). Pure: decides which rows are acceptable on
 * their own; the caller checks the database for usernames already taken.
 */
export function parseDelegateCsv(text: string): { rows: DelegateRow[]; rejected: RejectedRow[] } {
	const records: string[][] = parse(text.replace(/^\uFEFF/, ''), {
		relax_column_count: true,
		skip_empty_lines: true,
		trim: true
	});
	const rows: DelegateRow[] = [];
	const rejected: RejectedRow[] = [];
	const seen = new Set<string>();
	const header = records[0]?.map((h) => h.toLowerCase()) ?? [];
	const hasHeader = header.includes('username');
	records.slice(hasHeader ? 1 : 0).forEach((record, index) => {
		const line = index + (hasHeader ? 2 : 1);
		const [rawUsername, rawName, password] = record;
		const username = (rawUsername ?? '').toLowerCase();
		const fullName = (rawName ?? '').normalize('NFC');
		if (record.length < 3) return rejected.push({ line, reasonKey: 'admin.csv.missingColumns' });
		if (!USERNAME_PATTERN.test(username)) return rejected.push({ line, reasonKey: 'admin.csv.badUsername' });
		if (!fullName) return rejected.push({ line, reasonKey: 'admin.csv.emptyName' });
		if ((password ?? '').length < 8) return rejected.push({ line, reasonKey: 'admin.csv.shortPassword' });
		if (seen.has(username)) return rejected.push({ line, reasonKey: 'admin.csv.duplicate' });
		seen.add(username);
		rows.push({ line, username, fullName, password: password! });
	});
	return { rows, rejected };
}
