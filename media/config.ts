import { z } from 'zod';

// Video is optional: with no LIVEKIT_* variables the app runs without it and the video panels
// say "video is not configured". A half-filled configuration is treated the same way (disabled)
// but reports what is wrong, so the lead can log it at start-up instead of crashing the server.
export type MediaConfig =
	| { enabled: false; problems?: string[] }
	| { enabled: true; url: string; apiKey: string; apiSecret: string; /** server-side API URL when it differs (LIVEKIT_API_URL) */ apiUrl?: string };
export type EnabledMediaConfig = Extract<MediaConfig, { enabled: true }>;

const nonEmpty = (name: string) =>
	z
		.string({ error: `${name} is required when video is configured` })
		.trim()
		.min(1, `${name} must not be empty`);

/**
 * LiveKit's join tokens are HS256 JWTs signed with the API secret, and every delegate's browser receives one: a
 * short secret can be found offline from any of them, and with it tokens and webhooks forged. 32 characters is
 * what `openssl rand -base64 32` gives (and LiveKit's own minimum for generated keys).
 */
export const MIN_LIVEKIT_SECRET_LENGTH = 32;
export const WEAK_SECRET_PROBLEM = `LIVEKIT_API_SECRET quá ngắn (cần ít nhất ${MIN_LIVEKIT_SECRET_LENGTH} ký tự): khóa ngắn có thể bị dò ra từ mã truy cập cấp cho đại biểu. Truyền hình trực tuyến bị tắt cho đến khi đặt khóa đủ dài (ví dụ: openssl rand -base64 32) ở cả ứng dụng và máy chủ LiveKit.`;

const schema = z.object({
	LIVEKIT_URL: nonEmpty('LIVEKIT_URL').refine((value) => {
		try {
			return ['ws:', 'wss:', 'http:', 'https:'].includes(new URL(value).protocol);
		} catch {
			return false;
		}
	}, 'LIVEKIT_URL must be a ws://, wss://, http:// or https:// URL'),
	LIVEKIT_API_KEY: nonEmpty('LIVEKIT_API_KEY'),
	LIVEKIT_API_SECRET: nonEmpty('LIVEKIT_API_SECRET').refine((value) => value.length === 0 || value.length >= MIN_LIVEKIT_SECRET_LENGTH, WEAK_SECRET_PROBLEM)
});

const KEYS = ['LIVEKIT_URL', 'LIVEKIT_API_KEY', 'LIVEKIT_API_SECRET'] as const;

// The browser's URL is public (wss://video.example); the server may reach LiveKit on a private address.
const apiUrlSchema = z
	.string()
	.trim()
	.refine((value) => {
		try {
			return ['ws:', 'wss:', 'http:', 'https:'].includes(new URL(value).protocol);
		} catch {
			return false;
		}
	}, 'LIVEKIT_API_URL must be a ws://, wss://, http:// or https:// URL');

export function readMediaConfig(env: Record<string, string | undefined> = process.env): MediaConfig {
	const present = KEYS.filter((key) => (env[key] ?? '').trim() !== '');
	if (present.length === 0) return { enabled: false };
	const parsed = schema.safeParse(Object.fromEntries(KEYS.map((key) => [key, env[key]])));
	if (!parsed.success) {
		return { enabled: false, problems: parsed.error.issues.map((issue) => issue.message) };
	}
	const rawApiUrl = (env.LIVEKIT_API_URL ?? '').trim();
	const apiUrl = rawApiUrl ? apiUrlSchema.safeParse(rawApiUrl) : null;
	if (apiUrl && !apiUrl.success) return { enabled: false, problems: apiUrl.error.issues.map((issue) => issue.message) };
	return {
		enabled: true,
		// No trailing slash: the SDKs append /twirp/… and /rtc themselves.
		url: parsed.data.LIVEKIT_URL.replace(/\/+$/, ''),
		apiKey: parsed.data.LIVEKIT_API_KEY,
		apiSecret: parsed.data.LIVEKIT_API_SECRET,
		...(apiUrl?.success ? { apiUrl: apiUrl.data.replace(/\/+$/, '') } : {})
	};
}

/** The browser connects over WebSocket; the server API (Twirp) over HTTP(S). Same host either way. */
export function websocketUrl(url: string): string {
	return url.replace(/^http(s?):/, 'ws$1:');
}
export function httpUrl(url: string): string {
	return url.replace(/^ws(s?):/, 'http$1:');
}

/**
 * The origins a browser page may connect to for video: livekit-client opens its signalling WebSocket to the
 * URL and, when that fails, calls GET /rtc/validate on the same host over http(s). None when video is off.
 */
export function browserConnectSources(config: MediaConfig): string[] {
	if (!config.enabled) return [];
	const url = new URL(config.url);
	const secure = url.protocol === 'wss:' || url.protocol === 'https:';
	return [`${secure ? 'wss' : 'ws'}://${url.host}`, `${secure ? 'https' : 'http'}://${url.host}`];
}
