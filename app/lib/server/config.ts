import { z } from 'zod';

/**
 * Every environment variable the app and its launcher read, with what each may hold. The launcher (`npm start`,
 * `npm run dev`) checks the environment against it before starting anything, so a mistyped value stops the start
 * with one message naming every wrong variable, instead of surfacing later as a wrong default or a crash at the
 * first request. The README's configuration table lists exactly these names (config.test.ts checks both ways, and
 * that no source file reads a variable missing here).
 */

const port = z.coerce.number().int().min(1).max(65535);
const flag = z.enum(['0', '1']);
const positiveInt = (max: number) => z.coerce.number().int().min(1).max(max);
const url = (protocols: string[]) =>
	z.string().refine((value) => {
		try {
			return protocols.includes(new URL(value).protocol);
		} catch {
			return false;
		}
	}, `cần một địa chỉ ${protocols.map((p) => p.replace(':', '')).join('/')}`);

export const environmentSchema = z
	.object({
		DATABASE_URL: url(['postgres:', 'postgresql:']),
		DATA_DIR: z.string(),
		EMBEDDED_PG_PORT: port,
		DEMO: flag,
		DEMO_PASSWORD: z.string().min(1),
		PORT: port,
		HOST: z.string(),
		ORIGIN: url(['http:', 'https:']),
		TRUST_PROXY: flag,
		ADDRESS_HEADER: z.string().regex(/^[A-Za-z0-9-]+$/, 'cần tên một header HTTP'),
		XFF_DEPTH: positiveInt(10),
		PROTOCOL_HEADER: z.string(),
		BODY_SIZE_LIMIT: z.string().regex(/^(\d+[KMG]?|Infinity)$/i, 'cần một cỡ như 512K, 21M'),
		DB_POOL_SIZE: positiveInt(500),
		CAST_BATCH_SLOTS: positiveInt(32),
		SKIP_BUILD: flag,
		BUILD_DIR: z.string(),
		NTS_ROOT: z.string(),
		// The video server's settings are checked by media/config.ts, which turns video off with a message instead of
		// stopping the app: a sitting goes on without video.
		LIVEKIT_URL: z.string(),
		LIVEKIT_PORT: port,
		LIVEKIT_EMBEDDED: flag,
		LIVEKIT_API_URL: z.string(),
		LIVEKIT_API_KEY: z.string(),
		LIVEKIT_API_SECRET: z.string(),
		SERVER_SECRET: z.string().min(32, 'cần ít nhất 32 ký tự (ví dụ: openssl rand -base64 32)'),
		CA_KEY_SECRET: z.string(),
		PKCS11_MODULE: z.string().regex(/\.so(\.\d+)*$|\.dylib$|\.dll$/, 'cần đường dẫn tới thư viện PKCS#11 của nhà cung cấp token (.so)'),
		REMOTE_SIGNER_URL: url(['https:', 'http:']),
		TOKEN_JOB_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000),
		TERM_START: z.string().refine((value) => /^\d{4}-\d{2}-\d{2}/.test(value) && !Number.isNaN(Date.parse(value)), 'cần một thời điểm ISO 8601, ví dụ 2025-07-01T00:00:00+07:00'),
		MONITOR_FLUSH_MS: z.coerce.number().int().min(50).max(60_000),
		// Any value turns debug lines on; other tools read DEBUG too (e.g. DEBUG=pw:api), so it is not refused.
		DEBUG: z.string()
	})
	.partial();

export type Environment = z.infer<typeof environmentSchema>;
export const ENVIRONMENT_VARIABLES = Object.keys(environmentSchema.shape) as (keyof Environment)[];

export class ConfigurationError extends Error {
	constructor(readonly problems: string[]) {
		super(`Cấu hình không hợp lệ:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
		this.name = 'ConfigurationError';
	}
}

/**
 * The environment's known variables, checked. An empty value counts as unset (the e2e server and docker-compose
 * pass some variables empty on purpose). Throws a ConfigurationError naming every problem.
 */
export function readEnvironment(env: Record<string, string | undefined> = process.env): Environment {
	const present = Object.fromEntries(ENVIRONMENT_VARIABLES.filter((name) => env[name]).map((name) => [name, env[name]]));
	const parsed = environmentSchema.safeParse(present);
	if (!parsed.success) throw new ConfigurationError(parsed.error.issues.map((issue) => `${issue.path.join('.')}=${JSON.stringify(present[String(issue.path[0])])}: ${issue.message}`));
	return parsed.data;
}

/** For the launchers: the environment checked, or the process ends with the message (exit code 1). */
export function exitOnWrongEnvironment(): void {
	try {
		readEnvironment();
	} catch (error) {
		if (!(error instanceof ConfigurationError)) throw error;
		console.error(error.message);
		process.exit(1);
	}
}
