import type { DomainError, DomainErrorCode } from './errors';

// Vietnamese first: every text a person reads exists in vi; en is the second locale.
// Placeholders are {name}; messageFor() fills them from DomainError.params.
export type LabelKey =
	| 'passRule.majority'
	| 'passRule.majority.counted'
	| 'passRule.two_thirds'
	| 'passRule.two_thirds.counted'
	| 'passRule.fraction'
	| 'passRule.fraction.counted'
	| 'passRule.fraction_strict'
	| 'passRule.fraction_strict.counted'
	| 'quorum.met'
	| 'quorum.notMet'
	| 'result.passed'
	| 'result.failed'
	| 'choice.yes'
	| 'choice.no'
	| 'choice.abstain'
	| 'tally.notVoted'
	| 'participation.counted'
	| 'election.elected'
	| 'election.notElected'
	| 'election.tieUnresolved'
	| 'rating.high'
	| 'rating.confidence'
	| 'rating.low'
	| 'sittingStatus.draft'
	| 'sittingStatus.convened'
	| 'sittingStatus.in_progress'
	| 'sittingStatus.closed'
	| 'voteStatus.open'
	| 'voteStatus.closed'
	| 'voteStatus.void'
	| 'floorKind.speech'
	| 'floorKind.question'
	| 'floorKind.point_of_order';

export type MessageKey = DomainErrorCode | LabelKey;
export type Locale = 'vi' | 'en';

export const vi: Record<MessageKey, string> = {
	INVALID_NUMBER: 'Giá trị số không hợp lệ ({field} = {value}).',
	INVALID_FRACTION:
		'Tỉ lệ không hợp lệ ({num}/{den}): tử số và mẫu số phải là số nguyên dương, tử số không lớn hơn mẫu số.',
	INVALID_PASS_RULE: 'Quy tắc thông qua không hợp lệ.',
	PRESENT_EXCEEDS_SEATED: 'Số đại biểu có mặt ({present}) vượt quá tổng số đại biểu ({seated}).',
	VOTES_EXCEED_SEATED: 'Số phiếu ({votes}) vượt quá tổng số đại biểu ({seated}).',
	BALLOTS_EXCEED_PRESENT: 'Số phiếu ({cast}) vượt quá số đại biểu có mặt ({present}).',
	QUORUM_NOT_MET:
		'Chưa đủ số đại biểu tham dự theo quy định ({present}/{seated}, cần tối thiểu {required}).',
	INVALID_BALLOT_SPEC: 'Cấu hình lá phiếu không hợp lệ.',
	INVALID_CHOICE: 'Phiếu biểu quyết không hợp lệ.',
	ELECTION_DUPLICATE_CANDIDATE: 'Mỗi phiếu chỉ được chọn ông/bà {candidate} một lần.',
	ELECTION_UNKNOWN_CANDIDATE: 'Phiếu bầu có người không thuộc danh sách ứng cử viên.',
	ELECTION_TOO_MANY_CHOICES:
		'Mỗi phiếu chỉ được chọn tối đa {max} người (phiếu đang chọn {count} người).',
	CONFIDENCE_INCOMPLETE:
		'Phiếu tín nhiệm chưa đánh giá ông/bà {person}; cần đánh giá tất cả những người được lấy phiếu.',
	CONFIDENCE_UNKNOWN_PERSON: 'Phiếu tín nhiệm có người không thuộc danh sách lấy phiếu tín nhiệm.',
	CONFIDENCE_INVALID_RATING:
		'Mức đánh giá đối với ông/bà {person} không hợp lệ; chỉ được chọn tín nhiệm cao, tín nhiệm hoặc tín nhiệm thấp.',
	ILLEGAL_TRANSITION: 'Không thể chuyển kỳ họp từ trạng thái “{from}” sang “{to}”.',
	ILLEGAL_VOTE_TRANSITION: 'Không thể chuyển biểu quyết từ trạng thái “{from}” sang “{to}”.',
	SITTING_NOT_IN_PROGRESS: 'Chỉ được mở biểu quyết khi kỳ họp đang diễn ra.',
	VOTE_ALREADY_OPEN:
		'Đang có một nội dung biểu quyết chưa kết thúc; cần kết thúc trước khi mở biểu quyết mới.',
	VOTE_CLOSED: 'Biểu quyết đã kết thúc, không thể bỏ phiếu.',
	NOT_A_DELEGATE: 'Chỉ đại biểu Hội đồng nhân dân của đơn vị này mới được biểu quyết.',
	NOT_CHECKED_IN: 'Đại biểu cần điểm danh trước khi biểu quyết.',
	ALREADY_VOTED: 'Đại biểu đã biểu quyết nội dung này; mỗi đại biểu chỉ biểu quyết một lần.',
	FLOOR_REQUEST_NOT_FOUND: 'Không tìm thấy lượt đăng ký phát biểu.',
	FLOOR_POINT_OF_ORDER_FIXED:
		'Ý kiến về thủ tục luôn được ưu tiên theo thứ tự đăng ký, không thể thay đổi vị trí.',

	'passRule.majority': 'Quá nửa tổng số đại biểu',
	'passRule.majority.counted': 'Quá nửa tổng số đại biểu ({required}/{seated})',
	'passRule.two_thirds': 'Ít nhất hai phần ba tổng số đại biểu',
	'passRule.two_thirds.counted': 'Ít nhất hai phần ba tổng số đại biểu ({required}/{seated})',
	'passRule.fraction': 'Ít nhất {num}/{den} tổng số đại biểu',
	'passRule.fraction.counted': 'Ít nhất {num}/{den} tổng số đại biểu ({required}/{seated})',
	'passRule.fraction_strict': 'Trên {num}/{den} tổng số đại biểu',
	'passRule.fraction_strict.counted': 'Trên {num}/{den} tổng số đại biểu ({required}/{seated})',
	'quorum.met': 'Đủ số đại biểu tham dự ({present}/{seated}, cần tối thiểu {required}).',
	'quorum.notMet': 'Chưa đủ số đại biểu tham dự ({present}/{seated}, cần tối thiểu {required}).',
	'result.passed': 'Thông qua',
	'result.failed': 'Không thông qua',
	'choice.yes': 'Tán thành',
	'choice.no': 'Không tán thành',
	'choice.abstain': 'Không biểu quyết',
	'tally.notVoted': 'Không tham gia biểu quyết',
	'participation.counted': 'Đã biểu quyết: {voted}/{present} đại biểu có mặt',
	'election.elected': 'Trúng cử',
	'election.notElected': 'Không trúng cử',
	'election.tieUnresolved': 'Số phiếu bằng nhau, cần bầu lại',
	'rating.high': 'Tín nhiệm cao',
	'rating.confidence': 'Tín nhiệm',
	'rating.low': 'Tín nhiệm thấp',
	'sittingStatus.draft': 'Dự thảo',
	'sittingStatus.convened': 'Đã triệu tập',
	'sittingStatus.in_progress': 'Đang họp',
	'sittingStatus.closed': 'Đã bế mạc',
	'voteStatus.open': 'Đang biểu quyết',
	'voteStatus.closed': 'Đã kết thúc',
	'voteStatus.void': 'Đã hủy',
	'floorKind.speech': 'Phát biểu',
	'floorKind.question': 'Chất vấn',
	'floorKind.point_of_order': 'Ý kiến về thủ tục'
};

