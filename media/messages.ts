// Server-side texts for media errors, keyed by MediaError code, in the {vi, en} shape the i18n
// layer merges (app/lib/i18n registerMessages). Vietnamese is the reference.
import type { MediaErrorCode } from './errors';

type Texts = Record<`media.error.${MediaErrorCode}` | 'media.disabled' | ConferenceKey, string>;

type ConferenceKey =
	| 'media.conference.notFound'
	| 'media.conference.ended'
	| 'media.conference.sittingOfOtherCouncil'
	| 'media.conference.unknownSites'
	| 'media.conference.siteNotInvited'
	| 'media.conference.noRole'
	| 'media.conference.siteOffline';

export const vi: Texts = {
	'media.disabled': 'Chưa cấu hình truyền hình trực tuyến.',
	'media.error.NOT_CONFIGURED': 'Chưa cấu hình truyền hình trực tuyến.',
	'media.error.UNREACHABLE':
		'Không kết nối được máy chủ truyền hình trực tuyến. Kỳ họp và biểu quyết vẫn tiếp tục bình thường.',
	'media.error.UNAUTHORIZED': 'Máy chủ truyền hình trực tuyến từ chối khóa truy cập. Vui lòng báo quản trị hệ thống.',
	'media.error.NOT_FOUND': 'Không tìm thấy phòng họp trực tuyến hoặc điểm cầu này (có thể đã rời phòng).',
	'media.error.INVALID_ARGUMENT': 'Yêu cầu truyền hình trực tuyến không hợp lệ.',
	'media.error.SERVER_ERROR': 'Máy chủ truyền hình trực tuyến báo lỗi. Vui lòng thử lại sau giây lát.',
	'media.conference.notFound': 'Không tìm thấy hội nghị trực tuyến.',
	'media.conference.ended': 'Hội nghị trực tuyến đã kết thúc.',
	'media.conference.sittingOfOtherCouncil': 'Kỳ họp được liên kết phải là kỳ họp của hội đồng tổ chức hội nghị.',
	'media.conference.unknownSites': 'Mã điểm cầu không hợp lệ: {codes}.',
	'media.conference.siteNotInvited': 'Điểm cầu này không được mời dự hội nghị.',
	'media.conference.noRole': 'Vai trò của bạn không được tham gia phòng họp trực tuyến này.',
	'media.conference.siteOffline': 'Điểm cầu {code} chưa vào phòng họp trực tuyến.'
};

export const en: Texts = {
	'media.disabled': 'Video conferencing is not configured.',
	'media.error.NOT_CONFIGURED': 'Video conferencing is not configured.',
	'media.error.UNREACHABLE':
		'Cannot reach the video server. The sitting and voting continue normally.',
	'media.error.UNAUTHORIZED': 'The video server rejected the API key. Please contact the system administrator.',
	'media.error.NOT_FOUND': 'The video room or site was not found (it may have left).',
	'media.error.INVALID_ARGUMENT': 'Invalid video request.',
	'media.error.SERVER_ERROR': 'The video server reported an error. Please try again shortly.',
	'media.conference.notFound': 'Video conference not found.',
	'media.conference.ended': 'The video conference has ended.',
	'media.conference.sittingOfOtherCouncil': 'The linked sitting must belong to the council organising the conference.',
	'media.conference.unknownSites': 'Unknown site codes: {codes}.',
	'media.conference.siteNotInvited': 'This site is not invited to the conference.',
	'media.conference.noRole': 'Your role may not join this video room.',
	'media.conference.siteOffline': 'Site {code} has not joined the video room.'
};
