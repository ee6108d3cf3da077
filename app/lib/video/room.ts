// Browser-side wrapper around a LiveKit room.
// - livekit-client is loaded with a dynamic import only when a video panel actually connects,
//   so the delegate's voting screen does not pay for it (type-only imports are erased).
// - State is exposed through the Svelte store contract (subscribe) plus `current`; components
//   read it with `fromStore(room)` from 'svelte/store' and get fine-grained reactivity.
// - Remote video is subscribed only for tiles on screen (setVisible); audio is always
//   subscribed, because the speaker must be heard even when their tile is on another page.
import type {
	LocalAudioTrack,
	LocalParticipant,
	Participant,
	RemoteParticipant,
	RemoteTrackPublication,
	Room,
	RoomOptions,
	TrackPublication
} from 'livekit-client';
import { handRaisedFrom, siteCodeOf, videoQualityFor, type ConnectionQualityName, type ParticipantView } from './participants';

type LiveKit = typeof import('livekit-client');

export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'disconnected' | 'failed';
/** Why the room is not usable; each has a clear Vietnamese message (messages.ts video.failure.*). */
export type VideoFailure = 'notConfigured' | 'unreachable' | 'unauthorized' | 'unknown';
/** Local camera/microphone problems: the room still works (watching, listening). */
export type DeviceProblem = 'permissionDenied' | 'notFound' | 'inUse' | 'other';

export interface VideoRoomState {
	status: ConnectionStatus;
	failure: VideoFailure | null;
	deviceProblem: DeviceProblem | null;
	participants: ParticipantView[];
	/** floor holder set by the app, else LiveKit's loudest active speaker */
	speakerIdentity: string | null;
	audioOnly: boolean;
	/** false when the browser blocked autoplay: show a "click to enable sound" button */
	canPlaybackAudio: boolean;
	localIdentity: string | null;
}

/** What the server's token endpoint returns; null when video is not configured. */
export interface VideoAccess {
	url: string;
	token: string;
}

export interface VideoRoomOptions {
	chairIdentity?: string | null;
	/** publish the camera after joining (delegates, sites, chair) */
	publishCamera?: boolean;
	/** open the microphone automatically whenever the server allows it (a delegate or a site kiosk on the floor) */
	autoMicrophone?: boolean;
	/**
	 * with autoMicrophone: capture the microphone while waiting for the floor (see readyMicrophone). For the ward
	 * site's kiosk, a device of the hall where the city conference's handover time counts; a delegate's own phone
	 * would show its microphone in use all sitting long, so it opens the microphone when granted.
	 */
	microphoneReady?: boolean;
	/** for tests / alternative bundles */
	loadLiveKit?: () => Promise<LiveKit>;
}

const INITIAL: VideoRoomState = {
	status: 'idle',
	failure: null,
	deviceProblem: null,
	participants: [],
	speakerIdentity: null,
	audioOnly: false,
	canPlaybackAudio: true,
	localIdentity: null
};

export class VideoRoom {
	private state: VideoRoomState = INITIAL;
	private readonly listeners = new Set<(state: VideoRoomState) => void>();
	private lk: LiveKit | null = null;
	private room: Room | null = null;
	private visible = new Set<string>();
	private floorHolder: string | null = null;
	private leaving = false;
	private refreshQueued = false;
	private pendingSubscriptions = false;
	/**
	 * A kiosk's microphone (microphoneReady), captured while it waits for the floor and published when the server
	 * grants it: the device's start-up and livekit-client's preparation of the track are then off the handover's
	 * path. Nothing leaves the kiosk until the server allows the publication.
	 */
	private readyMicrophone: Promise<LocalAudioTrack | null> | null = null;
	private microphoneSync: Promise<void> = Promise.resolve();
	private readonly options: VideoRoomOptions;

	constructor(options: VideoRoomOptions = {}) {
		this.options = options;
	}

	// ── store contract ──────────────────────────────────────────────────────────────────────
	subscribe(listener: (state: VideoRoomState) => void): () => void {
		this.listeners.add(listener);
		listener(this.state);
		return () => this.listeners.delete(listener);
	}

	get current(): VideoRoomState {
		return this.state;
	}

