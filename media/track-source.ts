import { TrackSource } from 'livekit-server-sdk';

// LiveKit's protobuf enum → the names the app and the UI use (livekit-client uses the same strings).
export type TrackSourceName = 'camera' | 'microphone' | 'screen_share' | 'screen_share_audio' | 'unknown';

export function sourceName(source: TrackSource): TrackSourceName {
	switch (source) {
		case TrackSource.CAMERA:
			return 'camera';
		case TrackSource.MICROPHONE:
			return 'microphone';
		case TrackSource.SCREEN_SHARE:
			return 'screen_share';
		case TrackSource.SCREEN_SHARE_AUDIO:
			return 'screen_share_audio';
		default:
			return 'unknown';
	}
}
