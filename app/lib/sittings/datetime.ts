/** Vietnam is UTC+7 all year (no daylight saving). */
const VN_OFFSET_HOURS = 7;

/** Reads a date typed as dd/mm/yyyy and a time as hh:mm (24-hour), both in Vietnam time. */
export function parseVietnamDateTime(date: string, time: string): Date | null {
	const d = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(date);
	const t = /^\s*(\d{1,2}):(\d{2})\s*$/.exec(time);
	if (!d || !t) return null;
	const [day, month, year, hour, minute] = [Number(d[1]), Number(d[2]), Number(d[3]), Number(t[1]), Number(t[2])];
	if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || year < 2000 || year > 2100) return null;
	const utc = new Date(Date.UTC(year, month - 1, day, hour - VN_OFFSET_HOURS, minute));
	// 31/02 would roll over into March: refuse it rather than guess.
	const check = new Date(utc.getTime() + VN_OFFSET_HOURS * 3600_000);
	if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return null;
	return utc;
}

/** Whether two instants fall on the same calendar day in Vietnam (e.g. a sitting's scheduled start and now). */
export function sameVietnamDay(a: Date | string | number, b: Date | string | number): boolean {
	const day = (v: Date | string | number) => Math.floor((new Date(v).getTime() + VN_OFFSET_HOURS * 3600_000) / 86_400_000);
	return day(a) === day(b);
}
