import { describe, expect, it } from 'vitest';
import { DomainError } from './errors';
import { en, formatMessage, messageFor, vi } from './messages';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('messages', () => {
	it('vi and en cover the same keys with the same placeholders', () => {
		expect(Object.keys(en).sort()).toEqual(Object.keys(vi).sort());
		for (const k of Object.keys(vi) as (keyof typeof vi)[]) {
			expect([k, placeholders(en[k])]).toEqual([k, placeholders(vi[k])]);
		}
	});

	it('Vietnamese texts are NFC (precomposed diacritics) and not left empty', () => {
		for (const [k, v] of Object.entries(vi)) {
			expect([k, v.normalize('NFC')]).toEqual([k, v]);
			expect(v.trim().length).toBeGreaterThan(0);
		}
	});

	it('fills placeholders and leaves a missing one visible', () => {
		expect(formatMessage('vi', 'QUORUM_NOT_MET', { present: 19, seated: 30, required: 20 })).toBe(
			'Chưa đủ số đại biểu tham dự theo quy định (19/30, cần tối thiểu 20).'
		);
		expect(formatMessage('en', 'QUORUM_NOT_MET', { present: 19 })).toBe(
			'Quorum not met (19/{seated}, at least {required} required).'
		);
	});

	it('messageFor uses Vietnamese by default', () => {
		expect(messageFor(new DomainError('ALREADY_VOTED'))).toBe(vi.ALREADY_VOTED);
		expect(messageFor(new DomainError('ALREADY_VOTED'), 'en')).toBe(en.ALREADY_VOTED);
	});

	it('DomainError carries code and params, and a log-friendly message', () => {
		const e = new DomainError('VOTES_EXCEED_SEATED', { votes: 31, seated: 30 });
		expect(e).toBeInstanceOf(Error);
		expect(e.name).toBe('DomainError');
		expect(e.message).toBe('VOTES_EXCEED_SEATED {"votes":31,"seated":30}');
	});
});
