/**
 * Who may call what, from docs/api.md (the doc's rule wins where the code says otherwise), with an input per
 * procedure built from the fixtures. Every procedure of the router needs an entry here.
 */
import type { Fixtures } from './fixtures';
import { RESOLUTION_BODY } from './fixtures';
import type { Role } from './harness';

export interface MatrixEntry {
	/** Roles that must pass the authorisation checks (a business error is fine). */
	allowed: readonly Role[];
	input: (f: Fixtures) => unknown;
	/** Why, when the rule is not obvious from the doc. */
	note?: string;
}

const ANYONE: readonly Role[] = ['anonymous', 'delegate', 'otherDelegate', 'chair', 'secretary', 'clerk', 'site', 'monitor', 'admin'];
const SIGNED_IN: readonly Role[] = ANYONE.filter((r) => r !== 'anonymous');
/** "Readers of C": any role in council C (26743), or monitor/admin. */
const READERS: readonly Role[] = ['delegate', 'chair', 'secretary', 'clerk', 'site', 'monitor', 'admin'];
const ORGANISERS: readonly Role[] = ['chair', 'secretary'];
const CHAIR: readonly Role[] = ['chair'];
const CITY: readonly Role[] = ['monitor', 'admin'];
const ADMIN: readonly Role[] = ['admin'];
const inAnHour = () => new Date(Date.now() + 3_600_000);