	private set(patch: Partial<VideoRoomState>): void {
		this.state = { ...this.state, ...patch };
		for (const listener of this.listeners) listener(this.state);
	}

	// ── lifecycle ───────────────────────────────────────────────────────────────────────────
	/** Join the room. `access` null means the server has no LiveKit configuration. */
	async connect(access: VideoAccess | null): Promise<void> {
		if (!access) return this.set({ ...INITIAL, status: 'failed', failure: 'notConfigured' });
		await this.disconnect();
		this.leaving = false;
		this.set({ ...INITIAL, status: 'connecting', audioOnly: this.state.audioOnly });
		let lk: LiveKit;
		try {
			lk = this.lk ??= await (this.options.loadLiveKit ?? (() => import('livekit-client')))();
		} catch {
			return this.set({ status: 'failed', failure: 'unreachable' }); // chunk failed to load (offline)
		}
		const room = new lk.Room(roomOptions(lk));
		this.room = room;
		this.wire(lk, room);
		try {
			// autoSubscribe off: we choose what to receive (visible video + all audio).
			await room.connect(access.url, access.token, { autoSubscribe: false });
		} catch (error) {
			if (this.room !== room) return; // superseded by a newer connect/disconnect
			this.room = null;
			return this.set({ status: 'failed', failure: classifyConnectError(lk, error) });
		}
		this.set({ localIdentity: room.localParticipant.identity, canPlaybackAudio: room.canPlaybackAudio });
		this.applySubscriptions();
		if (this.options.publishCamera && !this.state.audioOnly) await this.setCamera(true);
		this.prepareMicrophone();
		await this.syncMicrophone();
		this.refresh();
	}

	/** Show a failure found outside LiveKit (e.g. the token request to our server failed). */
	fail(failure: VideoFailure): void {
		this.set({ status: 'failed', failure });
	}

	async disconnect(): Promise<void> {
		const room = this.room;
		this.room = null;
		this.leaving = true;
		this.releaseMicrophone();
		if (room) await room.disconnect();
		this.set({ status: 'disconnected', participants: [] });
	}

	// ── app-driven focus and visibility ─────────────────────────────────────────────────────
	/** The floor holder (from the sitting's floor control); null falls back to active speaker. */
	// Both setters are no-ops when nothing changes: components call them from $effect, and a
	// state emission for an unchanged input would re-trigger the effect in a loop.
	setSpeaker(identity: string | null): void {
		if (identity === this.floorHolder) return;
		this.floorHolder = identity;
		this.applySubscriptions();
		this.refresh();
	}

	/** Identities whose tiles are on screen now; only their video is received. */
	setVisible(identities: Iterable<string>): void {
		const next = new Set(identities);
		if (next.size === this.visible.size && [...next].every((id) => this.visible.has(id))) return;
		this.visible = next;
		// No refresh here: (un)subscription events refresh the state when they land.
		this.applySubscriptions();
	}

	/** Attach a participant's camera track to a <video>; returns the detach function. */
	attachVideo(identity: string, element: HTMLVideoElement): () => void {
		if (!this.lk) return () => {};
		const track = this.participantByIdentity(identity)?.getTrackPublication(this.lk.Track.Source.Camera)?.track;
		if (!track) return () => {};
		track.attach(element);
		return () => void track.detach(element);
	}

	// ── local media ─────────────────────────────────────────────────────────────────────────
	async setCamera(enabled: boolean): Promise<void> {
		await this.localMedia((local) => local.setCameraEnabled(enabled));
	}

	async setMicrophone(enabled: boolean): Promise<void> {
		await this.localMedia((local) => local.setMicrophoneEnabled(enabled));
	}

	/** Audio-only fallback for weak links: stop sending and receiving video. */
	async setAudioOnly(audioOnly: boolean): Promise<void> {
		this.set({ audioOnly });
		this.applySubscriptions();
		if (this.options.publishCamera) await this.setCamera(!audioOnly);
		this.refresh();
	}

	async listDevices(kind: 'videoinput' | 'audioinput'): Promise<{ deviceId: string; label: string }[]> {
		const lk = this.lk ?? (await (this.options.loadLiveKit ?? (() => import('livekit-client')))());
		try {
			const devices = await lk.Room.getLocalDevices(kind);
			return devices.map((d) => ({ deviceId: d.deviceId, label: d.label }));
		} catch (error) {
			this.set({ deviceProblem: classifyDeviceError(lk, error) });
			return [];
		}
	}

