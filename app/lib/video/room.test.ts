import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import * as livekit from 'livekit-client';
import { VideoRoom, type VideoRoomState } from './room';

// The real livekit-client module (its enums, errors, presets) with only Room replaced: no
// WebRTC in Node, and the point here is VideoRoom's own policy — lazy loading, state mapping,
// what gets subscribed at which quality, and how errors are worded.

class FakePublication {
	isDesired = false;
	quality: livekit.VideoQuality | undefined;
	isMuted = false;
	track: object | undefined = undefined;
	constructor(
		readonly kind: livekit.Track.Kind,
		readonly source: livekit.Track.Source,
		readonly trackSid: string
	) {}
	setSubscribed(subscribed: boolean) {
		this.isDesired = subscribed;
	}
	setVideoQuality(quality: livekit.VideoQuality) {
		this.quality = quality;
	}
}

class FakeParticipant {
	isSpeaking = false;
	connectionQuality = livekit.ConnectionQuality.Good;
	attributes: Record<string, string> = {};
	metadata: string | undefined = undefined;
	permissions: { canPublish: boolean; canPublishSources: number[] } | undefined = {
		canPublish: true,
		canPublishSources: [1]
	};
	readonly trackPublications = new Map<string, FakePublication>();
	audio: FakePublication;
	camera: FakePublication;
	constructor(
		readonly identity: string,
		readonly isLocal = false,
		readonly name = identity
	) {
		this.audio = new FakePublication(livekit.Track.Kind.Audio, livekit.Track.Source.Microphone, `TR_a_${identity}`);
		this.camera = new FakePublication(livekit.Track.Kind.Video, livekit.Track.Source.Camera, `TR_v_${identity}`);
		this.trackPublications.set(this.audio.trackSid, this.audio);
		this.trackPublications.set(this.camera.trackSid, this.camera);
	}
	microphoneOpen = false;
	get isMicrophoneEnabled() {
		return this.microphoneOpen;
	}
	get isCameraEnabled() {
		return true;
	}
	getTrackPublication(source: livekit.Track.Source) {
		return [...this.trackPublications.values()].find((p) => p.source === source);
	}
	setCameraEnabled = vi.fn(async (_enabled: boolean) => undefined);
	setMicrophoneEnabled = vi.fn(async (_enabled: boolean) => undefined);
	publishTrack = vi.fn(async (track: { source?: livekit.Track.Source }) => {
		if (track.source === livekit.Track.Source.Microphone) this.microphoneOpen = true;
	});
}

/** A captured microphone, as livekit-client's createLocalAudioTrack gives it. */
class FakeAudioTrack {
	readonly source = livekit.Track.Source.Microphone;
	stop = vi.fn();
	setDeviceId = vi.fn(async (_deviceId: string) => true);
}
const capturedMicrophones: FakeAudioTrack[] = [];
const createLocalAudioTrack = vi.fn(async () => {
	const track = new FakeAudioTrack();
	capturedMicrophones.push(track);
	return track;
});

const created: FakeRoom[] = [];
let connectBehaviour: () => Promise<void> = async () => {};

class FakeRoom extends EventEmitter {
	readonly localParticipant = new FakeParticipant('acc-me', true);
	readonly remoteParticipants = new Map<string, FakeParticipant>();
	activeSpeakers: FakeParticipant[] = [];
	canPlaybackAudio = true;
	connectArgs: unknown[] = [];
	constructor(readonly options: unknown) {
		super();
		created.push(this);
	}
	async connect(...args: unknown[]) {
		this.connectArgs = args;
		await connectBehaviour();
		this.emit(livekit.RoomEvent.ConnectionStateChanged, livekit.ConnectionState.Connected);
	}
	async disconnect() {
		this.emit(livekit.RoomEvent.ConnectionStateChanged, livekit.ConnectionState.Disconnected);
	}
	add(identity: string) {
		const p = new FakeParticipant(identity);
		this.remoteParticipants.set(identity, p);
		this.emit(livekit.RoomEvent.ParticipantConnected, p);
		return p;
	}
}

// the room VideoRoom built most recently
const latest = () => created[created.length - 1];

