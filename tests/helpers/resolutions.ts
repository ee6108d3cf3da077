import { as } from './callers';
import { delegates, sittingInProgress } from './sittings';

/** A short resolution body that passes the drafting checks. */
export const RESOLUTION_BODY = { legalBases: ['Căn cứ Luật Tổ chức chính quyền địa phương;'], articles: [{ paragraphs: ['Thông qua.'] }], recipients: ['Lưu: VT.'] };

/** A resolution drafted on a sitting's item and adopted by a unanimous vote of its 30 delegates. */
export async function adoptedResolution(title = 'Về thử nghiệm chứng thư') {
	const s = await sittingInProgress(30);
	const { voteId } = await s.chair.vote.open({ sittingId: s.sittingId, itemId: s.itemId, question: 'Thông qua?', kind: 'open' });
	await Promise.all(delegates().map(async (u) => (await as(u)).vote.cast({ voteId, choice: 'yes' })));
	await s.chair.vote.close({ voteId });
	const { resolutionId } = await s.chair.resolution.draft({ itemId: s.itemId, title, body: RESOLUTION_BODY });
	await s.chair.resolution.adopt({ resolutionId, voteId });
	return { ...s, resolutionId };
}
