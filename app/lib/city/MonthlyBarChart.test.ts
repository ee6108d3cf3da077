import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import Fixture from './MonthlyBarChart.fixture.svelte';

const months = ['2026-01', '2026-02', '2026-03'];

describe('MonthlyBarChart (server-rendered)', () => {
	it('draws one labelled bar per month in an SVG image with a spoken summary', () => {
		const { body } = render(Fixture, { props: { title: 'Kỳ họp', months, values: [2, 0, 5] } });
		const svg = /<svg[^>]*role="img"[^>]*>/.exec(body)?.[0] ?? '';
		expect(svg).toContain('aria-label="Biểu đồ cột: Kỳ họp theo tháng, 3 tháng gần nhất, tổng cộng 7"');
		expect(svg).toContain('viewBox="0 0 320');
		// Months as MM/yyyy beside the bars, values as text (not by colour alone).
		for (const m of ['01/2026', '02/2026', '03/2026']) expect(body).toContain(`>${m}<`);
		const svgBody = body.slice(body.indexOf('<svg'), body.lastIndexOf('</svg>'));
		expect(svgBody.match(/<rect[^>]*class="[^"]*lc-bar\b/g)?.length).toBe(3);
		expect(svgBody).toMatch(/>5</);
		expect(svgBody).toMatch(/>2</);
		expect(svgBody).not.toContain('.0<');
	});

	it('keeps the figures as a table for screen readers, in English too', () => {
		const { body } = render(Fixture, { props: { locale: 'en', title: 'Sittings', months, values: [2, 0, 5] } });
		expect(body).toContain('aria-label="Bar chart: Sittings by month, last 3 months, 7 in total"');
		expect(body).toMatch(/<table class="visually-hidden[^"]*"><caption>Sittings<\/caption>/);
		expect(body).toMatch(/<th scope="row">03\/2026<\/th><td>5<\/td>/);
	});
});
