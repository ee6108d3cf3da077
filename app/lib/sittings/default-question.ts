type Translate = (key: string, params?: Record<string, string | number>) => string;

/**
 * The question the chair's "open a vote" form proposes for an agenda item. Under a submission ("Tờ trình về X") what
 * the council adopts is the draft resolution the submission brings, not the submission itself, so the question
 * says "thông qua dự thảo Nghị quyết về X"; under any other item it names the item.
 */
export function defaultVoteQuestion(t: Translate, item: { kind: string; title: string }): string {
	const title = item.title.trim();
	if (item.kind !== 'submission') return t('sui.chair.questionDefault', { title });
	// "Tờ trình", with its number if it has one ("Tờ trình số 12/TTr-UBND về …"), then the subject.
	const subject = title.replace(/^tờ\s+trình(\s+số\s+\S+)?[\s:,-]*/iu, '').trim();
	if (!subject || subject === title) return t('sui.chair.questionDraftResolution', { subject: title });
	return t('sui.chair.questionDraftResolution', { subject: /^về\s/iu.test(subject) ? subject : `về ${subject}` });
}
