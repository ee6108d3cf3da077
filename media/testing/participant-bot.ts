/**
 * A real LiveKit participant in Node (@livekit/rtc-node: libwebrtc behind a native binding that ships inside the
 * npm package): joins with a token the app issued, publishes a synthetic camera and microphone, and counts what
 * it really receives from each other participant. Used by the integration tests and bench:conference.
 */
import {
	AudioFrame,
	AudioSource,
	AudioStream,
	LocalAudioTrack,
	LocalVideoTrack,
	Room,
	RoomEvent,
	TrackKind,
	TrackPublishOptions,
	TrackSource,
	VideoBufferType,
	VideoFrame,
	VideoSource,
	VideoStream,
	type LocalTrackPublication,
	type RemoteTrack
} from '@livekit/rtc-node';
import { FLOOR_ATTRIBUTE } from '../room-service';
import { stopNativeLogCapture } from './native-log-capture';

export interface CameraOptions {
	width: number;
	height: number;
	fps: number;
}

const SAMPLE_RATE = 48_000;
const AUDIO_FRAME_MS = 20;

export class ParticipantBot {
	readonly room = new Room();
	/** frames received per remote identity, by kind */
	readonly received = new Map<string, { video: number; audio: number }>();
	/** when this participant last saw each other one's microphone published, subscribed to it, and got its first frame */
	readonly microphoneSteps = new Map<string, { published?: number; subscribed?: number; firstFrame?: number }>();
	private readonly timers: NodeJS.Timeout[] = [];
	private readonly readers: ReadableStreamDefaultReader<unknown>[] = [];
	private microphone: { publication: LocalTrackPublication; timer: NodeJS.Timeout } | null = null;
	private openingMicrophone: Promise<unknown> | null = null;

	/**
	 * `receive`: every track (the default), only audio (a listener), or nothing (a site that only sends).
	 * `followFloor`: opens the microphone when the server gives this participant the floor and closes it when the
	 * floor is taken back, as the browser kiosk does on its permission event (rtc-node has none: the floor attribute
	 * set in the same update stands in for it).
	 */
	static async join(url: string, token: string, options: { receive?: 'all' | 'audio' | 'none'; followFloor?: boolean } = {}): Promise<ParticipantBot> {
		const bot = new ParticipantBot();
		const receive = options.receive ?? 'all';
		bot.room.on(RoomEvent.TrackSubscribed, (track, _publication, participant) => bot.count(track, participant.identity));
		if (options.followFloor) {
			bot.room.on(RoomEvent.ParticipantAttributesChanged, (changed, participant) => {
				if (participant !== bot.room.localParticipant || !(FLOOR_ATTRIBUTE in changed)) return;
				if (changed[FLOOR_ATTRIBUTE] === '1') {
					if (!bot.microphone && !bot.openingMicrophone) {
						bot.openingMicrophone = bot.publishMicrophone().then(
							() => (bot.openingMicrophone = null),
							() => (bot.openingMicrophone = null)
						);
					}
				} else void bot.closeMicrophone();
			});
		}
		bot.room.on(RoomEvent.TrackPublished, (publication, participant) => {
			if (publication.source === TrackSource.SOURCE_MICROPHONE) bot.microphoneSteps.set(participant.identity, { published: Date.now() });
			if (receive === 'audio' && publication.kind === TrackKind.KIND_AUDIO) publication.setSubscribed(true);
		});
		await bot.room.connect(url, token, { autoSubscribe: receive === 'all', dynacast: true });
		stopNativeLogCapture();
		if (receive === 'audio') {
			for (const participant of bot.room.remoteParticipants.values()) {
				for (const publication of participant.trackPublications.values()) if (publication.kind === TrackKind.KIND_AUDIO) publication.setSubscribed(true);
			}
		}
		return bot;
	}

	get identity(): string {
		return this.room.localParticipant?.identity ?? '';
	}

	videoFrom(identity: string): number {
		return this.received.get(identity)?.video ?? 0;
	}

	audioFrom(identity: string): number {
		return this.received.get(identity)?.audio ?? 0;
	}

	/** The microphone publication of another participant as this one sees it (null: none published). */
	microphoneOf(identity: string): { muted: boolean } | null {
		const participant = this.room.remoteParticipants.get(identity);
		for (const publication of participant?.trackPublications.values() ?? []) {
			if (publication.source === TrackSource.SOURCE_MICROPHONE) return { muted: publication.muted === true };
		}
		return null;
	}