	async selectDevice(kind: 'videoinput' | 'audioinput', deviceId: string): Promise<void> {
		if (!this.room) return;
		try {
			await this.room.switchActiveDevice(kind, deviceId);
			if (kind === 'audioinput') await (await this.readyMicrophone)?.setDeviceId(deviceId);
		} catch (error) {
			this.set({ deviceProblem: classifyDeviceError(this.lk!, error) });
		}
	}

	/** Must run from a click: browsers block audio autoplay until the user interacts. */
	async startAudio(): Promise<void> {
		await this.room?.startAudio();
		this.set({ canPlaybackAudio: this.room?.canPlaybackAudio ?? true });
	}

	// ── internals ───────────────────────────────────────────────────────────────────────────
	private wire(lk: LiveKit, room: Room): void {
		const E = lk.RoomEvent;
		const refresh = () => this.room === room && this.scheduleRefresh();
		const resubscribe = () => this.room === room && this.scheduleRefresh({ subscriptions: true });
		room.on(E.ConnectionStateChanged, (state) => {
			if (this.room !== room) return;
			const S = lk.ConnectionState;
			if (state === S.Connected) this.set({ status: 'connected', failure: null });
			else if (state === S.Connecting) this.set({ status: 'connecting' });
			else if (state === S.Reconnecting || state === S.SignalReconnecting) this.set({ status: 'reconnecting' });
			else if (state === S.Disconnected && !this.leaving && this.state.status !== 'failed') this.set({ status: 'disconnected' });
		});
		// Remote audio plays through detached <audio> elements, independent of which tiles are shown.
		room.on(E.TrackSubscribed, (track) => {
			if (track.kind === lk.Track.Kind.Audio) document.body.appendChild(track.attach());
		});
		room.on(E.TrackUnsubscribed, (track) => {
			if (track.kind === lk.Track.Kind.Audio) for (const element of track.detach()) element.remove();
		});
		room.on(E.LocalTrackUnpublished, (publication) => {
			// The server closed the microphone (floor taken back) and livekit-client stopped it: capture the next one.
			if (publication.source !== lk.Track.Source.Microphone || this.room !== room) return;
			this.prepareMicrophone();
			stopUnusedSenders(room);
		});
		room.on(E.Disconnected, () => {
			if (this.room === room) this.releaseMicrophone();
			for (const participant of room.remoteParticipants.values()) {
				for (const publication of participant.audioTrackPublications.values()) {
					for (const element of publication.track?.detach() ?? []) element.remove();
				}
			}
		});
		room.on(E.TrackPublished, resubscribe);
		room.on(E.ParticipantConnected, resubscribe);
		room.on(E.ActiveSpeakersChanged, resubscribe); // speaker changed → its quality goes up
		room.on(E.ParticipantPermissionsChanged, (_prev, participant) => {
			if (participant.isLocal) void this.syncMicrophone();
			refresh();
		});
		room.on(E.AudioPlaybackStatusChanged, () => this.set({ canPlaybackAudio: room.canPlaybackAudio }));
		room.on(E.MediaDevicesError, (error) => this.set({ deviceProblem: classifyDeviceError(lk, error) }));
		for (const event of [
			E.ParticipantDisconnected,
			E.TrackUnpublished,
			E.TrackSubscribed,
			E.TrackUnsubscribed,
			E.TrackMuted,
			E.TrackUnmuted,
			E.LocalTrackPublished,
			E.LocalTrackUnpublished,
			E.ConnectionQualityChanged,
			E.ParticipantAttributesChanged,
			E.ParticipantMetadataChanged,
			E.ParticipantNameChanged
		] as const) {
			room.on(event, refresh);
		}
	}

	/**
	 * Open the microphone when the server grants it (floor given), close it when revoked. One change at a time: a
	 * second permission event during a publication must see its result, not publish a second microphone.
	 */
	private syncMicrophone(): Promise<void> {
		this.microphoneSync = this.microphoneSync.then(() => this.followMicrophonePermission());
		return this.microphoneSync;
	}

