// Texts of the live consultation result (announced politely to screen readers as answers arrive).
export const vi: Record<string, string> = {
	'consultation.live.update': 'Cập nhật: {answered}/{seated} đại biểu đã cho ý kiến — đồng ý {agree}, không đồng ý {disagree}, ý kiến khác {comment}.',
	'consultation.live.closed': 'Đợt lấy ý kiến đã kết thúc: {answered}/{seated} đại biểu đã cho ý kiến — đồng ý {agree}, không đồng ý {disagree}, ý kiến khác {comment}.'
};

export const en: Record<string, string> = {
	'consultation.live.update': 'Update: {answered}/{seated} delegates answered — agree {agree}, disagree {disagree}, comment {comment}.',
	'consultation.live.closed': 'The consultation has closed: {answered}/{seated} delegates answered — agree {agree}, disagree {disagree}, comment {comment}.'
};
