export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'offline';

/**
 * The subscription callbacks that keep a live screen's connection indicator right, shared by every screen with
 * one tRPC subscription: "reconnecting" only after it has been live once, "offline" when the link gives up.
 */
export function connectionTracker(set: (state: ConnectionState) => void) {
	let everConnected = false;
	return {
		onStarted: () => {
			everConnected = true;
			set('live');
		},
		onConnectionStateChange: (s: { state: 'idle' | 'connecting' | 'pending' }) => {
			if (s.state === 'pending') {
				everConnected = true;
				set('live');
			} else if (s.state === 'connecting') set(everConnected ? 'reconnecting' : 'connecting');
			else set('offline');
		},
		onError: () => set('offline')
	};
}
