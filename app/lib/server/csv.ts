/**
 * The one CSV writer of every export (minutes, consultations, a council's figures): csv-stringify, UTF-8 with a
 * byte-order mark (spreadsheet programs then read Vietnamese as UTF-8), CRLF rows, and one guard against formula
 * injection: a text cell that a spreadsheet would evaluate (starting with = + - @, a tab or a carriage return) is
 * prefixed with an apostrophe and quoted. Numbers are numbers, never prefixed (-5 stays -5).
 */
import { stringify } from 'csv-stringify/sync';

const FORMULA_START = /^[=+\-@\t\r]/;

/** The text a cell holds; exported for the tests beside it. */
export function guardCell(text: string): string {
	return FORMULA_START.test(text) ? `'${text}` : text;
}

export function csvDocument(rows: readonly (readonly unknown[])[]): string {
	const body = stringify(
		rows.map((row) => [...row]),
		{
			record_delimiter: '\r\n',
			// Semicolons too: spreadsheets set to a Vietnamese locale may split on them.
			quoted_match: /[;']/,
			cast: {
				string: (value) => guardCell(value),
				boolean: (value) => String(value),
				date: (value) => value.toISOString()
			}
		}
	);
	return '\uFEFF' + body;
}
