import { describe, expect, it } from 'vitest';
import { councilChoice } from './council-choice';

const a = { id: 'a' };
const b = { id: 'b' };

describe('councilChoice', () => {
	it('is the only council offered, whatever was chosen before', () => {
		expect(councilChoice([a], '')).toBe('a');
		expect(councilChoice([a], 'b')).toBe('a');
	});

	it('keeps the choice while it is offered, and is none before a choice', () => {
		expect(councilChoice([a, b], 'b')).toBe('b');
		expect(councilChoice([{ ...a }, { ...b }], 'b')).toBe('b');
		expect(councilChoice([a, b], '')).toBe('');
	});

	it('drops a choice the list no longer offers', () => {
		expect(councilChoice([a, { id: 'c' }], 'b')).toBe('');
		expect(councilChoice([], 'b')).toBe('');
	});
});
