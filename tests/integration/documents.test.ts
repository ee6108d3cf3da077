import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { loadUser } from '../../app/lib/server/auth/current-user';
import { verifySittingChain } from '../../app/lib/server/sittings/verify-chain';
import { MAX_DOCUMENT_BYTES, assertPdf, readDocument, sha256Hex, storeDocument } from '../../app/lib/server/sittings/documents';
import { POST as upload } from '../../app/routes/api/sittings/[sittingId]/documents/+server';
import { GET as download } from '../../app/routes/api/documents/[documentId]/+server';
import { db, userIdOf } from '../helpers/callers';
import { convenedSitting, eventTypes } from '../helpers/sittings';

async function pdfBytes(text = 'To trinh'): Promise<Uint8Array> {
	const doc = await PDFDocument.create();
	doc.addPage().drawText(text, { x: 40, y: 700, size: 12 });
	return doc.save();
}

async function user(username: string) {
	return (await loadUser(db(), await userIdOf(username)))!;
}

function uploadEvent(sittingId: string, form: FormData, u: Awaited<ReturnType<typeof user>> | null, headers: Record<string, string> = {}) {
	const request = new Request(`http://localhost/api/sittings/${sittingId}/documents`, { method: 'POST', body: form, headers });
	return { request, params: { sittingId }, locals: { user: u, locale: 'vi', sessionToken: null } } as unknown as Parameters<typeof upload>[0];
}

function pdfForm(bytes: Uint8Array, name = 'to-trinh.pdf', title?: string): FormData {
	const form = new FormData();
	form.set('file', new File([Buffer.from(bytes)], name, { type: 'application/pdf' }));
	if (title) form.set('title', title);
	return form;
}

describe('documents of a sitting', () => {
	it('stores a PDF checked by content, with its SHA-256, and tells every screen in the same transaction', async () => {
		const { sittingId, itemId } = await convenedSitting();
		const bytes = await pdfBytes();
		const doc = await storeDocument(db(), { sittingId, itemId, title: 'Tờ trình số 12', filename: '../../etc/Tờ trình.pdf', bytes, uploadedBy: await userIdOf('secretary.26743') });
		expect(doc).toMatchObject({ title: 'Tờ trình số 12', filename: 'Tờ trình.pdf', sizeBytes: bytes.length, sha256: sha256Hex(bytes), itemId });
		const row = await db().selectFrom('documents').select(['sha256', 'content']).where('id', '=', doc.id).executeTakeFirstOrThrow();
		expect(row.sha256).toBe(sha256Hex(bytes));
		expect(Buffer.compare(row.content, Buffer.from(bytes))).toBe(0);
		expect((await eventTypes(sittingId)).at(-1)).toBe('document.added');
		expect(await verifySittingChain(db(), sittingId)).toMatchObject({ ok: true });
	});

	it('refuses what is not a PDF by its content, whatever its name says', async () => {
		await expect(assertPdf(new TextEncoder().encode('hello, this is text'))).rejects.toMatchObject({ i18nKey: 'document.notPdf' });
		await expect(assertPdf(new TextEncoder().encode('%PDF-1.7\n garbage without objects'))).rejects.toMatchObject({ i18nKey: 'document.notPdf' });
		await expect(assertPdf(await pdfBytes())).resolves.toBeUndefined();
	});

	it('uploads over HTTP for the secretary and chair only, with clear Vietnamese errors', async () => {
		const { sittingId } = await convenedSitting();
		const ok = await upload(uploadEvent(sittingId, pdfForm(await pdfBytes(), 'bao-cao.pdf', 'Báo cáo'), await user('secretary.26743')));
		expect(ok.status).toBe(201);
		const { document } = (await ok.json()) as { document: { id: string; title: string } };
		expect(document.title).toBe('Báo cáo');

		const fake = await upload(uploadEvent(sittingId, pdfForm(new TextEncoder().encode('MZ not a pdf'), 'virus.pdf'), await user('chair.26743')));
		expect(fake.status).toBe(400);
		expect(await fake.json()).toMatchObject({ error: { message: 'Tệp không phải PDF hợp lệ (kiểm tra theo nội dung tệp).' } });

		const delegate = await upload(uploadEvent(sittingId, pdfForm(await pdfBytes()), await user('delegate.26743.1')));
		expect(delegate.status).toBe(403);
		const otherSecretary = await upload(uploadEvent(sittingId, pdfForm(await pdfBytes()), await user('secretary.26740')));
		expect(otherSecretary.status).toBe(403);
		const anonymous = await upload(uploadEvent(sittingId, pdfForm(await pdfBytes()), null));
		expect(anonymous.status).toBe(401);

		const tooBig = await upload(uploadEvent(sittingId, pdfForm(await pdfBytes()), await user('secretary.26743'), { 'content-length': String(MAX_DOCUMENT_BYTES + 10 * 1024 * 1024) }));
		expect(tooBig.status).toBe(413);
		expect(await tooBig.json()).toMatchObject({ error: { message: 'Tệp vượt quá dung lượng cho phép (20 MB).' } });
		const count = await db().selectFrom('documents').select(db().fn.countAll<number>().as('n')).where('sitting_id', '=', sittingId).executeTakeFirstOrThrow();
		expect(Number(count.n)).toBe(1);
	});

	it('shows a document inline or as a download to readers of its own council only', async () => {
		const { sittingId } = await convenedSitting();
		const bytes = await pdfBytes();
		const doc = await storeDocument(db(), { sittingId, filename: 'Tờ trình.pdf', bytes, uploadedBy: await userIdOf('secretary.26743') });
		const get = async (username: string | null, search = '') =>
			download({
				params: { documentId: doc.id },
				url: new URL(`http://localhost/api/documents/${doc.id}${search}`),
				request: new Request(`http://localhost/api/documents/${doc.id}${search}`),
				locals: { user: username ? await user(username) : null, locale: 'vi', sessionToken: null }
			} as unknown as Parameters<typeof download>[0]);

		const inline = await get('delegate.26743.5');
		expect(inline.status).toBe(200);
		expect(inline.headers.get('content-type')).toBe('application/pdf');
		expect(inline.headers.get('content-disposition')).toMatch(/^inline; filename="To trinh.pdf"; filename\*=UTF-8''T%E1%BB%9D%20tr%C3%ACnh\.pdf$/);
		expect(Buffer.compare(Buffer.from(await inline.arrayBuffer()), Buffer.from(bytes))).toBe(0);
		expect((await get('delegate.26743.5', '?download=1')).headers.get('content-disposition')).toMatch(/^attachment;/);
		expect((await get('monitor.city')).status).toBe(200);
		expect((await get('delegate.26740.1')).status).toBe(403);
		expect((await get(null)).status).toBe(401);
		await expect(readDocument(db(), await user('delegate.26740.1'), doc.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
	});
});
