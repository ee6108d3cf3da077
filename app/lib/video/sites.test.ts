import { describe, expect, it } from 'vitest';
import type { ParticipantView } from './participants';
import { consoleParticipants, siteStatuses, type StoredSiteStatus } from './sites';

const stored = (code: string, patch: Partial<StoredSiteStatus> = {}): StoredSiteStatus => ({
	code,
	name: `Phường ${code}`,
	status: 'offline',
	micPublished: false,
	cameraPublished: false,
	connectionQuality: 'unknown',
	handRaised: false,
	...patch
});
const live = (code: string, patch: Partial<ParticipantView> = {}): ParticipantView => ({
	identity: `site-${code}`,
	name: `Phường ${code}`,
	isLocal: false,
	siteCode: code,
	isSpeaking: false,
	connectionQuality: 'good',
	micOn: false,
	cameraOn: true,
	handRaised: false,
	cameraTrackSid: null,
	canPublishMicrophone: false,
	...patch
});

describe('consoleParticipants', () => {
	it('prefers the live room and fills in online sites it does not show from the stored state', () => {
		const views = consoleParticipants([live('1')], [stored('1', { status: 'online' }), stored('2', { status: 'online', cameraPublished: true }), stored('3')]);
		expect(views.map((v) => v.identity)).toEqual(['site-1', 'site-2']);
		const statuses = siteStatuses([{ code: '1', name: 'A' }, { code: '2', name: 'B' }, { code: '3', name: 'C' }], views);
		expect(statuses.map((s) => [s.code, s.online, s.cameraOn])).toEqual([
			['1', true, true],
			['2', true, true],
			['3', false, false]
		]);
	});

	it('shows a hand raised through the app before LiveKit reports it', () => {
		expect(consoleParticipants([live('1')], [stored('1', { status: 'online', handRaised: true })])[0].handRaised).toBe(true);
	});
});
