/**
 * Folds Vietnamese text for searching without diacritics: "Bến Thành" → "ben thanh", "Đắk" → "dak".
 * đ/Đ are letters of their own (not d + a mark), so NFD alone does not fold them.
 * The stored `search_name` columns hold this folding, so it lives beside the schema: the seed, the app's
 * services and the browser's filters all fold the same way.
 */
export function searchName(text: string): string {
	return text
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/đ/g, 'd')
		.replace(/Đ/g, 'D')
		.toLowerCase()
		.replace(/\s+/g, ' ')
		.trim();
}
