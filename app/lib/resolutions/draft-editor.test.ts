import { describe, expect, it } from 'vitest';
import { DraftEditor, moveIn, newLine } from './draft-editor.svelte';

describe('DraftEditor', () => {
	it('starts a new draft with one empty line of each, and leaves empty legal bases and recipients out of the input', () => {
		const e = new DraftEditor(null);
		expect(e.dirty).toBe(false);
		expect(e.legalBases.map((l) => l.text)).toEqual(['']);
		expect(e.articles.map((a) => a.paragraphs.map((p) => p.text))).toEqual([['']]);
		expect(e.recipients.map((l) => l.text)).toEqual(['']);
		e.title = '  Về kế hoạch đầu tư công năm 2027 ';
		e.articles[0].paragraphs[0].text = ' Thông qua kế hoạch. ';
		e.recipients.push(newLine('Lưu: VT.'));
		expect(e.dirty).toBe(true);
		expect(e.input('item-1')).toEqual({
			itemId: 'item-1',
			title: 'Về kế hoạch đầu tư công năm 2027',
			body: {
				legalBases: [],
				articles: [{ paragraphs: ['Thông qua kế hoạch.'] }],
				recipients: ['Lưu: VT.']
			}
		});
	});

	it('loads a stored draft as it was, not dirty until something changes', () => {
		const body = {
			legalBases: ['Căn cứ Luật Tổ chức chính quyền địa phương;'],
			articles: [{ title: 'Phê duyệt', paragraphs: ['Khoản một.', 'Khoản hai.'] }, { paragraphs: ['Tổ chức thực hiện.'] }],
			recipients: ['Lưu: VT.']
		};
		const e = new DraftEditor({ id: 'r1', title: 'Về dự án', body });
		expect(e.resolutionId).toBe('r1');
		expect(e.body()).toEqual(body);
		expect(e.dirty).toBe(false);
		e.articles[1].paragraphs[0].text = 'Giao Ủy ban nhân dân phường tổ chức thực hiện.';
		expect(e.dirty).toBe(true);
		e.markSaved('r1');
		expect(e.dirty).toBe(false);
	});

	it('reorders articles and paragraphs, keeping each line its key', () => {
		const e = new DraftEditor({
			id: 'r1',
			title: 'T',
			body: {
				legalBases: [],
				articles: [{ paragraphs: ['A'] }, { paragraphs: ['B1', 'B2'] }],
				recipients: []
			}
		});
		const keyOfB = e.articles[1].key;
		expect(moveIn(e.articles, 1, -1)).toBe(true);
		expect(e.articles[0].key).toBe(keyOfB);
		expect(moveIn(e.articles[0].paragraphs, 1, -1)).toBe(true);
		expect(e.body().articles).toEqual([{ paragraphs: ['B2', 'B1'] }, { paragraphs: ['A'] }]);
		expect(moveIn(e.articles, 0, -1)).toBe(false);
		expect(moveIn(e.articles, 1, 1)).toBe(false);
	});
});
