import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { embedTinos } from '../../../../signing/fonts';
import { translate, type Locale } from '../../i18n';
import type { voteMinutes } from './vote-minutes';

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 56;

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
	const lines: string[] = [];
	for (const paragraph of text.split('\n')) {
		let line = '';
		for (const word of paragraph.split(/\s+/)) {
			const next = line ? `${line} ${word}` : word;
			if (font.widthOfTextAtSize(next, size) > width && line) {
				lines.push(line);
				line = word;
			} else line = next;
		}
		lines.push(line);
	}
	return lines;
}

/** The minutes of votes as an A4 PDF in Tinos (full Vietnamese), ending with the chain head and its last signed head. */
export async function minutesPdf(minutes: Awaited<ReturnType<typeof voteMinutes>>, locale: Locale): Promise<Uint8Array> {
	const t = (k: string, p?: Record<string, string | number>) => translate(locale, k, p);
	const doc = await PDFDocument.create();
	doc.setTitle(minutes.title);
	doc.setLanguage(locale === 'vi' ? 'vi-VN' : 'en');
	const fonts = await embedTinos(doc, ['regular', 'bold']);
	const regular = fonts.regular!;
	const bold = fonts.bold!;
	const width = A4[0] - 2 * MARGIN;
	let page: PDFPage = doc.addPage(A4);
	let y = A4[1] - MARGIN;
	const write = (text: string, font: PDFFont, size: number, gap = 4) => {
		for (const line of wrap(text, font, size, width)) {
			if (y < MARGIN + size) {
				page = doc.addPage(A4);
				y = A4[1] - MARGIN;
			}
			page.drawText(line, { x: MARGIN, y: y - size, size, font, color: rgb(0, 0, 0) });
			y -= size + gap;
		}
	};
	write(t('minutes.title').toUpperCase(), bold, 15, 6);
	write(minutes.council, bold, 12);
	write(minutes.title, regular, 12);
	write(`${t('minutes.startsAt')}: ${minutes.startsAt}`, regular, 11, 12);
	if (minutes.rows.length === 0) write(t('minutes.noVotes'), regular, 11);
	for (const r of minutes.rows) {
		write(`${r.index}. ${r.question}`, bold, 12);
		write(`${r.kind} · ${r.status} · ${t('minutes.col.rule')}: ${r.rule}`, regular, 11);
		if (r.seated !== null) {
			write(`${t('minutes.col.seated')}: ${r.seated} · ${t('minutes.col.present')}: ${r.present} · ${t('choice.yes')}: ${r.yes ?? '—'} · ${t('choice.no')}: ${r.no ?? '—'} · ${t('choice.abstain')}: ${r.abstain ?? '—'} · ${t('tally.notVoted')}: ${r.notVoted ?? '—'}`, regular, 11);
		}
		if (r.passed !== null) write(`${t('minutes.col.passed')}: ${r.passed ? t('result.passed') : t('result.failed')}${r.closedAt ? ` (${r.closedAt})` : ''}`, bold, 11);
		if (r.note) write(r.note, regular, 10);
		y -= 8;
	}
	write(`${t('minutes.chainHead')} (${minutes.events} ${t('minutes.events')}):`, bold, 10);
	write(minutes.chainHead, regular, 10);
	if (minutes.anchor) {
		const a = minutes.anchor;
		y -= 4;
		write(`${t('minutes.anchor', { seq: a.seq, signedAt: a.signedAt })}:`, bold, 10);
		write(`${t('minutes.anchorHash')}: ${a.hash}`, regular, 9);
		write(`${t('minutes.anchorKey')}: ${a.keyId}`, regular, 9);
		write(`${t('minutes.anchorSignature')}: ${a.signatureSha256}`, regular, 9);
	}
	write(`${t('minutes.generatedAt')}: ${minutes.generatedAt}`, regular, 9);
	const pages = doc.getPages();
	pages.forEach((p, i) => p.drawText(t('minutes.page', { page: i + 1, pages: pages.length }), { x: A4[0] - MARGIN - 80, y: 28, size: 9, font: regular }));
	return doc.save();
}
