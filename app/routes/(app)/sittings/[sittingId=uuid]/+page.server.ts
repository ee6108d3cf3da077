import { loadSittingPage } from '$lib/sittings/load.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const page = await loadSittingPage(event);
	// The minutes of the votes (GET /api/minutes/{sittingId}/minutes.pdf|csv) are for the council's readers, who are
	// exactly those this page loads for; they are worth a link once a vote has ended (closed, or voided with its
	// reason), and the page adds the link itself when one ends while it is open.
	const ended = page.detail.votes.some((v) => v.status !== 'open');
	const base = `/api/minutes/${page.detail.id}`;
	return { ...page, minutes: { ended, pdf: `${base}/minutes.pdf`, csv: `${base}/minutes.csv` } };
};
