import type { Locale } from '../../i18n';
import { translate } from '../../i18n';
import { csvDocument } from '../csv';
import type { voteMinutes } from './vote-minutes';

export function minutesCsv(minutes: Awaited<ReturnType<typeof voteMinutes>>, locale: Locale): string {
	const t = (k: string) => translate(locale, k);
	const header = ['#', t('minutes.col.question'), t('minutes.col.kind'), t('minutes.col.status'), t('minutes.col.rule'), t('minutes.col.seated'), t('minutes.col.present'), t('choice.yes'), t('choice.no'), t('choice.abstain'), t('tally.notVoted'), t('minutes.col.passed'), t('minutes.col.closedAt'), t('minutes.col.note')];
	const rows = minutes.rows.map((r) => [r.index, r.question, r.kind, r.status, r.rule, r.seated, r.present, r.yes, r.no, r.abstain, r.notVoted, r.passed === null ? '' : r.passed ? t('result.passed') : t('result.failed'), r.closedAt, r.note]);
	return csvDocument([header, ...rows, [], [t('minutes.chainHead'), minutes.chainHead]]);
}