function setup(options: ConstructorParameters<typeof VideoRoom>[0] = {}) {
	const loader = vi.fn(async () => ({ ...livekit, Room: FakeRoom, createLocalAudioTrack }) as unknown as typeof livekit);
	const room = new VideoRoom({ ...options, loadLiveKit: loader });
	const states: VideoRoomState[] = [];
	room.subscribe((s) => states.push(s));
	return { room, loader, states };
}

const access = { url: 'wss://video.example', token: 'jwt' };

describe('VideoRoom', () => {
	it('says "not configured" without loading livekit-client', async () => {
		const { room, loader } = setup();
		await room.connect(null);
		expect(room.current).toMatchObject({ status: 'failed', failure: 'notConfigured' });
		expect(loader).not.toHaveBeenCalled();
	});

	it('loads livekit-client lazily and connects with adaptive stream, dynacast, simulcast, manual subscription', async () => {
		connectBehaviour = async () => {};
		const { room, loader, states } = setup();
		expect(loader).not.toHaveBeenCalled();
		await room.connect(access);
		expect(loader).toHaveBeenCalledTimes(1);
		expect(latest().options).toMatchObject({
			adaptiveStream: true,
			dynacast: true,
			singlePeerConnection: false,
			publishDefaults: { simulcast: true }
		});
		expect(latest().connectArgs).toEqual(['wss://video.example', 'jwt', { autoSubscribe: false }]);
		expect(states.map((s) => s.status)).toContain('connecting');
		expect(room.current.status).toBe('connected');
		expect(room.current.localIdentity).toBe('acc-me');
	});

	it('receives all audio but only visible video; high quality for chair and speaker only', async () => {
		const { room } = setup({ chairIdentity: 'chair' });
		await room.connect(access);
		const chair = latest().add('chair');
		const a = latest().add('site-1');
		const b = latest().add('site-2');
		const c = latest().add('site-3');
		room.setVisible(['chair', 'site-1', 'site-2']);

		for (const p of [chair, a, b, c]) expect(p.audio.isDesired).toBe(true);
		expect([chair, a, b, c].map((p) => p.camera.isDesired)).toEqual([true, true, true, false]);
		expect(chair.camera.quality).toBe(livekit.VideoQuality.HIGH);
		expect(a.camera.quality).toBe(livekit.VideoQuality.LOW);

		room.setSpeaker('site-2');
		expect(b.camera.quality).toBe(livekit.VideoQuality.HIGH);
		expect(room.current.speakerIdentity).toBe('site-2');

		room.setVisible(['site-3']); // paged on
		expect([chair, a, b, c].map((p) => p.camera.isDesired)).toEqual([false, false, false, true]);
		expect(b.audio.isDesired).toBe(true); // the speaker stays audible off-page
	});

	it('audio-only stops receiving video', async () => {
		const { room } = setup();
		await room.connect(access);
		const a = latest().add('site-1');
		room.setVisible(['site-1']);
		expect(a.camera.isDesired).toBe(true);
		await room.setAudioOnly(true);
		expect(a.camera.isDesired).toBe(false);
		expect(a.audio.isDesired).toBe(true);
		expect(room.current.audioOnly).toBe(true);
	});

	it('maps participants to views, including raised hands and mic permission', async () => {
		const { room } = setup();
		await room.connect(access);
		const a = latest().add('site-26734');
		a.attributes = { handRaised: '1' };
		a.permissions = { canPublish: true, canPublishSources: [1, 2] };
		latest().emit(livekit.RoomEvent.ParticipantAttributesChanged, {}, a);
		await Promise.resolve(); // the burst's one refresh
		const view = room.current.participants.find((p) => p.identity === 'site-26734');
		expect(view).toMatchObject({
			siteCode: '26734',
			handRaised: true,
			canPublishMicrophone: true,
			connectionQuality: 'good',
			isLocal: false
		});
		expect(room.current.participants.find((p) => p.isLocal)?.canPublishMicrophone).toBe(false);
	});

	it('answers a burst of participant events (one signalling message) with one state and one subscription pass', async () => {
		const { room, states } = setup();
		await room.connect(access);
		const before = states.length;
		const joined = Array.from({ length: 169 }, (_, i) => latest().add(`site-${26700 + i}`));
		for (const p of joined) latest().emit(livekit.RoomEvent.ConnectionQualityChanged, livekit.ConnectionQuality.Poor, p);
		expect(states.length).toBe(before); // nothing yet: the burst's task is still running
		await Promise.resolve();
		expect(states.length).toBe(before + 1);
		expect(room.current.participants).toHaveLength(170);
		expect(joined.every((p) => p.audio.isDesired)).toBe(true);
	});

	it('reports reconnecting, then connected again', async () => {
		const { room } = setup();
		await room.connect(access);
		latest().emit(livekit.RoomEvent.ConnectionStateChanged, livekit.ConnectionState.SignalReconnecting);
		expect(room.current.status).toBe('reconnecting');
		latest().emit(livekit.RoomEvent.ConnectionStateChanged, livekit.ConnectionState.Connected);
		expect(room.current.status).toBe('connected');
	});

	it.each([
		['unauthorized', () => livekit.ConnectionError.notAllowed('invalid token', 401)],
		['unreachable', () => livekit.ConnectionError.serverUnreachable('down')],
		['unreachable', () => livekit.ConnectionError.websocket('ws closed')],
		['unknown', () => new Error('boom')]
	] as const)('words a failed connection as %s', async (failure, makeError) => {
		connectBehaviour = async () => {
			throw makeError();
		};
		const { room } = setup();
		await room.connect(access);
		expect(room.current).toMatchObject({ status: 'failed', failure });
		connectBehaviour = async () => {};
	});

	it('reports a denied camera as a device problem and stays connected', async () => {
		const { room } = setup({ publishCamera: true });
		const denied = new DOMException('Permission denied', 'NotAllowedError');
		await room.connect(access);
		latest().localParticipant.setCameraEnabled.mockRejectedValueOnce(denied);
		await room.setCamera(true);
		expect(room.current).toMatchObject({ status: 'connected', deviceProblem: 'permissionDenied' });
	});

	it('captures the kiosk microphone while it waits, publishes that track on the grant, captures the next after the server closes it, and stops it on leave', async () => {
		capturedMicrophones.length = 0;
		const { room } = setup({ autoMicrophone: true, microphoneReady: true });
		await room.connect(access);
		const local = latest().localParticipant;
		await vi.waitFor(() => expect(capturedMicrophones).toHaveLength(1));
		expect(local.publishTrack).not.toHaveBeenCalled(); // captured, not sent: the server has not allowed it

		local.permissions = { canPublish: true, canPublishSources: [1, 2] };
		latest().emit(livekit.RoomEvent.ParticipantPermissionsChanged, undefined, local);
		latest().emit(livekit.RoomEvent.ParticipantPermissionsChanged, undefined, local); // a second event during the publication
		await vi.waitFor(() => expect(local.publishTrack).toHaveBeenCalledTimes(1));
		expect(local.publishTrack.mock.calls[0][0]).toBe(capturedMicrophones[0]);
		expect(local.setMicrophoneEnabled).not.toHaveBeenCalled();

		// the floor is taken back: the server unpublishes the microphone, livekit-client stops it
		local.microphoneOpen = false;
		latest().emit(livekit.RoomEvent.LocalTrackUnpublished, { source: livekit.Track.Source.Microphone }, local);
		await vi.waitFor(() => expect(capturedMicrophones).toHaveLength(2));

		await room.disconnect();
		await vi.waitFor(() => expect(capturedMicrophones[1].stop).toHaveBeenCalled());
	});

	it('a delegate opens the microphone only when granted: nothing is captured while waiting', async () => {
		capturedMicrophones.length = 0;
		const { room } = setup({ publishCamera: true, autoMicrophone: true });
		await room.connect(access);
		const local = latest().localParticipant;
		await new Promise((resolve) => setTimeout(resolve, 0));
		expect(capturedMicrophones).toHaveLength(0);
		local.permissions = { canPublish: true, canPublishSources: [1, 2] };
		latest().emit(livekit.RoomEvent.ParticipantPermissionsChanged, undefined, local);
		await vi.waitFor(() => expect(local.setMicrophoneEnabled).toHaveBeenCalledWith(true));
		expect(capturedMicrophones).toHaveLength(0);
	});
});
