// Structured JSON logs on stdout/stderr. Secrets never pass through here: callers log ids and codes,
// and `redact` strips fields whose names look secret as a second line of defence.
const SECRET_FIELD = /pass(word|phrase)?|secret|token|key|cookie|authorization|p12|pkcs/i;

function redact(value: unknown, depth = 0): unknown {
	if (value instanceof Error) return { name: value.name, message: value.message, code: (value as { code?: unknown }).code };
	if (!value || typeof value !== 'object' || depth > 4) return value;
	if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
	return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_FIELD.test(k) ? '[redacted]' : redact(v, depth + 1)]));
}

function write(level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) {
	if (level === 'debug' && !process.env.DEBUG) return;
	const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...(redact(fields ?? {}) as object) });
	if (level === 'error' || level === 'warn') console.error(line);
	else console.log(line);
}

export const log = {
	debug: (msg: string, fields?: Record<string, unknown>) => write('debug', msg, fields),
	info: (msg: string, fields?: Record<string, unknown>) => write('info', msg, fields),
	warn: (msg: string, fields?: Record<string, unknown>) => write('warn', msg, fields),
	error: (msg: string, fields?: Record<string, unknown>) => write('error', msg, fields)
};
