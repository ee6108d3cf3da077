import { DEFAULT_LOCALE, translate } from '../../i18n';
import { councilUserIds, notifyUsers } from '../notifications/service';
import type { Trx } from '../sittings/events';

/**
 * Who a resolution waits for after each step, told in the step's own transaction (the bell rings at commit,
 * never for a step that rolled back): once adopted, the council's chairs are to sign it; once signed, its
 * clerks are to seal it. Stored notifications have no reader yet, so the body is in the default language;
 * the kind's label is translated where it is shown.
 */
const NEXT = {
	adopted: { kind: 'resolution.toSign', roles: ['chair'], body: 'resolution.notice.toSign' },
	signed: { kind: 'resolution.toSeal', roles: ['clerk'], body: 'resolution.notice.toSeal' }
} as const;

export async function noticeResolutionWaits(trx: Trx, r: { id: string; council_id: string; title: string }, step: keyof typeof NEXT, number: string): Promise<void> {
	const next = NEXT[step];
	await notifyUsers(trx, {
		userIds: await councilUserIds(trx, r.council_id, [...next.roles]),
		kind: next.kind,
		title: r.title,
		body: translate(DEFAULT_LOCALE, next.body, { number }),
		link: resolutionLink(r.council_id, r.id),
		councilId: r.council_id
	});
}

/** The council's resolutions page, scrolled to the row with the resolution's actions. */
export function resolutionLink(councilId: string, resolutionId: string): string {
	return `/resolutions/${councilId}#r-${resolutionId}`;
}
