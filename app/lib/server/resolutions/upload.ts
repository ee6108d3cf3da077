import { readCapped } from '../http/read-capped';
import { VERIFY_MAX_BYTES } from './verify';

export type UploadResult = { ok: true; bytes: Uint8Array } | { ok: false; key: 'verify.tooLarge' | 'verify.noFile' | 'verify.badRequest'; status: number };

/** The PDF of a verification request: the raw body, or the multipart field `file`. */
export async function readUpload(request: Request): Promise<UploadResult> {
	const declared = Number(request.headers.get('content-length') ?? '0');
	if (declared > VERIFY_MAX_BYTES + 64 * 1024) return { ok: false, key: 'verify.tooLarge', status: 413 };
	const type = request.headers.get('content-type') ?? '';
	if (type.startsWith('multipart/form-data')) {
		const raw = await readCapped(request.body, VERIFY_MAX_BYTES + 64 * 1024);
		if (!raw) return { ok: false, key: 'verify.tooLarge', status: 413 };
		let form: FormData;
		try {
			form = await new Response(Buffer.from(raw), { headers: { 'content-type': type } }).formData();
		} catch {
			return { ok: false, key: 'verify.badRequest', status: 400 };
		}
		const file = form.get('file');
		if (!(file instanceof Blob) || file.size === 0) return { ok: false, key: 'verify.noFile', status: 400 };
		if (file.size > VERIFY_MAX_BYTES) return { ok: false, key: 'verify.tooLarge', status: 413 };
		return { ok: true, bytes: new Uint8Array(await file.arrayBuffer()) };
	}
	const bytes = await readCapped(request.body, VERIFY_MAX_BYTES + 64 * 1024);
	if (!bytes) return { ok: false, key: 'verify.tooLarge', status: 413 };
	if (bytes.length === 0) return { ok: false, key: 'verify.noFile', status: 400 };
	if (bytes.length > VERIFY_MAX_BYTES) return { ok: false, key: 'verify.tooLarge', status: 413 };
	return { ok: true, bytes };
}
