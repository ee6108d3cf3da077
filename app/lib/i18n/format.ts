// Dates as dd/MM/yyyy and 24-hour time, always in Vietnam time, whatever the server's or browser's zone.
export const TIME_ZONE = 'Asia/Ho_Chi_Minh';

const partsFormatter = new Intl.DateTimeFormat('en-GB', {
	timeZone: TIME_ZONE,
	year: 'numeric',
	month: '2-digit',
	day: '2-digit',
	hour: '2-digit',
	minute: '2-digit',
	second: '2-digit',
	hourCycle: 'h23'
});

function parts(value: Date | string | number): Record<string, string> {
	const date = value instanceof Date ? value : new Date(value);
	return Object.fromEntries(partsFormatter.formatToParts(date).map((p) => [p.type, p.value]));
}

export function formatDate(value: Date | string | number): string {
	const p = parts(value);
	return `${p.day}/${p.month}/${p.year}`;
}

export function formatTime(value: Date | string | number): string {
	const p = parts(value);
	return `${p.hour}:${p.minute}`;
}

export function formatDateTime(value: Date | string | number): string {
	return `${formatDate(value)} ${formatTime(value)}`;
}

/** A calendar month kept as YYYY-MM (the database's month keys) shown as MM/yyyy. */
export function formatMonth(month: string): string {
	const m = /^(\d{4})-(\d{2})$/.exec(month);
	return m ? `${m[2]}/${m[1]}` : month;
}

/** mm:ss for speaking timers; negative values (overrun) keep their sign. */
export function formatDuration(totalSeconds: number): string {
	const sign = totalSeconds < 0 ? '-' : '';
	const s = Math.abs(Math.trunc(totalSeconds));
	return `${sign}${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}
