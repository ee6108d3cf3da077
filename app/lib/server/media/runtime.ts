import { MediaRoomService, isMediaError, readMediaConfig, type MediaConfig } from '../../../../media/index';
import { AppError } from '../errors';
import { log } from '../log';

// The app's view of LiveKit: configuration read from the environment (so tests and operators can change it
// without a rebuild), one room-service client per configuration, and the mapping of media failures to
// messages a person can read. Video is optional: nothing here may break a sitting or a vote.

let read: { env: string; config: MediaConfig } | null = null;
let cached: { key: string; service: MediaRoomService } | null = null;

/** The configuration, parsed again only when the LIVEKIT_* variables change (every page asks, for its CSP). */
export function mediaConfig(): MediaConfig {
	const env = ['LIVEKIT_URL', 'LIVEKIT_API_KEY', 'LIVEKIT_API_SECRET', 'LIVEKIT_API_URL'].map((key) => process.env[key] ?? '').join('\n');
	if (read?.env === env) return read.config;
	const config = readMediaConfig(process.env);
	if (!config.enabled && config.problems?.length) log.warn('video disabled: LiveKit configuration refused', { problems: config.problems });
	read = { env, config };
	return config;
}

/** The room service for the current configuration; null when video is not configured. */
export function mediaRooms(): MediaRoomService | null {
	const config = mediaConfig();
	if (!config.enabled) return null;
	const key = `${config.apiUrl ?? config.url}\n${config.apiKey}\n${config.apiSecret}`;
	if (cached?.key !== key) cached = { key, service: new MediaRoomService(config) };
	return cached.service;
}

/** The room service, or the readable "video is not configured" refusal. */
export function requireMediaRooms(): MediaRoomService {
	const rooms = mediaRooms();
	if (!rooms) throw new AppError('PRECONDITION_FAILED', 'media.disabled');
	return rooms;
}

/** A media failure as the caller's message (Vietnamese by default); anything else is rethrown unchanged. */
export function asAppError(error: unknown): unknown {
	if (!isMediaError(error)) return error;
	switch (error.code) {
		case 'NOT_CONFIGURED':
			return new AppError('PRECONDITION_FAILED', 'media.disabled', undefined, error);
		case 'NOT_FOUND':
			return new AppError('NOT_FOUND', 'media.error.NOT_FOUND', undefined, error);
		case 'INVALID_ARGUMENT':
			return new AppError('BAD_REQUEST', 'media.error.INVALID_ARGUMENT', undefined, error);
		case 'UNREACHABLE':
			return new AppError('SERVICE_UNAVAILABLE', 'media.error.UNREACHABLE', undefined, error);
		default:
			return new AppError('BAD_GATEWAY', `media.error.${error.code}`, undefined, error);
	}
}

/** Runs a LiveKit call for a procedure: media failures become readable errors. */
export async function mediaCall<T>(fn: () => Promise<T>): Promise<T> {
	try {
		return await fn();
	} catch (error) {
		throw asAppError(error);
	}
}