	/** Whether another participant's microphone reaches this one now: published and not muted. */
	hears(identity: string): boolean {
		const microphone = this.microphoneOf(identity);
		return microphone !== null && !microphone.muted;
	}

	/**
	 * Tries to open the microphone: 'published', or 'refused' when the server refuses it. LiveKit does not answer a
	 * publication the participant has no permission for, so the client gives up after its own timeout (10 s), and
	 * until then the native library handles no other event of any room in this process: a test waits for it.
	 */
	async tryMicrophone(): Promise<'published' | 'refused'> {
		return this.publishMicrophone().then(
			() => 'published' as const,
			() => 'refused' as const
		);
	}

	/**
	 * A camera: a picture of random texture that slides a little every frame, so the encoder has real work and
	 * the bitrate is a camera's, not a still image's.
	 */
	async publishCamera({ width, height, fps }: CameraOptions): Promise<LocalTrackPublication> {
		const source = new VideoSource(width, height);
		const track = LocalVideoTrack.createVideoTrack('camera', source);
		const options = new TrackPublishOptions();
		options.source = TrackSource.SOURCE_CAMERA;
		options.simulcast = false;
		const publication = await this.room.localParticipant!.publishTrack(track, options);
		const size = width * height * 4;
		const texture = new Uint8Array(size * 2);
		for (let i = 0; i < texture.length; i++) texture[i] = (i & 3) === 3 ? 255 : Math.floor(Math.random() * 256);
		let tick = 0;
		this.timers.push(
			setInterval(() => {
				const offset = ((tick++ * width * 4) % size) & ~3; // one row further each frame
				source.captureFrame(new VideoFrame(texture.slice(offset, offset + size), width, height, VideoBufferType.RGBA));
			}, 1000 / fps)
		);
		return publication;
	}

	/** A 440 Hz tone. Rejects when the server does not let this participant publish a microphone. */
	async publishMicrophone(): Promise<LocalTrackPublication> {
		const source = new AudioSource(SAMPLE_RATE, 1);
		const track = LocalAudioTrack.createAudioTrack('microphone', source);
		const options = new TrackPublishOptions();
		options.source = TrackSource.SOURCE_MICROPHONE;
		const samples = (SAMPLE_RATE * AUDIO_FRAME_MS) / 1000;
		let phase = 0;
		const timer = setInterval(() => {
			const data = new Int16Array(samples);
			for (let i = 0; i < samples; i++) data[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * phase++) / SAMPLE_RATE));
			void source.captureFrame(new AudioFrame(data, SAMPLE_RATE, 1, samples)).catch(() => {});
		}, AUDIO_FRAME_MS);
		try {
			const publication = await this.room.localParticipant!.publishTrack(track, options);
			this.microphone = { publication, timer };
			return publication;
		} catch (error) {
			clearInterval(timer);
			await source.close().catch(() => {});
			throw error;
		}
	}

	/** Stops sending the microphone (the server may have closed it already, when the floor was taken back). */
	async closeMicrophone(): Promise<void> {
		const microphone = this.microphone;
		this.microphone = null;
		if (!microphone) return;
		clearInterval(microphone.timer);
		await this.room.localParticipant?.unpublishTrack(microphone.publication.sid!).catch(() => {});
	}

	async leave(): Promise<void> {
		for (const timer of this.timers) clearInterval(timer);
		if (this.microphone) clearInterval(this.microphone.timer);
		for (const reader of this.readers) void reader.cancel().catch(() => {});
		await this.room.disconnect();
	}

	private count(track: RemoteTrack, identity: string): void {
		const entry = this.received.get(identity) ?? { video: 0, audio: 0 };
		this.received.set(identity, entry);
		const stream = track.kind === TrackKind.KIND_VIDEO ? new VideoStream(track) : new AudioStream(track);
		const kind = track.kind === TrackKind.KIND_VIDEO ? 'video' : 'audio';
		const steps = kind === 'audio' ? this.microphoneSteps.get(identity) : undefined;
		if (steps) steps.subscribed = Date.now();
		const reader = (stream as ReadableStream<unknown>).getReader();
		this.readers.push(reader);
		void (async () => {
			try {
				while (!(await reader.read()).done) {
					if (steps) steps.firstFrame ??= Date.now();
					entry[kind]++;
				}
			} catch {
				// the track ended
			}
		})();
	}
}
