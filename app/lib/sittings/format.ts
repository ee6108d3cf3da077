/** File sizes as people read them, with a Vietnamese decimal comma in vi. */
export function formatSize(bytes: number, locale: 'vi' | 'en' = 'vi'): string {
	const nf = new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 1 });
	if (bytes < 1024) return `${bytes} B`;
	if (bytes < 1024 * 1024) return `${nf.format(bytes / 1024)} KB`;
	return `${nf.format(bytes / (1024 * 1024))} MB`;
}

/** Seconds left for a speaker (negative once over time). */
export function secondsLeft(startedAt: string | null, allottedSec: number | null, now: number): number | null {
	if (!startedAt || !allottedSec) return null;
	return allottedSec - Math.floor((now - Date.parse(startedAt)) / 1000);
}
