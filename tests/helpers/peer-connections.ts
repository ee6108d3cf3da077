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
