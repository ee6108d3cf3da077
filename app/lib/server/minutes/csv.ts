import type { Locale } from '../../i18n';
import { translate } from '../../i18n';
import type { voteMinutes } from './vote-minutes';

function cell(value: unknown): string {
	const text = value === null || value === undefined ? '' : String(value);
	// Quote everything that could break a row, and neutralise spreadsheet formulas (CSV injection).
	const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
	return /[",\n\r;]/.test(safe) || safe !== text ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function minutesCsv(minutes: Awaited<ReturnType<typeof voteMinutes>>, locale: Locale): string {
	const t = (k: string) => translate(locale, k);
	const header = ['#', t('minutes.col.question'), t('minutes.col.kind'), t('minutes.col.status'), t('minutes.col.rule'), t('minutes.col.seated'), t('minutes.col.present'), t('choice.yes'), t('choice.no'), t('choice.abstain'), t('tally.notVoted'), t('minutes.col.passed'), t('minutes.col.closedAt'), t('minutes.col.note')];
	const lines = minutes.rows.map((r) =>
		[r.index, r.question, r.kind, r.status, r.rule, r.seated, r.present, r.yes, r.no, r.abstain, r.notVoted, r.passed === null ? '' : r.passed ? t('result.passed') : t('result.failed'), r.closedAt, r.note].map(cell).join(',')
	);
	const footer = [cell(t('minutes.chainHead')), cell(minutes.chainHead)].join(',');
	// A BOM so spreadsheet programs read the Vietnamese text as UTF-8.
	return '\uFEFF' + [header.map(cell).join(','), ...lines, '', footer].join('\r\n') + '\r\n';
}
