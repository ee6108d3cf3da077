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
 * An init script for Playwright pages: notes when each remote audio track's first RTP packets arrive
 * (`window.__audioArrivals`, by the publishing participant's SID, which LiveKit puts first in the stream id
 * `PA_…|TR_…`), so a benchmark can tell when a new speaker's audio reaches this page. Each track event (a new track,
 * or a transceiver taken again for another) is watched every 20 ms until a report of its receiver counts more
 * packets than when it came, for at most 15 s. (No function is bound to a name here: tsx would wrap it in a helper
 * the page does not have.)
 */
export const NOTE_AUDIO_ARRIVALS = () => {
	const arrivals: { participantSid: string; at: number }[] = [];
	(window as unknown as { __audioArrivals: typeof arrivals }).__audioArrivals = arrivals;
	const stats = {
		packets(report: RTCStatsReport): Map<string, number> {
			const counts = new Map<string, number>();
			report.forEach((r: { type: string; id: string; packetsReceived?: number }) => {
				if (r.type === 'inbound-rtp') counts.set(r.id, r.packetsReceived ?? 0);
			});
			return counts;
		}
	};
	const Original = window.RTCPeerConnection;
	window.RTCPeerConnection = class extends Original {
		constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
			super(...args);
			this.addEventListener('track', (event) => {
				if (event.track.kind !== 'audio') return;
				const participantSid = (event.streams[0]?.id ?? '').split('|')[0];
				const since = Date.now();
				void event.receiver.getStats().then((first) => {
					const before = stats.packets(first);
					const timer = setInterval(() => {
						void event.receiver.getStats().then((report) => {
							if ([...stats.packets(report)].some(([id, count]) => count > (before.get(id) ?? 0))) {
								clearInterval(timer);
								arrivals.push({ participantSid, at: Date.now() });
							} else if (Date.now() - since > 15_000) clearInterval(timer);
						});
					}, 20);
				});
			});
		}
	};
};
