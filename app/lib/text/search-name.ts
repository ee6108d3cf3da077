/**
 * Folds Vietnamese text for searching without diacritics: "Bến Thành" → "ben thanh", "Đắk" → "dak".
 * đ/Đ are letters of their own (not d + a mark), so NFD alone does not fold them.
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
