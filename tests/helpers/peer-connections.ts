/**
 * An init script for Playwright pages: keeps every RTCPeerConnection the page makes in
 * `window.__peerConnections`, so a test or benchmark can read its getStats() as webrtc-internals would.
 */
export const KEEP_PEER_CONNECTIONS = () => {
	const Original = window.RTCPeerConnection;
	const kept: RTCPeerConnection[] = [];
	(window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections = kept;
	window.RTCPeerConnection = class extends Original {
		constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
			super(...args);
			kept.push(this);
		}
	};
};

/**
 * An init script for Playwright pages: counts the video tracks taken off the page's media elements
 * (`window.__videoDetaches`). livekit-client detaches a track by removing it from the element's MediaStream, so a
 * tile that re-attaches its camera on every room change shows here.
 */
export const COUNT_VIDEO_DETACHES = () => {
	const counter = window as unknown as { __videoDetaches: number };
	counter.__videoDetaches = 0;
	const removeTrack = MediaStream.prototype.removeTrack;
	MediaStream.prototype.removeTrack = function (track: MediaStreamTrack) {
		if (track.kind === 'video') counter.__videoDetaches++;
		return removeTrack.call(this, track);
	};
};

/**
 * An init script for Playwright pages: notes what the page hears of each remote audio track (`window.__sounds`: the
 * publishing participant's SID, which LiveKit puts first in the stream id `PA_…|TR_…`; the first and the last sound
 * heard, epoch ms), so a benchmark can tell when a new speaker's voice reaches this page and when the previous one's
 * stops. Each track event gets an analyser on the track, read every 10 ms. The analyser keeps the last 32768 samples
 * (0.68 s), so a sound is dated from its place in them, not from when a busy page got round to reading. A track is
 * followed until it is muted or ends, or its receiver takes another track. (No function is bound to a name here: tsx
 * would wrap it in a helper the page does not have.)
 */
export const NOTE_SOUNDS = () => {
	const sounds: { participantSid: string; first: number | null; last: number | null; followed: boolean }[] = [];
	(window as unknown as { __sounds: typeof sounds }).__sounds = sounds;
	const audio: { context: AudioContext | null } = { context: null };
	const byReceiver = new WeakMap<RTCRtpReceiver, (typeof sounds)[number]>();
	const Original = window.RTCPeerConnection;
	window.RTCPeerConnection = class extends Original {
		constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
			super(...args);
			this.addEventListener('track', (event) => {
				if (event.track.kind !== 'audio') return;
				const before = byReceiver.get(event.receiver);
				if (before) before.followed = false;
				const sound = { participantSid: (event.streams[0]?.id ?? '').split('|')[0], first: null as number | null, last: null as number | null, followed: true };
				sounds.push(sound);
				byReceiver.set(event.receiver, sound);
				event.track.addEventListener('mute', () => (sound.followed = false));
				const context = (audio.context ??= new AudioContext());
				const analyser = context.createAnalyser();
				analyser.fftSize = 32768;
				context.createMediaStreamSource(new MediaStream([event.track])).connect(analyser);
				const samples = new Float32Array(analyser.fftSize);
				const timer = setInterval(() => {
					if (!sound.followed || event.track.readyState === 'ended') {
						sound.followed = false;
						return clearInterval(timer);
					}
					analyser.getFloatTimeDomainData(samples);
					const first = samples.findIndex((sample) => Math.abs(sample) > 0.02);
					if (first < 0) return;
					const last = samples.findLastIndex((sample) => Math.abs(sample) > 0.02);
					const now = Date.now();
					sound.first ??= Math.round(now - ((samples.length - first) / context.sampleRate) * 1000);
					sound.last = Math.round(now - ((samples.length - last) / context.sampleRate) * 1000);
				}, 10);
			});
		}
	};
};

/**
 * An init script for Playwright pages: notes each offer/answer step of the page's peer connections
 * (`window.__negotiationSteps`: which step, when it started and ended, epoch ms), so a benchmark can tell how much
 * of a renegotiation was the browser's own work.
 */
export const NOTE_NEGOTIATION_STEPS = () => {
	const steps: { what: string; start: number; end: number }[] = [];
	(window as unknown as { __negotiationSteps: typeof steps }).__negotiationSteps = steps;
	const proto = RTCPeerConnection.prototype as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
	for (const method of ['createOffer', 'createAnswer', 'setLocalDescription', 'setRemoteDescription']) {
		const original = proto[method];
		proto[method] = function (this: RTCPeerConnection, ...args: unknown[]) {
			const start = Date.now();
			const type = (args[0] as { type?: string } | undefined)?.type;
			const result = original.apply(this, args);
			void Promise.resolve(result)
				.finally(() => steps.push({ what: type ? `${method} ${type}` : method, start, end: Date.now() }))
				.catch(() => {});
			return result;
		};
	}
};