export const MATRIX: Record<string, MatrixEntry> = {
	'auth.login': { allowed: ANYONE, input: () => ({ username: 'delegate.26743.28', password: 'demo' }) },
	'auth.logout': { allowed: SIGNED_IN, input: () => undefined },
	'auth.me': { allowed: ANYONE, input: () => undefined },

	'council.list': { allowed: SIGNED_IN, input: () => undefined },
	'council.get': { allowed: READERS, input: (f) => ({ councilId: f.ward }) },

	'admin.createUser': { allowed: ADMIN, input: () => ({ username: 'matrix.new.user', fullName: 'Người Dùng Mới', password: 'matkhau-an-toan' }) },
	'admin.assignRole': { allowed: ADMIN, input: (f) => ({ userId: f.delegate30Id, councilId: f.ward, role: 'delegate' }), note: 're-assigns an existing role: no change' },
	'admin.revokeRole': { allowed: ADMIN, input: (f) => ({ userId: f.delegate29Id, councilId: f.otherWard, role: 'clerk' }), note: 'a role the user does not hold' },
	'admin.deactivateUser': { allowed: ADMIN, input: (f) => ({ userId: f.spareUserId }) },
	'admin.resetPassword': { allowed: ADMIN, input: (f) => ({ userId: f.spareUserId, password: 'mat-khau-moi-an-toan' }) },
	'admin.listUsers': { allowed: ADMIN, input: () => ({ q: 'nguyen' }) },
	'admin.importDelegates': { allowed: ADMIN, input: (f) => ({ councilId: f.otherWard, csv: 'matrix.imported,Trần Thị Nhập,matkhau-an-toan' }) },
	'admin.stats': { allowed: ADMIN, input: () => undefined },

	// Two weeks after the run: a fixed date would fall into the past as the calendar moves on.
	'sitting.create': { allowed: ORGANISERS, input: (f) => ({ councilId: f.ward, kind: 'thematic', title: 'Kỳ họp chuyên đề', startsAt: new Date(Date.now() + 14 * 86_400_000) }) },
	'sitting.upcoming': { allowed: SIGNED_IN, input: () => undefined },
	'sitting.list': { allowed: READERS, input: (f) => ({ councilId: f.ward }) },
	'sitting.get': { allowed: READERS, input: (f) => ({ sittingId: f.live.sittingId }) },
	'sitting.addAgendaItem': { allowed: ORGANISERS, input: (f) => ({ sittingId: f.convened.sittingId, kind: 'other', title: 'Nội dung khác' }) },
	'sitting.reorderAgenda': { allowed: ORGANISERS, input: (f) => ({ sittingId: f.convened.sittingId, itemIds: [f.convened.itemId, f.convened.reportId] }) },
	// Edits of the live sitting without a reason: the allowed roles get past the guards and are refused by the rule
	// (BAD_REQUEST, a correction needs a reason), so the calls change nothing and each role meets the same state.
	'sitting.update': { allowed: ORGANISERS, input: (f) => ({ sittingId: f.live.sittingId, title: 'Tên mới' }) },
	'sitting.updateAgendaItem': { allowed: ORGANISERS, input: (f) => ({ itemId: f.live.reportId, title: 'Tên mới' }) },
	'sitting.removeAgendaItem': { allowed: ORGANISERS, input: (f) => ({ itemId: f.live.reportId }) },
	'sitting.updateDocument': { allowed: ORGANISERS, input: (f) => ({ documentId: f.documentId, title: 'Tên mới' }) },
	'sitting.removeDocument': { allowed: ORGANISERS, input: (f) => ({ documentId: f.documentId }) },
	'sitting.convene': { allowed: CHAIR, input: (f) => ({ sittingId: f.convened.sittingId }) },
	'sitting.start': { allowed: CHAIR, input: (f) => ({ sittingId: f.convened.sittingId }) },
	'sitting.close': { allowed: CHAIR, input: (f) => ({ sittingId: f.closable.sittingId }) },
	'sitting.setCurrentItem': { allowed: CHAIR, input: (f) => ({ sittingId: f.live.sittingId, itemId: f.live.itemId }) },
	'sitting.state': { allowed: READERS, input: (f) => ({ sittingId: f.live.sittingId }) },
	'sitting.verifyChain': { allowed: READERS, input: (f) => ({ sittingId: f.live.sittingId }) },
	'sitting.chainHeads': { allowed: READERS, input: (f) => ({ sittingId: f.live.sittingId, seqs: [1] }) },
	'sitting.minutes': { allowed: READERS, input: (f) => ({ sittingId: f.live.sittingId }), note: 'GET /api/minutes/{sittingId}/… goes through it' },
	'sitting.events': { allowed: READERS, input: (f) => ({ sittingId: f.live.sittingId }) },

	'attendance.checkIn': { allowed: ['delegate'], input: (f) => ({ sittingId: f.live.sittingId, mode: 'hall' }) },
	'attendance.mark': { allowed: ['secretary', 'chair'], input: (f) => ({ sittingId: f.live.sittingId, delegateId: f.delegate30Id, status: 'absent_excused', reason: 'Công tác' }) },
	// On the spare convened sitting, so the live one keeps its 25 present for the other entries.
	'attendance.markAllPresent': { allowed: ['secretary', 'chair'], input: (f) => ({ sittingId: f.closable.sittingId }) },

	'floor.request': { allowed: ['delegate'], input: (f) => ({ sittingId: f.live.sittingId, kind: 'speech' }), note: 'a checked-in delegate' },
	'floor.withdraw': { allowed: ['delegate'], input: (f) => ({ requestId: f.withdrawableRequestId }), note: 'only the requester (delegate.26743.1)' },
	'floor.grant': { allowed: CHAIR, input: (f) => ({ requestId: f.grantableRequestId, allottedSec: 60 }) },
	'floor.end': { allowed: CHAIR, input: (f) => ({ sittingId: f.live.sittingId }) },
	'floor.move': { allowed: CHAIR, input: (f) => ({ sittingId: f.live.sittingId, requestId: f.grantableRequestId, index: 0 }) },
	'floor.log': { allowed: READERS, input: (f) => ({ sittingId: f.live.sittingId }) },

	'vote.open': { allowed: CHAIR, input: (f) => ({ sittingId: f.live.sittingId, itemId: f.live.itemId, question: 'Thêm một biểu quyết?', kind: 'open' }) },
	'vote.cast': { allowed: ['delegate'], input: (f) => ({ voteId: f.openVoteId, choice: 'yes' }), note: 'a checked-in delegate of the council' },
	'vote.close': { allowed: CHAIR, input: (f) => ({ voteId: f.openVoteId }) },
	'vote.void': { allowed: CHAIR, input: (f) => ({ voteId: f.openVoteId, reason: 'Sự cố kỹ thuật' }) },
	'vote.result': { allowed: READERS, input: (f) => ({ voteId: f.closedVoteId }) },
	'vote.get': { allowed: READERS, input: (f) => ({ voteId: f.closedVoteId }) },

	// The encrypted secret ballot (issue 17): member-only procedures need the delegate role in the council, then a
	// place on the committee (the matrix's delegate is member 1). Plain votes answer the vote-stage ones with a
	// business error (not encrypted, not counting).
	'secretBallot.prepare': { allowed: CHAIR, input: (f) => ({ sittingId: f.convened.sittingId, itemId: f.convened.itemId, question: 'Phiếu kín thứ hai?', committee: [f.delegateId, f.delegate29Id, f.delegate30Id] }) },
	'secretBallot.setup': { allowed: READERS, input: (f) => ({ setupId: f.secretSetupId }) },
	'secretBallot.ofSitting': { allowed: READERS, input: (f) => ({ sittingId: f.convened.sittingId }) },
	'secretBallot.postTransportKey': { allowed: ['delegate'], input: (f) => ({ setupId: f.secretSetupId, key: 'e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76' }), note: 'a committee member' },
	'secretBallot.postDealing': { allowed: ['delegate'], input: (f) => ({ setupId: f.secretSetupId, dealing: {}, sealed: [] }), note: 'a committee member' },
	'secretBallot.shares': { allowed: ['delegate'], input: (f) => ({ setupId: f.secretSetupId }), note: 'a committee member' },
	'secretBallot.complain': { allowed: ['delegate'], input: (f) => ({ setupId: f.secretSetupId, dealer: 2 }), note: 'a committee member' },
	'secretBallot.open': { allowed: CHAIR, input: (f) => ({ setupId: f.secretSetupId }) },
	'secretBallot.cast': { allowed: ['delegate'], input: (f) => ({ voteId: f.openVoteId, ballot: {} }), note: 'a checked-in delegate of the council' },
	'secretBallot.closeCasting': { allowed: CHAIR, input: (f) => ({ voteId: f.openVoteId }) },
	'secretBallot.postPartial': { allowed: ['delegate'], input: (f) => ({ voteId: f.closedVoteId, partial: {} }), note: 'a committee member' },
	'secretBallot.count': { allowed: CHAIR, input: (f) => ({ voteId: f.closedVoteId }) },
	'secretBallot.board': { allowed: READERS, input: (f) => ({ voteId: f.closedVoteId }) },

	'media.token': { allowed: READERS, input: (f) => ({ roomKind: 'sitting', id: f.live.sittingId }), note: 'any council role of the room’s council, monitor/admin' },
	'media.status': { allowed: SIGNED_IN, input: () => undefined },

	'conference.create': { allowed: ['chair', 'admin'], input: (f) => ({ councilId: f.ward, title: 'Hội nghị mới', siteCodes: ['26737'] }) },
	'conference.get': { allowed: READERS, input: (f) => ({ conferenceId: f.wardConferenceId }), note: 'organisers = readers of 26743 (the organiser)' },
	'conference.list': { allowed: SIGNED_IN, input: () => undefined },
	'conference.sites': { allowed: READERS, input: (f) => ({ conferenceId: f.wardConferenceId }) },
	'conference.raiseHand': { allowed: ['site'], input: (f) => ({ conferenceId: f.cityConferenceId, raised: true }), note: 'the city’s conference invites 26743' },
	'conference.giveFloor': { allowed: CHAIR, input: (f) => ({ conferenceId: f.wardConferenceId, siteCode: '26737' }) },
	'conference.muteAll': { allowed: CHAIR, input: (f) => ({ conferenceId: f.wardConferenceId }) },
	'conference.remove': { allowed: CHAIR, input: (f) => ({ conferenceId: f.wardConferenceId, siteCode: '26737' }) },
	'conference.end': { allowed: CHAIR, input: (f) => ({ conferenceId: f.wardConferenceId }) },

	'resolution.draft': { allowed: ['secretary', 'chair'], input: (f) => ({ itemId: f.live.itemId, title: 'Nghị quyết khác', body: RESOLUTION_BODY }) },
	'resolution.update': { allowed: ['secretary', 'chair'], input: (f) => ({ resolutionId: f.resolutionId, title: 'Về kế hoạch đầu tư công (sửa)' }) },
	'resolution.preview': { allowed: ['secretary', 'chair'], input: (f) => ({ itemId: f.live.itemId, title: 'Xem trước', body: RESOLUTION_BODY }), note: 'stores nothing' },
	'resolution.todo': { allowed: SIGNED_IN, input: () => undefined, note: 'the caller’s own tasks' },
	'resolution.adopt': { allowed: CHAIR, input: (f) => ({ resolutionId: f.resolutionId, voteId: f.closedVoteId }) },
	'resolution.sign': { allowed: CHAIR, input: (f) => ({ resolutionId: f.resolutionId, passphrase: 'demo' }) },
	'resolution.signer': { allowed: SIGNED_IN, input: () => undefined, note: 'the caller’s own way of signing' },
	'resolution.setSigner': { allowed: SIGNED_IN, input: () => ({ method: 'server' }), note: 'for oneself only; a token also needs the chair of the council whose CA certifies it' },
	'resolution.seal': { allowed: ['clerk'], input: (f) => ({ resolutionId: f.resolutionId, passphrase: 'demo' }) },
	'resolution.get': { allowed: READERS, input: (f) => ({ resolutionId: f.resolutionId }) },
	'resolution.list': { allowed: READERS, input: (f) => ({ councilId: f.ward }) },
	'resolution.passedVotes': { allowed: READERS, input: (f) => ({ councilId: f.ward }) },
	'resolution.pdf': { allowed: READERS, input: (f) => ({ resolutionId: f.draftResolutionId }), note: 'a draft: readers only (an issued one is public); GET /resolutions/{id}.pdf goes through it' },
	'resolution.importCertificate': {
		allowed: ['chair', 'admin'],
		input: (f) => ({ councilId: f.ward, kind: 'person', p12Base64: 'AAECAwQF', passphrase: 'x' }),
		note: 'for oneself: the chair (person); an admin for anyone'
	},

	'monitor.overview': { allowed: CITY, input: () => undefined },
	'monitor.council': { allowed: CITY, input: (f) => ({ councilId: f.ward }) },
	'monitor.events': { allowed: CITY, input: () => undefined },

	'followup.create': {
		allowed: ['chair', 'secretary', 'monitor', 'admin'],
		input: (f) => ({ councilId: f.ward, resolutionRef: '02/2026/NQ-HĐND', title: 'Nhiệm vụ', agency: 'UBND phường', deadline: new Date(Date.now() + 86_400_000) })
	},
	'followup.report': { allowed: ['delegate', 'chair', 'secretary'], input: (f) => ({ taskId: f.taskId, percent: 10, text: 'Đang triển khai' }), note: 'the assignee is delegate.26743.1' },
	'followup.list': { allowed: READERS, input: (f) => ({ councilId: f.ward }) },
	'followup.reports': { allowed: READERS, input: (f) => ({ taskId: f.taskId }) },
	'followup.escalations': { allowed: CITY, input: () => undefined },

	'consultation.create': { allowed: ORGANISERS, input: (f) => ({ councilId: f.ward, title: 'Ý kiến', question: 'Đồng ý?', deadline: inAnHour() }) },
	'consultation.answer': { allowed: ['delegate'], input: (f) => ({ consultationId: f.consultationId, choice: 'agree' }) },
	'consultation.result': { allowed: READERS, input: (f) => ({ consultationId: f.consultationId }) },
	'consultation.events': { allowed: READERS, input: (f) => ({ consultationId: f.consultationId }), note: 'exactly as consultation.result' },
	'consultation.list': { allowed: READERS, input: (f) => ({ councilId: f.ward }) },

	'petition.create': { allowed: ['delegate', 'chair', 'secretary'], input: (f) => ({ councilId: f.ward, topic: 'Môi trường', area: 'Khu phố 2', text: 'Rác thải.' }) },
	'petition.assign': { allowed: ORGANISERS, input: (f) => ({ petitionId: f.petitionId, agency: 'UBND phường' }) },
	'petition.answer': { allowed: ORGANISERS, input: (f) => ({ petitionId: f.petitionId, answer: 'Đã tiếp thu.' }) },
	'petition.list': { allowed: READERS, input: (f) => ({ councilId: f.ward }) },

	'notification.list': { allowed: SIGNED_IN, input: () => ({ limit: 10 }) },
	'notification.markRead': { allowed: SIGNED_IN, input: () => ({ all: true }) },
	'notification.stream': { allowed: SIGNED_IN, input: () => undefined },
	'notification.scheduleReminder': { allowed: ORGANISERS, input: (f) => ({ councilId: f.ward, runAt: inAnHour(), title: 'Nhắc họp', to: 'delegates' }) },

	'directory.search': { allowed: SIGNED_IN, input: () => ({ q: 'nguyen' }) }
};