export const en: Record<MessageKey, string> = {
	INVALID_NUMBER: 'Invalid number ({field} = {value}).',
	INVALID_FRACTION:
		'Invalid fraction ({num}/{den}): both must be positive integers and the numerator may not exceed the denominator.',
	INVALID_PASS_RULE: 'Invalid pass rule.',
	PRESENT_EXCEEDS_SEATED: 'Delegates present ({present}) exceed the seated delegates ({seated}).',
	VOTES_EXCEED_SEATED: 'Votes ({votes}) exceed the seated delegates ({seated}).',
	BALLOTS_EXCEED_PRESENT: 'Ballots ({cast}) exceed the delegates present ({present}).',
	QUORUM_NOT_MET: 'Quorum not met ({present}/{seated}, at least {required} required).',
	INVALID_BALLOT_SPEC: 'Invalid ballot configuration.',
	INVALID_CHOICE: 'Invalid ballot.',
	ELECTION_DUPLICATE_CANDIDATE: 'A ballot may choose {candidate} only once.',
	ELECTION_UNKNOWN_CANDIDATE: 'The ballot names someone who is not a candidate.',
	ELECTION_TOO_MANY_CHOICES: 'A ballot may choose at most {max} people (this one chooses {count}).',
	CONFIDENCE_INCOMPLETE: 'The ballot does not rate {person}; every person must be rated.',
	CONFIDENCE_UNKNOWN_PERSON: 'The ballot rates someone who is not on the confidence list.',
	CONFIDENCE_INVALID_RATING:
		'Invalid rating for {person}; choose high confidence, confidence or low confidence.',
	ILLEGAL_TRANSITION: 'A sitting cannot move from “{from}” to “{to}”.',
	ILLEGAL_VOTE_TRANSITION: 'A vote cannot move from “{from}” to “{to}”.',
	SITTING_NOT_IN_PROGRESS: 'A vote can only be opened while the sitting is in progress.',
	VOTE_ALREADY_OPEN: 'Another vote is still open; close it before opening a new one.',
	VOTE_CLOSED: 'The vote is closed.',
	NOT_A_DELEGATE: 'Only delegates of this council may vote.',
	NOT_CHECKED_IN: 'Check in before voting.',
	ALREADY_VOTED: 'You have already voted on this item; each delegate votes once.',
	FLOOR_REQUEST_NOT_FOUND: 'Floor request not found.',
	FLOOR_POINT_OF_ORDER_FIXED:
		'Points of order always come first in the order they were raised and cannot be moved.',

	'passRule.majority': 'More than half of all seated delegates',
	'passRule.majority.counted': 'More than half of all seated delegates ({required}/{seated})',
	'passRule.two_thirds': 'At least two thirds of all seated delegates',
	'passRule.two_thirds.counted':
		'At least two thirds of all seated delegates ({required}/{seated})',
	'passRule.fraction': 'At least {num}/{den} of all seated delegates',
	'passRule.fraction.counted': 'At least {num}/{den} of all seated delegates ({required}/{seated})',
	'passRule.fraction_strict': 'More than {num}/{den} of all seated delegates',
	'passRule.fraction_strict.counted':
		'More than {num}/{den} of all seated delegates ({required}/{seated})',
	'quorum.met': 'Quorum met ({present}/{seated}, at least {required} required).',
	'quorum.notMet': 'Quorum not met ({present}/{seated}, at least {required} required).',
	'result.passed': 'Passed',
	'result.failed': 'Not passed',
	'choice.yes': 'Yes',
	'choice.no': 'No',
	'choice.abstain': 'Abstain',
	'tally.notVoted': 'Did not vote',
	'participation.counted': 'Voted: {voted}/{present} delegates present',
	'election.elected': 'Elected',
	'election.notElected': 'Not elected',
	'election.tieUnresolved': 'Tied; a new round is needed',
	'rating.high': 'High confidence',
	'rating.confidence': 'Confidence',
	'rating.low': 'Low confidence',
	'sittingStatus.draft': 'Draft',
	'sittingStatus.convened': 'Convened',
	'sittingStatus.in_progress': 'In session',
	'sittingStatus.closed': 'Closed',
	'voteStatus.open': 'Open',
	'voteStatus.closed': 'Closed',
	'voteStatus.void': 'Void',
	'floorKind.speech': 'Speech',
	'floorKind.question': 'Question',
	'floorKind.point_of_order': 'Point of order'
};

