import { describe, expect, it } from 'vitest';
import { handRaisedFrom, orderForGrid, siteCodeOf, videoQualityFor, type ParticipantView } from './participants';
import { siteProblems, siteStatuses } from './sites';

function view(identity: string, patch: Partial<ParticipantView> = {}): ParticipantView {
	return {
		identity,
		name: identity,
		isLocal: false,
		siteCode: siteCodeOf(identity),
		isSpeaking: false,
		connectionQuality: 'good',
		micOn: false,
		cameraOn: true,
		handRaised: false,
		cameraTrackSid: null,
		canPublishMicrophone: false,
		...patch
	};
}

describe('handRaisedFrom', () => {
	it('reads the attribute first, then JSON metadata', () => {
		expect(handRaisedFrom({ handRaised: '1' }, undefined)).toBe(true);
		expect(handRaisedFrom({ handRaised: 'true' }, '{"handRaised":false}')).toBe(true);
		expect(handRaisedFrom({}, '{"handRaised":true}')).toBe(true);
		expect(handRaisedFrom({ handRaised: '' }, '{"handRaised":true}')).toBe(true);
		expect(handRaisedFrom({ handRaised: '0' }, undefined)).toBe(false);
		expect(handRaisedFrom(undefined, 'free text')).toBe(false);
		expect(handRaisedFrom(undefined, 'null')).toBe(false);
	});
});

describe('videoQualityFor', () => {
	it('is high for chair and speaker only', () => {
		const focus = { chairIdentity: 'chair', speakerIdentity: 'site-1' };
		expect(videoQualityFor('chair', focus)).toBe('high');
		expect(videoQualityFor('site-1', focus)).toBe('high');
		expect(videoQualityFor('site-2', focus)).toBe('low');
		expect(videoQualityFor('site-2', {})).toBe('low');
	});
});

describe('orderForGrid', () => {
	it('puts chair, speaker, raised hands first, then Vietnamese name order', () => {
		const list = [
			view('a', { name: 'Đào' }),
			view('b', { name: 'Anh' }),
			view('c', { name: 'Bình', handRaised: true }),
			view('s', { name: 'Zed' }),
			view('chair', { name: 'Chủ tọa' })
		];
		expect(orderForGrid(list, { chairIdentity: 'chair', speakerIdentity: 's' }).map((v) => v.identity)).toEqual([
			'chair',
			's',
			'c',
			'b',
			'a'
		]);
	});
});

describe('site statuses', () => {
	const invited = [
		{ code: '26734', name: 'Phường Bến Thành' },
		{ code: '26737', name: 'Phường Sài Gòn' },
		{ code: '27004', name: 'Xã Cần Giờ' }
	];
	it('merges invited sites with who is online, and flags problems', () => {
		const statuses = siteStatuses(invited, [
			view('site-26734', { micOn: true }),
			view('site-27004', { connectionQuality: 'poor', cameraOn: false, handRaised: true }),
			view('acc-1') // a personal participant is not a site
		]);
		expect(statuses.map((s) => [s.code, s.online, siteProblems(s)])).toEqual([
			['26734', true, []],
			['26737', false, ['offline']],
			['27004', true, ['poorConnection', 'noCamera']]
		]);
		expect(statuses[2]).toMatchObject({ identity: 'site-27004', handRaised: true, micOn: false });
		expect(statuses[1]).toMatchObject({ connectionQuality: 'unknown', cameraOn: false });
	});
});
