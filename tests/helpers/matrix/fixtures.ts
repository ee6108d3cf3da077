/**
 * One of everything in Phường Bến Thành (26743), made once per test file: a convened sitting, one in progress
 * with a queued floor request, a closed (passed) vote and an open one, a draft resolution, conferences, a
 * consultation, a petition, a follow-up task and notifications.
 */
import { as, councilIdOf, db, userIdOf } from '../callers';
import { convenedSitting, delegates, sittingInProgress } from '../sittings';

export const RESOLUTION_BODY = {
	legalBases: ['Luật Tổ chức chính quyền địa phương năm 2025'],
	articles: [{ title: 'Điều 1', paragraphs: ['Thông qua kế hoạch.'] }],
	recipients: ['UBND phường']
};

export async function createFixtures() {
	const ward = await councilIdOf('26743');
	const otherWard = await councilIdOf('26737');
	const city = await councilIdOf('city');
	const delegateId = await userIdOf('delegate.26743.1');
	const delegate30Id = await userIdOf('delegate.26743.30');
	const delegate29Id = await userIdOf('delegate.26743.29');
	const otherDelegateId = await userIdOf('delegate.26737.1');
	// An account no other entry uses, for the calls that close accounts or reset passwords.
	const spareUserId = await userIdOf('delegate.26740.30');

	// In progress on its submission item, 25 of 30 present (delegate.26743.1 … .25).
	const live = await sittingInProgress(25);
	const chair = live.chair;
	const closedVote = await chair.vote.open({ sittingId: live.sittingId, itemId: live.itemId, question: 'Thông qua tờ trình?', kind: 'open' });
	await Promise.all(delegates().slice(0, 20).map(async (u) => (await as(u)).vote.cast({ voteId: closedVote.voteId, choice: 'yes' })));
	await chair.vote.close({ voteId: closedVote.voteId });
	const openVote = await chair.vote.open({ sittingId: live.sittingId, itemId: live.itemId, question: 'Biểu quyết lần hai?', kind: 'open' });
	const withdrawable = await (await as('delegate.26743.1')).floor.request({ sittingId: live.sittingId, kind: 'speech' });
	const grantable = await (await as('delegate.26743.2')).floor.request({ sittingId: live.sittingId, kind: 'question' });

	const convened = await convenedSitting();
	const closable = await convenedSitting();
	// An encrypted secret vote being prepared in the convened sitting; the matrix's delegate is member 1 of its committee.
	const { setupId: secretSetupId } = await chair.secretBallot.prepare({ sittingId: convened.sittingId, itemId: convened.itemId, question: 'Bỏ phiếu kín?', committee: [delegateId, await userIdOf('delegate.26743.2'), await userIdOf('delegate.26743.3')] });

	// A document of the live sitting for the document edits (the matrix needs a row to point at, not a checked PDF).
	const { id: documentId } = await db()
		.insertInto('documents')
		.values({ sitting_id: live.sittingId, item_id: live.reportId, title: 'Báo cáo', filename: 'bao-cao.pdf', size_bytes: 9, sha256: '0'.repeat(64), content: Buffer.from('%PDF-1.4\n'), uploaded_by: await userIdOf('secretary.26743') })
		.returning('id')
		.executeTakeFirstOrThrow();

	const { resolutionId } = await chair.resolution.draft({ itemId: live.itemId, title: 'Về kế hoạch đầu tư công', body: RESOLUTION_BODY });
	// A draft nobody adopts: the matrix adopts, signs and seals the first one (an issued resolution's PDF is public).
	const { resolutionId: draftResolutionId } = await chair.resolution.draft({ itemId: live.itemId, title: 'Dự thảo để nguyên', body: RESOLUTION_BODY });

	const wardConference = await chair.conference.create({ councilId: ward, title: 'Hội nghị phường Bến Thành', siteCodes: ['26737'], sittingId: live.sittingId });
	const cityConference = await (await as('chair.city')).conference.create({ title: 'Hội nghị toàn thành phố', siteCodes: ['26743', '26737'] });

	const consultation = await chair.consultation.create({ councilId: ward, title: 'Lấy ý kiến dự thảo', question: 'Đồng ý?', deadline: new Date(Date.now() + 3 * 86_400_000) });
	const petition = await (await as('delegate.26743.1')).petition.create({ councilId: ward, topic: 'Giao thông', area: 'Khu phố 1', text: 'Đề nghị sửa đường.' });
	const task = await chair.followup.create({
		councilId: ward,
		resolutionRef: '01/2026/NQ-HĐND',
		title: 'Triển khai nghị quyết',
		agency: 'UBND phường',
		assigneeUserId: delegateId,
		deadline: new Date(Date.now() + 7 * 86_400_000)
	});

	return {
		ward,
		otherWard,
		city,
		delegateId,
		delegate30Id,
		delegate29Id,
		otherDelegateId,
		spareUserId,
		live: { sittingId: live.sittingId, itemId: live.itemId, reportId: live.reportId },
		convened: { sittingId: convened.sittingId, itemId: convened.itemId, reportId: convened.reportId },
		closable: { sittingId: closable.sittingId },
		documentId,
		closedVoteId: closedVote.voteId,
		secretSetupId,
		openVoteId: openVote.voteId,
		withdrawableRequestId: withdrawable.requestId,
		grantableRequestId: grantable.requestId,
		resolutionId,
		draftResolutionId,
		wardConferenceId: wardConference.conferenceId,
		cityConferenceId: cityConference.conferenceId,
		consultationId: consultation.consultationId,
		petitionId: petition.petitionId,
		taskId: task.taskId
	};
}

export type Fixtures = Awaited<ReturnType<typeof createFixtures>>;