export const messages: Record<Locale, Record<MessageKey, string>> = { vi, en };

/** Fills {name} placeholders; an unknown placeholder is left visible so a missing param is noticed. */
export function formatMessage(
	locale: Locale,
	key: MessageKey,
	params: Record<string, string | number> = {}
): string {
	return messages[locale][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
		Object.hasOwn(params, name) ? String(params[name]) : whole
	);
}

// Status codes inside params are shown by their label ("Đang họp"), not their code ("in_progress").
const PARAM_LABELS: Partial<Record<DomainErrorCode, Record<string, string>>> = {
	ILLEGAL_TRANSITION: { from: 'sittingStatus.', to: 'sittingStatus.' },
	ILLEGAL_VOTE_TRANSITION: { from: 'voteStatus.', to: 'voteStatus.' }
};

export function messageFor(err: DomainError, locale: Locale = 'vi'): string {
	const params: Record<string, string | number> = { ...err.params };
	// validateChoice() reports every rejection as INVALID_CHOICE; the specific reason says more.
	const reason = params.reason;
	const key: MessageKey =
		err.code === 'INVALID_CHOICE' &&
		typeof reason === 'string' &&
		Object.hasOwn(messages[locale], reason)
			? (reason as MessageKey)
			: err.code;
	for (const [name, prefix] of Object.entries(PARAM_LABELS[err.code] ?? {})) {
		const labelKey = `${prefix}${String(params[name])}`;
		if (Object.hasOwn(messages[locale], labelKey))
			params[name] = messages[locale][labelKey as MessageKey];
	}
	return formatMessage(locale, key, params);
}
