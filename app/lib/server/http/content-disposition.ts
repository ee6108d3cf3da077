/**
 * One Content-Disposition header for every file the app serves (resolution and minutes PDFs, CSV exports,
 * uploaded documents). The Vietnamese name goes in `filename*` (RFC 6266/5987, UTF-8); old clients that read only
 * `filename` get an ASCII fallback with the diacritics removed and Đ/đ mapped to D/d — never dropped, so a
 * resolution "12/NQ-HĐND" saves as "…NQ-HDND.pdf", not "…NQ-H-ND.pdf".
 */
export function contentDisposition(kind: 'inline' | 'attachment', filename: string): string {
	return `${kind}; filename="${asciiFilename(filename)}"; filename*=UTF-8''${encodeRfc5987(filename)}`;
}

/** The ASCII fallback: Vietnamese letters without their marks, anything else outside printable ASCII as `_`. */
export function asciiFilename(filename: string): string {
	return filename
		.replace(/đ/g, 'd')
		.replace(/Đ/g, 'D')
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[^\x20-\x7e]/g, '_')
		.replace(/["\\]/g, '_');
}

/** A file-name slug that keeps letters of any script (Đ included) and digits, with runs of anything else as one `-`. */
export function filenameSlug(text: string): string {
	return text
		.normalize('NFC')
		.replace(/[^\p{L}\p{N}]+/gu, '-')
		.replace(/^-+|-+$/g, '');
}

// encodeURIComponent leaves ' ( ) * ! unescaped; RFC 5987's attr-char allows none of ' ( ) *.
function encodeRfc5987(value: string): string {
	return encodeURIComponent(value.normalize('NFC')).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