	private async followMicrophonePermission(): Promise<void> {
		const room = this.room;
		if (!room || !this.options.autoMicrophone) return;
		const allowed = canPublishMicrophone(this.lk!, room.localParticipant);
		if (allowed === room.localParticipant.isMicrophoneEnabled) return;
		const ready = allowed ? await this.takeReadyMicrophone() : null;
		if (this.room !== room) return ready?.stop();
		if (ready) await this.localMedia((local) => local.publishTrack(ready));
		else await this.setMicrophone(allowed);
	}

	/** Capture the kiosk's microphone ahead of the floor (see readyMicrophone); a failure shows as a device problem. */
	private prepareMicrophone(): void {
		const lk = this.lk;
		if (!this.options.autoMicrophone || !this.options.microphoneReady || !lk || this.readyMicrophone) return;
		this.readyMicrophone = lk.createLocalAudioTrack().catch((error: unknown) => {
			this.set({ deviceProblem: classifyDeviceError(lk, error) });
			return null;
		});
	}

	/** The captured microphone, handed over once (null when none could be captured: setMicrophone tries again). */
	private async takeReadyMicrophone(): Promise<LocalAudioTrack | null> {
		const ready = this.readyMicrophone;
		this.readyMicrophone = null;
		return (await ready) ?? null;
	}

	private releaseMicrophone(): void {
		void this.takeReadyMicrophone().then((track) => track?.stop());
	}

	private async localMedia(action: (local: LocalParticipant) => Promise<unknown>): Promise<void> {
		const room = this.room;
		if (!room) return;
		try {
			await action(room.localParticipant);
			this.set({ deviceProblem: null });
		} catch (error) {
			this.set({ deviceProblem: classifyDeviceError(this.lk!, error) });
		}
		this.refresh();
	}

	private speaker(): string | null {
		if (this.floorHolder) return this.floorHolder;
		const loudest = this.room?.activeSpeakers.find((p) => !p.isLocal);
		return loudest?.identity ?? null;
	}

	/** Apply the receive policy to every remote publication (idempotent). */
	private applySubscriptions(): void {
		const room = this.room;
		const lk = this.lk;
		if (!room || !lk) return;
		const focus = { chairIdentity: this.options.chairIdentity, speakerIdentity: this.speaker() };
		for (const participant of room.remoteParticipants.values()) {
			for (const publication of participant.trackPublications.values()) {
				this.applyTo(lk, participant, publication, focus);
			}
		}
	}

	private applyTo(
		lk: LiveKit,
		participant: RemoteParticipant,
		publication: RemoteTrackPublication,
		focus: { chairIdentity?: string | null; speakerIdentity: string | null }
	): void {
		if (publication.kind === lk.Track.Kind.Audio) {
			if (!publication.isDesired) publication.setSubscribed(true);
			return;
		}
		const wanted = !this.state.audioOnly && this.visible.has(participant.identity);
		if (publication.isDesired !== wanted) publication.setSubscribed(wanted);
		if (wanted) {
			const quality = videoQualityFor(participant.identity, focus);
			publication.setVideoQuality(quality === 'high' ? lk.VideoQuality.HIGH : lk.VideoQuality.LOW);
		}
	}

	private participantByIdentity(identity: string): Participant | undefined {
		const room = this.room;
		if (!room) return undefined;
		if (room.localParticipant.identity === identity) return room.localParticipant;
		return room.remoteParticipants.get(identity);
	}

	/**
	 * LiveKit announces a room change participant by participant: one signalling message (a connection-quality
	 * update, the room's list at join) fires an event for each of up to 169 participants, and each event used to
	 * rebuild every view and walk every publication. The events of one burst now share one pass, run once the
	 * burst's task is done.
	 */
	private scheduleRefresh(options: { subscriptions?: boolean } = {}): void {
		this.pendingSubscriptions ||= options.subscriptions === true;
		if (this.refreshQueued) return;
		this.refreshQueued = true;
		queueMicrotask(() => {
			this.refreshQueued = false;
			if (this.pendingSubscriptions) this.applySubscriptions();
			this.pendingSubscriptions = false;
			this.refresh();
		});
	}

