/**
 * The council a form is for, from the councils it offers and the one last chosen in its select: the only one when
 * there is one (nothing to choose), the chosen one while it is still offered, and none ('') otherwise. Derived, not
 * copied once from the page's data: a re-read that still offers the choice (after saving) keeps it, and a new list
 * (another page's data) never leaves the form pointing at a council it no longer offers.
 */
export function councilChoice(offered: readonly { id: string }[], chosen: string): string {
	if (offered.length === 1) return offered[0].id;
	return offered.some((c) => c.id === chosen) ? chosen : '';
}
