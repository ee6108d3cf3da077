/**
 * Dates as Vietnamese documents show them: always in Vietnam time (Asia/Ho_Chi_Minh), whatever
 * the server's TZ is. Vietnam has used a fixed +07:00 offset without DST since 1975, which is
 * why the PDF date suffix can be a constant.
 */
const formatter = new Intl.DateTimeFormat('en-GB', {
	timeZone: 'Asia/Ho_Chi_Minh',
	year: 'numeric',
	month: '2-digit',
	day: '2-digit',
	hour: '2-digit',
	minute: '2-digit',
	second: '2-digit',
	hourCycle: 'h23'
});

export interface VnDateParts {
	year: number;
	month: number;
	day: number;
	hour: number;
	minute: number;
	second: number;
}

export function vnDateParts(date: Date): VnDateParts {
	if (Number.isNaN(date.getTime())) throw new RangeError('invalid date');
	const p: Record<string, number> = {};
	for (const part of formatter.formatToParts(date)) if (part.type !== 'literal') p[part.type] = Number(part.value);
	return {
		year: p.year,
		month: p.month,
		day: p.day,
		hour: p.hour,
		minute: p.minute,
		second: p.second
	};
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * "Bến Thành, ngày 05 tháng 02 năm 2026". Decree 30/2020 (Appendix I): days below 10 and the
 * months 1 and 2 get a leading zero; other months do not ("tháng 3", "tháng 11").
 */
export function vnDateLine(placeName: string, date: Date): string {
	const { year, month, day } = vnDateParts(date);
	const m = month <= 2 ? pad(month) : String(month);
	return `${placeName}, ngày ${pad(day)} tháng ${m} năm ${year}`;
}

/** "12/11/2026 09:30:00 (GMT+7)" for signature appearances and reports. */
export function vnDateTime(date: Date): string {
	const p = vnDateParts(date);
	return `${pad(p.day)}/${pad(p.month)}/${p.year} ${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)} (GMT+7)`;
}

/** PDF date string in Vietnam time: D:20261112093000+07'00' */
export function pdfDateVn(date: Date): string {
	const p = vnDateParts(date);
	return `D:${p.year}${pad(p.month)}${pad(p.day)}${pad(p.hour)}${pad(p.minute)}${pad(p.second)}+07'00'`;
}

/** Parses a PDF date string (any offset); undefined when unreadable. */
export function parsePdfDate(s: string): Date | undefined {
	const m = /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:([Zz+-])(\d{2})?'?(\d{2})?'?)?/.exec(s.trim());
	if (!m) return undefined;
	const [, y, mo = '01', d = '01', h = '00', mi = '00', se = '00', sign, oh = '00', om = '00'] = m;
	const utc = Date.UTC(+y, +mo - 1, +d, +h, +mi, +se);
	const offset = !sign || sign === 'Z' || sign === 'z' ? 0 : (sign === '-' ? -1 : 1) * (+oh * 60 + +om);
	const t = utc - offset * 60_000;
	return Number.isNaN(t) ? undefined : new Date(t);
}
