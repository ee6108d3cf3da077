// Texts of sitting invitations (triệu tập) and reminders (nhắc lịch họp), sent as in-app notifications.
// {time} is dd/MM/yyyy HH:mm in Vietnam time.
export const vi: Record<string, string> = {
	'notification.kind.sitting.convened': 'Triệu tập kỳ họp',
	'notification.kind.sitting.reminder': 'Nhắc lịch kỳ họp',
	'sitting.notice.convened': 'Kỳ họp được triệu tập, khai mạc lúc {time}.',
	'sitting.notice.reminder': 'Nhắc lịch: kỳ họp khai mạc lúc {time}.',
	'sitting.notice.venue': 'Địa điểm: {venue}.'
};

export const en: Record<string, string> = {
	'notification.kind.sitting.convened': 'Sitting convened',
	'notification.kind.sitting.reminder': 'Sitting reminder',
	'sitting.notice.convened': 'The sitting is convened and opens at {time}.',
	'sitting.notice.reminder': 'Reminder: the sitting opens at {time}.',
	'sitting.notice.venue': 'Venue: {venue}.'
};
