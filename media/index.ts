// Server-only entry point ($media). Never import this from browser code: it pulls in
// livekit-server-sdk and handles the API secret. The browser side lives in app/lib/video.
export { readMediaConfig, websocketUrl, httpUrl, browserConnectSources, type MediaConfig, type EnabledMediaConfig } from './config';
export { MediaError, isMediaError, type MediaErrorCode } from './errors';
export { grantsFor, permissionFor, MEDIA_ROLES, type MediaRole, type FloorState, type RoleGrant } from './grants';
export { roomName, parseRoomName, siteIdentity, parseSiteIdentity, type RoomKind } from './rooms';
export {
	issueToken,
	DEFAULT_TOKEN_TTL_SECONDS,
	MAX_TOKEN_TTL_SECONDS,
	type TokenRequest,
	type IssuedToken
} from './tokens';
export {
	MediaRoomService,
	toMediaError,
	HAND_RAISED_ATTRIBUTE,
	FLOOR_ATTRIBUTE,
	DEFAULT_TIMEOUT_MS,
	type MediaParticipant,
	type FloorChange,
	type RoomServiceOptions
} from './room-service';
export {
	createWebhookHandler,
	MAX_EVENT_AGE_SECONDS,
	type MediaEvent,
	type WebhookResult,
	type WebhookRejection,
	type WebhookOptions,
	type WebhookHandler
} from './webhook';
export { ReplayCache } from './replay-cache';
export type { TrackSourceName } from './track-source';
