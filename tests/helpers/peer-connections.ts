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
