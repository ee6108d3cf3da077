import type { APIRequestContext, PlaywrightWorkerArgs } from '@playwright/test';
import { COUNCIL, apiUser, delegateNames, mutate, query } from './session';
import { checkInViaApi, prepareSitting } from './sitting';

type Playwright = PlaywrightWorkerArgs['playwright'];

export interface DraftedResolution {
	sittingId: string;
	itemId: string;
	voteId: string;
	resolutionId: string;
	delegates: APIRequestContext[];
}

export type PassedSubmission = Omit<DraftedResolution, 'resolutionId'>;

/**
 * Through the API, as the council would: a sitting with 20 of 30 delegates present passes its submission item
 * (`Tờ trình kế hoạch đầu tư công`, item 1) unanimously. No resolution is drafted yet.
 */
export async function passingVote(playwright: Playwright, chair: APIRequestContext, opts: { code?: string } = {}): Promise<PassedSubmission> {
	const code = opts.code ?? COUNCIL;
	const { sittingId, items } = await prepareSitting(chair, { title: 'Kỳ họp thông qua nghị quyết', items: ['Tờ trình kế hoạch đầu tư công'], convene: true, code });
	const itemId = items[0].id;
	const delegates = await checkInViaApi(playwright, sittingId, delegateNames(1, 20, code));
	await mutate(chair, 'sitting.start', { sittingId });
	await mutate(chair, 'sitting.setCurrentItem', { sittingId, itemId });
	const { voteId } = await mutate<{ voteId: string }>(chair, 'vote.open', { sittingId, itemId, question: 'Thông qua nghị quyết?', kind: 'open' });
	await Promise.all(delegates.map((d) => mutate(d, 'vote.cast', { voteId, choice: 'yes' })));
	await mutate(chair, 'vote.close', { voteId });
	return { sittingId, itemId, voteId, delegates };
}

/** As `passingVote`, then the secretary drafts its resolution through the API (not adopted yet). */
export async function draftAfterPassingVote(playwright: Playwright, chair: APIRequestContext, opts: { title: string; code?: string }): Promise<DraftedResolution> {
	const code = opts.code ?? COUNCIL;
	const { sittingId, itemId, voteId, delegates } = await passingVote(playwright, chair, { code });

	const secretary = await apiUser(playwright, `secretary.${code}`);
	const { resolutionId } = await mutate<{ resolutionId: string }>(secretary, 'resolution.draft', {
		itemId,
		title: opts.title,
		body: {
			legalBases: ['Căn cứ Luật Tổ chức chính quyền địa phương;'],
			articles: [{ paragraphs: [`Thông qua: ${opts.title}.`] }],
			recipients: ['Lưu: VT.']
		}
	});
	await secretary.dispose();
	return { sittingId, itemId, voteId, resolutionId, delegates };
}

/** A resolution adopted, signed by the chair and sealed by the clerk (demo certificates): issued, with its number. */
export async function issuedResolution(playwright: Playwright, chair: APIRequestContext, opts: { title: string; code?: string }): Promise<{ resolutionId: string; number: string }> {
	const code = opts.code ?? COUNCIL;
	const drafted = await draftAfterPassingVote(playwright, chair, opts);
	const { resolutionId, voteId } = drafted;
	await mutate(chair, 'resolution.adopt', { resolutionId, voteId });
	await mutate(chair, 'resolution.sign', { resolutionId, passphrase: 'demo' });
	const clerk = await apiUser(playwright, `clerk.${code}`);
	await mutate(clerk, 'resolution.seal', { resolutionId, passphrase: 'demo' });
	const { number, status } = await query<{ number: string; status: string }>(chair, 'resolution.get', { resolutionId });
	if (status !== 'issued') throw new Error(`resolution ${resolutionId} is ${status}, not issued`);
	for (const d of [clerk, ...drafted.delegates]) await d.dispose();
	return { resolutionId, number };
}
