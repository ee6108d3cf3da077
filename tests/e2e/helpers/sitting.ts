import type { APIRequestContext, PlaywrightWorkerArgs } from '@playwright/test';
import { COUNCIL, apiUser, councilIdOf, mutate, query } from './session';

type Playwright = PlaywrightWorkerArgs['playwright'];

export interface PreparedSitting {
	sittingId: string;
	items: { id: string; title: string }[];
}

/** A sitting created by the chair through the API, with agenda items, optionally convened. */
export async function prepareSitting(chair: APIRequestContext, opts: { title: string; items: string[]; convene?: boolean; code?: string; hybrid?: boolean }): Promise<PreparedSitting> {
	const councilId = await councilIdOf(chair, opts.code ?? COUNCIL);
	const { sittingId } = await mutate<{ sittingId: string }>(chair, 'sitting.create', {
		councilId,
		kind: 'regular',
		title: opts.title,
		startsAt: new Date(Date.now() + 3600_000).toISOString(),
		venue: 'Hội trường UBND phường',
		hybrid: opts.hybrid ?? false
	});
	const items: PreparedSitting['items'] = [];
	for (const title of opts.items) {
		const { itemId } = await mutate<{ itemId: string }>(chair, 'sitting.addAgendaItem', { sittingId, kind: 'submission', title });
		items.push({ id: itemId, title });
	}
	if (opts.convene) await mutate(chair, 'sitting.convene', { sittingId });
	return { sittingId, items };
}

/** Each delegate signs in with their own client and checks in (in parallel, as phones in the hall would). */
export async function checkInViaApi(playwright: Playwright, sittingId: string, usernames: string[], mode: 'hall' | 'remote' = 'hall'): Promise<APIRequestContext[]> {
	return Promise.all(
		usernames.map(async (u) => {
			const request = await apiUser(playwright, u);
			await mutate(request, 'attendance.checkIn', { sittingId, mode });
			return request;
		})
	);
}

export async function openVoteId(request: APIRequestContext, sittingId: string): Promise<string> {
	const state = await query<{ openVote: { voteId: string } | null }>(request, 'sitting.state', { sittingId });
	if (!state.openVote) throw new Error('no open vote');
	return state.openVote.voteId;
}
