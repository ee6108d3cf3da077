import type { MonitorRow } from './types';

/** A council's dashboard row for unit tests: idle and empty unless told otherwise. */
export function testRow(code: string, over: Partial<MonitorRow> = {}): MonitorRow {
	return {
		councilId: `id-${code}`,
		code,
		name: `Phường ${code}`,
		kind: code === 'city' ? 'city' : 'ward',
		formerProvince: code === 'city' ? null : 'TP.HCM',
		formerDistrict: code === 'city' ? null : 'Quận 1',
		searchName: `phuong ${code}`,
		seated: 30,
		status: 'idle',
		live: null,
		sittings: { today: 0, term: 0, closed: 0, next: null },
		resolutions: { adopted: 0, signed: 0, issued: 0 },
		tasks: { onTime: 0, overdue: 0, done: 0 },
		petitions: { total: 0, pending: 0, answered: 0 },
		consultationsOpen: 0,
		...over
	};
}

export function liveOf(status: 'voting' | 'in_session' | 'convened', voted = 0, present = 21): MonitorRow['live'] {
	return {
		sittingId: 's',
		title: 'Kỳ họp',
		number: 1,
		sittingStatus: status === 'convened' ? 'convened' : 'in_progress',
		currentItem: null,
		present,
		required: 20,
		quorumMet: present >= 20,
		vote: status === 'voting' ? { voteId: 'v', question: 'Thông qua', voted } : null
	};
}
