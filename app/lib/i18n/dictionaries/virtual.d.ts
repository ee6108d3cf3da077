// The parts of one language's texts as plain data, made by scripts/vite-client-dictionaries.ts for the browser.
declare module 'virtual:nts-texts/*' {
	const texts: Record<string, string>;
	export default texts;
}
