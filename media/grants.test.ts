import { describe, expect, it } from 'vitest';
import { TrackSource } from 'livekit-server-sdk';
import { grantsFor, MEDIA_ROLES, permissionFor } from './grants';

describe('grantsFor', () => {
	it.each(['chair', 'host'] as const)('%s runs the room', (role) => {
		for (const holdsFloor of [false, true]) {
			expect(grantsFor(role, { holdsFloor })).toEqual({
				roomJoin: true,
				roomAdmin: true,
				canPublish: true,
				canSubscribe: true,
				canPublishData: true
			});
		}
	});

	it.each(['delegate', 'site'] as const)('%s publishes its camera only, without the floor', (role) => {
		expect(grantsFor(role, { holdsFloor: false })).toEqual({
			roomJoin: true,
			canSubscribe: true,
			canPublish: true,
			canPublishSources: [TrackSource.CAMERA],
			canPublishData: false
		});
	});

	it.each(['delegate', 'site'] as const)('%s may also open its microphone while holding the floor', (role) => {
		expect(grantsFor(role, { holdsFloor: true })).toEqual({
			roomJoin: true,
			canSubscribe: true,
			canPublish: true,
			canPublishSources: [TrackSource.CAMERA, TrackSource.MICROPHONE],
			canPublishData: false
		});
	});

	it.each(['monitor', 'display'] as const)('%s only watches', (role) => {
		for (const holdsFloor of [false, true]) {
			expect(grantsFor(role, { holdsFloor })).toEqual({
				roomJoin: true,
				canSubscribe: true,
				canPublish: false,
				canPublishData: false
			});
		}
	});

	it('never gives admin, create, list, record or metadata rights beyond chair/host', () => {
		for (const role of MEDIA_ROLES) {
			const grant = grantsFor(role, { holdsFloor: true });
			expect(grant.roomCreate).toBeUndefined();
			expect(grant.roomList).toBeUndefined();
			expect(grant.roomRecord).toBeUndefined();
			expect(grant.canUpdateOwnMetadata).toBeUndefined();
			expect(grant.hidden).toBeUndefined();
			expect(grant.roomAdmin === true).toBe(role === 'chair' || role === 'host');
		}
	});

	it('returns a fresh object each call (callers may mutate it)', () => {
		const a = grantsFor('site', { holdsFloor: false });
		a.canPublishSources!.push(TrackSource.MICROPHONE);
		expect(grantsFor('site', { holdsFloor: false }).canPublishSources).toEqual([TrackSource.CAMERA]);
	});

	it('rejects an unknown role', () => {
		expect(() => grantsFor('mayor' as never, { holdsFloor: false })).toThrow(TypeError);
	});
});

describe('permissionFor', () => {
	it('spells out every field because LiveKit replaces the whole permission', () => {
		expect(permissionFor('site', { holdsFloor: true })).toEqual({
			canSubscribe: true,
			canPublish: true,
			canPublishData: false,
			canPublishSources: [TrackSource.CAMERA, TrackSource.MICROPHONE],
			canUpdateMetadata: false,
			hidden: false,
			recorder: false
		});
		expect(permissionFor('delegate', { holdsFloor: false }).canPublishSources).toEqual([TrackSource.CAMERA]);
		expect(permissionFor('display', { holdsFloor: false })).toMatchObject({
			canPublish: false,
			canSubscribe: true,
			canPublishSources: []
		});
	});
});