	private refresh(): void {
		const room = this.room;
		const lk = this.lk;
		if (!room || !lk) return;
		const all: Participant[] = [room.localParticipant, ...room.remoteParticipants.values()];
		this.set({ participants: all.map((p) => toView(lk, p)), speakerIdentity: this.speaker() });
	}
}

/**
 * Stop the sending connection's transceivers left without a track. livekit-client gives every publication a new
 * transceiver and leaves the old one in place, inactive, so a kiosk that got the floor fifty times renegotiated
 * fifty dead microphone sections at each handover; a stopped one is dropped, and its section taken by the next.
 * (The connection is livekit-client's own: `engine.pcManager` is not part of its documented interface, hence the
 * optional chaining; tests/e2e/video.spec.ts checks the sections after three floors.)
 */
function stopUnusedSenders(room: Room): void {
	for (const transceiver of room.engine?.pcManager?.publisher.getTransceivers() ?? []) {
		if (transceiver.sender.track === null && transceiver.direction === 'inactive') transceiver.stop();
	}
}

function roomOptions(lk: LiveKit): Partial<RoomOptions> {
	return {
		// Receive only the resolution a tile needs, and pause hidden tiles.
		adaptiveStream: true,
		// Publishers stop encoding layers nobody watches (most sites watch thumbnails).
		dynacast: true,
		// One connection to send and one to receive (livekit-client's default is one for both). On one connection a
		// site's new microphone waits its turn behind the renegotiations of what it receives, and in a room of 169
		// those never stop for long; the floor handover is the one thing here that must not wait (bench:conference).
		singlePeerConnection: false,
		publishDefaults: {
			simulcast: true,
			videoSimulcastLayers: [lk.VideoPresets.h180, lk.VideoPresets.h360],
			// The floor holder's voice must survive weak ward links.
			red: true,
			dtx: true
		},
		videoCaptureDefaults: { resolution: lk.VideoPresets.h720.resolution }
	};
}

function toView(lk: LiveKit, p: Participant): ParticipantView {
	const camera: TrackPublication | undefined = p.getTrackPublication(lk.Track.Source.Camera);
	return {
		identity: p.identity,
		name: p.name || p.identity,
		isLocal: p.isLocal,
		siteCode: siteCodeOf(p.identity),
		isSpeaking: p.isSpeaking,
		connectionQuality: qualityName(p.connectionQuality),
		micOn: p.isMicrophoneEnabled,
		cameraOn: p.isCameraEnabled,
		handRaised: handRaisedFrom(p.attributes, p.metadata),
		cameraTrackSid: camera?.track && !camera.isMuted ? camera.trackSid : null,
		canPublishMicrophone: canPublishMicrophone(lk, p)
	};
}

function canPublishMicrophone(lk: LiveKit, p: Participant): boolean {
	const permission = p.permissions;
	if (!permission?.canPublish) return false;
	const sources = permission.canPublishSources;
	// Protobuf TrackSource.MICROPHONE; an empty list means "all sources allowed".
	return sources.length === 0 || sources.includes(lk.Track.sourceToProto(lk.Track.Source.Microphone));
}

function qualityName(quality: string): ConnectionQualityName {
	return quality === 'excellent' || quality === 'good' || quality === 'poor' || quality === 'lost' ? quality : 'unknown';
}

function classifyConnectError(lk: LiveKit, error: unknown): VideoFailure {
	if (error instanceof lk.ConnectionError) {
		const R = lk.ConnectionErrorReason;
		if (error.reason === R.NotAllowed) return 'unauthorized';
		if (
			error.reason === R.ServerUnreachable ||
			error.reason === R.WebSocket ||
			error.reason === R.Timeout ||
			error.reason === R.ServiceNotFound
		) {
			return 'unreachable';
		}
	}
	return 'unknown';
}

function classifyDeviceError(lk: LiveKit, error: unknown): DeviceProblem {
	const failure = lk.MediaDeviceFailure.getFailure(error);
	if (failure === lk.MediaDeviceFailure.PermissionDenied) return 'permissionDenied';
	if (failure === lk.MediaDeviceFailure.NotFound) return 'notFound';
	if (failure === lk.MediaDeviceFailure.DeviceInUse) return 'inUse';
	return 'other';
}
