import { hasKey, type Translate } from '$lib/i18n';

/** The name of a notification's kind; a kind without its own text is shown as a plain "notification". */
export function notificationKindLabel(t: Translate, kind: string): string {
	const key = 'notification.kind.' + kind;
	return hasKey(key) ? t(key) : t('notification.title');
}
