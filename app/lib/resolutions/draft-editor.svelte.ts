/**
 * The resolution editor's state: a draft's title, legal bases, articles with their paragraphs, and recipients,
 * as lines that can be added, removed and moved. Each line keeps a key of its own, so the page's keyed lists
 * move the right input (and its focus) when lines are reordered. `input()` is what `resolution.draft`,
 * `resolution.update` and `resolution.preview` take: text trimmed, empty legal bases and recipients left out.
 */

export interface DraftBody {
	legalBases: string[];
	articles: { title?: string; paragraphs: string[] }[];
	recipients: string[];
}

export interface Line {
	key: number;
	text: string;
}

export interface ArticleLines {
	key: number;
	title: string;
	paragraphs: Line[];
}

/** As the API bounds them (app/lib/server/api/routers/resolution.ts). */
export const LIMITS = {
	legalBases: 50,
	articles: 100,
	paragraphs: 100,
	recipients: 25
} as const;

let nextKey = 1;
/** A line with a key no other line of the page has. */
export const newLine = (text = ''): Line => ({ key: nextKey++, text });
const line = (text: string) => newLine(text);
const article = (a?: { title?: string; paragraphs: string[] }): ArticleLines => ({
	key: nextKey++,
	title: a?.title ?? '',
	paragraphs: a && a.paragraphs.length ? a.paragraphs.map(line) : [newLine()]
});

/** Moves `list[index]` by `delta` places; false when it would leave the list. */
export function moveIn<T>(list: T[], index: number, delta: number): boolean {
	const to = index + delta;
	if (index < 0 || index >= list.length || to < 0 || to >= list.length) return false;
	const [moved] = list.splice(index, 1);
	list.splice(to, 0, moved);
	return true;
}

export class DraftEditor {
	/** Set once the draft is stored: saving again updates it. */
	resolutionId = $state<string | null>(null);
	title = $state('');
	legalBases = $state<Line[]>([]);
	articles = $state<ArticleLines[]>([]);
	recipients = $state<Line[]>([]);
	/** The input as last saved (or loaded, or as a new draft starts), to tell unsaved changes. */
	saved = $state('');

	constructor(initial: { id: string; title: string; body: DraftBody } | null) {
		this.resolutionId = initial?.id ?? null;
		this.title = initial?.title ?? '';
		// A new draft starts with one empty line of each, ready to type in.
		this.legalBases = initial ? initial.body.legalBases.map(line) : [newLine()];
		this.articles = initial ? initial.body.articles.map(article) : [article()];
		this.recipients = initial ? initial.body.recipients.map(line) : [newLine()];
		this.saved = this.fingerprint();
	}

	addArticle(): ArticleLines {
		const a = article();
		this.articles.push(a);
		return a;
	}

	/** The body as the API takes it. */
	body(): DraftBody {
		const texts = (lines: Line[]) => lines.map((l) => l.text.trim()).filter(Boolean);
		return {
			legalBases: texts(this.legalBases),
			articles: this.articles.map((a) => {
				const title = a.title.trim();
				return title ? { title, paragraphs: texts(a.paragraphs) } : { paragraphs: texts(a.paragraphs) };
			}),
			recipients: texts(this.recipients)
		};
	}

	input(itemId: string) {
		return { itemId, title: this.title.trim(), body: this.body() };
	}

	fingerprint(): string {
		return JSON.stringify({ title: this.title.trim(), body: this.body() });
	}

	get dirty(): boolean {
		return this.fingerprint() !== this.saved;
	}

	markSaved(resolutionId: string) {
		this.resolutionId = resolutionId;
		this.saved = this.fingerprint();
	}
}
