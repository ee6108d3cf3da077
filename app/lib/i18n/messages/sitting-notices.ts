// Texts of sitting invitations (triệu tập) and reminders (nhắc lịch họp), sent as in-app notifications.
// {time} is dd/MM/yyyy HH:mm in Vietnam time.
export const vi: Record<string, string> = {
	'notification.kind.sitting.convened': 'Triệu tập kỳ họp',
	'notification.kind.secretBallot.committee': 'Ban kiểm phiếu',
	'notification.kind.sitting.reminder': 'Nhắc lịch kỳ họp',
	'sitting.notice.convened': 'Kỳ họp được triệu tập, khai mạc lúc {time}.',
	'sitting.notice.reminder': 'Nhắc lịch: kỳ họp khai mạc lúc {time}.',
	'sitting.notice.venue': 'Địa điểm: {venue}.',
	'notification.kind.sitting.changed': 'Thay đổi lịch kỳ họp',
	'sitting.notice.changed': 'Kỳ họp thay đổi thời gian hoặc địa điểm: khai mạc lúc {time}.'
};

export const en: Record<string, string> = {
	'notification.kind.sitting.convened': 'Sitting convened',
	'notification.kind.secretBallot.committee': 'Vote-counting committee',
	'notification.kind.sitting.reminder': 'Sitting reminder',
	'sitting.notice.convened': 'The sitting is convened and opens at {time}.',
	'sitting.notice.reminder': 'Reminder: the sitting opens at {time}.',
	'sitting.notice.venue': 'Venue: {venue}.',
	'notification.kind.sitting.changed': 'Sitting rescheduled',
	'sitting.notice.changed': 'The sitting’s time or venue changed: it opens at {time}.'
};
