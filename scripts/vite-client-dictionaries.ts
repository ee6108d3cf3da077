import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Plugin } from 'vite';
import type { Part } from '../app/lib/i18n/dictionaries/parts';
import { pick } from '../app/lib/i18n/dictionaries/split';

const dir = (name: string) => fileURLToPath(new URL(`../app/lib/i18n/dictionaries/${name}`, import.meta.url));
const serverDictionaries = dir('index.ts');
const browserDictionaries = dir('client.ts');
const PREFIX = 'virtual:nts-texts/';

/**
 * The browser gets its page's language only, and of it the parts the page shows (issue 23: a delegate's phone on a
 * weak hall Wi-Fi; app/lib/i18n/dictionaries/parts.ts).
 * - app/lib/i18n/dictionaries/index.ts (every text, for the server, the tests and the scripts) is replaced by
 *   client.ts, which fetches the parts a page needs before it renders.
 * - Each part (`virtual:nts-texts/vi/common`, …) is plain data compiled at build time from vi.ts or en.ts: every
 *   message file holds both languages, so bundling the dictionaries as code would ship both.
 */
export function clientDictionaries(): Plugin {
	return {
		name: 'nghi-truong-so:client-dictionaries',
		enforce: 'pre',
		async resolveId(source, importer, options) {
			if (options?.ssr) return null;
			if (source.startsWith(PREFIX)) return '\0' + source;
			// the dev server asks again for the id it gave (its /@id/__x00__ URL), without an importer
			if (source.startsWith('\0' + PREFIX)) return source;
			if (!importer || !source.includes('dictionaries')) return null;
			const resolved = await this.resolve(source, importer, {
				...options,
				skipSelf: true
			});
			return resolved?.id === serverDictionaries ? browserDictionaries : null;
		},
		async load(id) {
			if (!id.startsWith('\0' + PREFIX)) return null;
			const [language, part] = id.slice(PREFIX.length + 1).split('/') as ['vi' | 'en', Part];
			const result = await build({
				entryPoints: [dir(`${language}.ts`)],
				bundle: true,
				write: false,
				format: 'esm',
				platform: 'neutral',
				metafile: true,
				logLevel: 'error'
			});
			for (const input of Object.keys(result.metafile.inputs)) this.addWatchFile(path.resolve(input));
			const compiled = (await import(`data:text/javascript;base64,${Buffer.from(result.outputFiles[0].contents).toString('base64')}`)) as Record<string, Record<string, string>>;
			return `export default ${JSON.stringify(pick(compiled[language], part))};`;
		}
	};
}
