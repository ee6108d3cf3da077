import { describe, expect, it } from 'vitest';
import { asciiFilename, contentDisposition, filenameSlug } from './content-disposition';

describe('contentDisposition', () => {
	it('keeps a resolution number with Đ in filename* and maps Đ to D in the ASCII fallback', () => {
		const name = `nghi-quyet-${filenameSlug('12/NQ-HĐND')}.pdf`;
		expect(name).toBe('nghi-quyet-12-NQ-HĐND.pdf');
		expect(contentDisposition('inline', name)).toBe(`inline; filename="nghi-quyet-12-NQ-HDND.pdf"; filename*=UTF-8''nghi-quyet-12-NQ-H%C4%90ND.pdf`);
	});

	it('decodes back to the same Vietnamese name', () => {
		const name = 'Tờ trình (dự thảo) số 5*.pdf';
		const header = contentDisposition('attachment', name);
		const encoded = /filename\*=UTF-8''(.+)$/.exec(header)?.[1] ?? '';
		expect(encoded).toMatch(/^[A-Za-z0-9%\-._~!]+$/); // RFC 5987 attr-char and pct-encoded only
		expect(decodeURIComponent(encoded)).toBe(name.normalize('NFC'));
		expect(header.startsWith('attachment; filename="To trinh (du thao) so 5*.pdf"; ')).toBe(true);
	});

	it('strips marks from precomposed and decomposed letters alike, and escapes quotes and backslashes', () => {
		expect(asciiFilename('Biên bản kỳ họp đầu tiên.pdf')).toBe('Bien ban ky hop dau tien.pdf');
		expect(asciiFilename('Biên bản'.normalize('NFD'))).toBe('Bien ban');
		expect(asciiFilename('a"b\\c✓.pdf')).toBe('a_b_c_.pdf');
	});

	it('slugs runs of punctuation and spaces into one dash, without dashes at the ends', () => {
		expect(filenameSlug(' 03/2026/NQ-HĐND ')).toBe('03-2026-NQ-HĐND');
		expect(filenameSlug('Đà Lạt')).toBe('Đà-Lạt');
	});
});
