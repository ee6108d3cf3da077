/**
 * Human-readable texts for error codes and verification problems.
 * Vietnamese first (the UI language), English as the second locale. Keep the keys in sync with
 * `errors.ts` and `VERIFY_PROBLEM_CODES`; the `Record<…>` types make a missing text a type error.
 */
import type { SigningErrorCode } from './errors.js';

export const VERIFY_PROBLEM_CODES = [
	'DIGEST_MISMATCH',
	'SIGNATURE_INVALID',
	'CONTENT_TYPE_MISMATCH',
	'SIGNING_CERT_ATTR_MISSING',
	'SIGNING_CERT_ATTR_MISMATCH',
	'SIGNING_TIME_ATTR_PRESENT',
	'UNSUPPORTED_ALGORITHM',
	'SIGNER_CERT_NOT_FOUND',
	'CHAIN_UNTRUSTED',
	'CERT_EXPIRED_AT_SIGNING',
	'CERT_NOT_YET_VALID_AT_SIGNING',
	'CERT_REVOKED',
	'MODIFIED_AFTER_SIGNING',
	'TIMESTAMP_INVALID',
	'TIMESTAMP_UNTRUSTED',
	'DOC_TIMESTAMP_INVALID',
	'DOC_TIMESTAMP_UNTRUSTED'
] as const;

export type VerifyProblemCode = (typeof VERIFY_PROBLEM_CODES)[number];

const vi: Record<SigningErrorCode, string> = {
	WRONG_PASSPHRASE: 'Mật khẩu chứng thư số không đúng.',
	INVALID_PKCS12: 'Tệp chứng thư số (.p12/.pfx) không hợp lệ hoặc bị hỏng.',
	KEY_CERT_MISMATCH: 'Khóa bí mật không khớp với chứng thư số.',
	UNSUPPORTED_KEY: 'Loại khóa không được hỗ trợ (cần khóa RSA từ 2048 bit trở lên).',
	CERT_EXPIRED: 'Chứng thư số đã hết hạn.',
	CERT_NOT_YET_VALID: 'Chứng thư số chưa đến thời điểm có hiệu lực.',
	CERT_REVOKED: 'Chứng thư số đã bị thu hồi.',
	CERT_UNSUITABLE: 'Chứng thư số không được phép dùng để ký văn bản.',
	INVALID_DOCUMENT: 'Dữ liệu nghị quyết chưa đầy đủ hoặc không hợp lệ.',
	NOT_A_PDF: 'Tệp không phải là tài liệu PDF.',
	PDF_TOO_LARGE: 'Tệp PDF vượt quá dung lượng cho phép.',
	TRUNCATED_PDF: 'Tệp PDF bị cắt cụt (thiếu phần cuối tệp).',
	MALFORMED_PDF: 'Cấu trúc tệp PDF bị lỗi.',
	ENCRYPTED_PDF: 'Tệp PDF được mã hóa; không thể ký hoặc xác minh.',
	MALFORMED_SIGNATURE: 'Chữ ký số trong tệp có cấu trúc không hợp lệ.',
	TOO_MANY_SIGNATURES: 'Tệp chứa quá nhiều chữ ký số.',
	FIELD_NOT_FOUND: 'Không tìm thấy ô chữ ký cần ký trong văn bản.',
	FIELD_ALREADY_SIGNED: 'Ô chữ ký này đã được ký.',
	SIGNATURE_TOO_LARGE: 'Chữ ký số vượt quá chỗ dành sẵn trong tệp.',
	TIMESTAMP_FAILED: 'Không lấy được dấu thời gian cho chữ ký từ máy chủ cấp dấu thời gian.',
	SIGNER_BAD_SIGNATURE: 'Chữ ký do thiết bị hoặc dịch vụ ký trả về không khớp với chứng thư số; văn bản không được ký.',
	WRONG_PIN: 'Mã PIN của thiết bị ký số (token) không đúng.',
	PIN_LOCKED: 'Mã PIN của thiết bị ký số (token) đã bị khóa do nhập sai nhiều lần; liên hệ bộ phận quản trị để mở khóa.',
	TOKEN_NOT_FOUND: 'Không tìm thấy thiết bị ký số (token) hoặc khóa ký trên thiết bị.',
	TOKEN_FAILED: 'Thiết bị ký số (token) báo lỗi khi ký.',
	REMOTE_SIGNER_UNAVAILABLE: 'Không kết nối được dịch vụ ký số từ xa (lỗi mạng hoặc quá thời gian chờ).',
	REMOTE_SIGNER_REFUSED: 'Dịch vụ ký số từ xa từ chối yêu cầu ký.',
	REMOTE_SIGNER_INVALID: 'Dịch vụ ký số từ xa trả lời không đúng định dạng.'
};

const en: Record<SigningErrorCode, string> = {
	WRONG_PASSPHRASE: 'The certificate passphrase is wrong.',
	INVALID_PKCS12: 'The certificate file (.p12/.pfx) is invalid or damaged.',
	KEY_CERT_MISMATCH: 'The private key does not match the certificate.',
	UNSUPPORTED_KEY: 'Unsupported key type (an RSA key of at least 2048 bits is required).',
	CERT_EXPIRED: 'The certificate has expired.',
	CERT_NOT_YET_VALID: 'The certificate is not valid yet.',
	CERT_REVOKED: 'The certificate has been revoked.',
	CERT_UNSUITABLE: 'The certificate may not be used to sign documents.',
	INVALID_DOCUMENT: 'The resolution data is incomplete or invalid.',
	NOT_A_PDF: 'The file is not a PDF document.',
	PDF_TOO_LARGE: 'The PDF file exceeds the allowed size.',
	TRUNCATED_PDF: 'The PDF file is truncated.',
	MALFORMED_PDF: 'The PDF file structure is broken.',
	ENCRYPTED_PDF: 'The PDF is encrypted; it cannot be signed or verified.',
	MALFORMED_SIGNATURE: 'A digital signature in the file is malformed.',
	TOO_MANY_SIGNATURES: 'The file contains too many signatures.',
	FIELD_NOT_FOUND: 'The signature field to sign was not found in the document.',
	FIELD_ALREADY_SIGNED: 'This signature field has already been signed.',
	SIGNATURE_TOO_LARGE: 'The signature does not fit in the space reserved in the file.',
	TIMESTAMP_FAILED: 'No timestamp could be obtained for the signature from the timestamp authority.',
	SIGNER_BAD_SIGNATURE: 'The signature returned by the token or signing service does not match the certificate; nothing was signed.',
	WRONG_PIN: 'The PIN of the signing token is wrong.',
	PIN_LOCKED: 'The PIN of the signing token is locked after too many wrong attempts; ask an administrator to unlock it.',
	TOKEN_NOT_FOUND: 'The signing token or the signing key on it was not found.',
	TOKEN_FAILED: 'The signing token reported an error while signing.',
	REMOTE_SIGNER_UNAVAILABLE: 'The remote signing service could not be reached (network error or timeout).',
	REMOTE_SIGNER_REFUSED: 'The remote signing service refused to sign.',
	REMOTE_SIGNER_INVALID: 'The remote signing service answered in an invalid format.'
};

export const messages = { vi, en } as const;

export const problemMessages: {
	vi: Record<VerifyProblemCode, string>;
	en: Record<VerifyProblemCode, string>;
} = {
	vi: {
		DIGEST_MISMATCH: 'Nội dung được ký đã bị thay đổi sau khi ký (mã băm không khớp).',
		SIGNATURE_INVALID: 'Giá trị chữ ký không hợp lệ.',
		CONTENT_TYPE_MISMATCH: 'Thuộc tính loại nội dung (content-type) không đúng.',
		SIGNING_CERT_ATTR_MISSING: 'Thiếu thuộc tính chứng thư ký (signing-certificate-v2) theo chuẩn PAdES.',
		SIGNING_CERT_ATTR_MISMATCH: 'Thuộc tính chứng thư ký không khớp với chứng thư của người ký.',
		SIGNING_TIME_ATTR_PRESENT: 'Chữ ký chứa thuộc tính signing-time, không đúng chuẩn PAdES B-B.',
		UNSUPPORTED_ALGORITHM: 'Thuật toán băm hoặc ký không được hỗ trợ.',
		SIGNER_CERT_NOT_FOUND: 'Không tìm thấy chứng thư số của người ký trong chữ ký.',
		CHAIN_UNTRUSTED: 'Chứng thư số không được cấp bởi tổ chức chứng thực tin cậy.',
		CERT_EXPIRED_AT_SIGNING: 'Chứng thư số đã hết hạn tại thời điểm ký.',
		CERT_NOT_YET_VALID_AT_SIGNING: 'Chứng thư số chưa có hiệu lực tại thời điểm ký.',
		CERT_REVOKED: 'Chứng thư số của người ký đã bị thu hồi.',
		MODIFIED_AFTER_SIGNING: 'Văn bản đã bị sửa đổi sau khi ký: nội dung hiển thị không còn đúng như lúc ký.',
		TIMESTAMP_INVALID: 'Dấu thời gian của chữ ký không hợp lệ (bị sửa, hỏng hoặc không phải của chữ ký này); thời điểm ký chỉ là thời điểm người ký tự ghi.',
		TIMESTAMP_UNTRUSTED: 'Dấu thời gian của chữ ký không do máy chủ cấp dấu thời gian tin cậy cấp; thời điểm ký chỉ là thời điểm người ký tự ghi.',
		DOC_TIMESTAMP_INVALID: 'Dấu thời gian của văn bản không hợp lệ (bị sửa, hỏng hoặc không khớp với nội dung tệp).',
		DOC_TIMESTAMP_UNTRUSTED: 'Dấu thời gian của văn bản không do máy chủ cấp dấu thời gian tin cậy cấp.'
	},
	en: {
		DIGEST_MISMATCH: 'The signed content was changed after signing (digest mismatch).',
		SIGNATURE_INVALID: 'The signature value is invalid.',
		CONTENT_TYPE_MISMATCH: 'The content-type attribute is wrong.',
		SIGNING_CERT_ATTR_MISSING: 'The PAdES signing-certificate-v2 attribute is missing.',
		SIGNING_CERT_ATTR_MISMATCH: 'The signing-certificate attribute does not match the signer certificate.',
		SIGNING_TIME_ATTR_PRESENT: 'The signature has a signing-time attribute, which PAdES B-B forbids.',
		UNSUPPORTED_ALGORITHM: 'Unsupported digest or signature algorithm.',
		SIGNER_CERT_NOT_FOUND: 'The signer certificate is not in the signature.',
		CHAIN_UNTRUSTED: 'The certificate does not chain to a trusted root.',
		CERT_EXPIRED_AT_SIGNING: 'The certificate had expired at signing time.',
		CERT_NOT_YET_VALID_AT_SIGNING: 'The certificate was not yet valid at signing time.',
		CERT_REVOKED: 'The signer certificate has been revoked.',
		MODIFIED_AFTER_SIGNING: 'The document was modified after signing: what it shows is no longer what was signed.',
		TIMESTAMP_INVALID: "The signature's timestamp is invalid (altered, damaged or not for this signature); the signing time is only the signer's own claim.",
		TIMESTAMP_UNTRUSTED: "The signature's timestamp was not issued by a trusted timestamp authority; the signing time is only the signer's own claim.",
		DOC_TIMESTAMP_INVALID: "The document's timestamp is invalid (altered, damaged or not of this file's content).",
		DOC_TIMESTAMP_UNTRUSTED: "The document's timestamp was not issued by a trusted timestamp authority."
	}
};

/** What a disallowed change after signing touched (modifications.ts ModificationKind). */
export const modificationKindMessages = {
	vi: {
		'page-content': 'nội dung trang',
		annotation: 'chú thích hoặc hình vẽ chồng lên trang',
		page: 'thuộc tính trang',
		pages: 'danh sách trang (thêm hoặc bớt trang)',
		font: 'phông chữ',
		'form-field': 'ô biểu mẫu',
		signature: 'chữ ký đã có',
		catalog: 'cấu trúc văn bản',
		removed: 'đối tượng bị xóa',
		object: 'đối tượng khác'
	},
	en: {
		'page-content': 'page content',
		annotation: 'an annotation or drawing over the page',
		page: 'page properties',
		pages: 'the page list (pages added or removed)',
		font: 'a font',
		'form-field': 'a form field',
		signature: 'an existing signature',
		catalog: 'the document structure',
		removed: 'a removed object',
		object: 'another object'
	}
} as const;

/** The document verdict (verdict.ts), the first line of every report. {signers}, {revision} are filled in. */
export const verdictMessages = {
	vi: {
		VALID: 'Văn bản hợp lệ: do {signers} ký, chữ ký nguyên vẹn, không bị sửa đổi sau khi ký.',
		MODIFIED_AFTER_SIGNING: 'Văn bản đã bị sửa đổi sau khi ký (phiên bản {revision} của tệp): nội dung hiển thị không còn đúng như lúc ký. Không sử dụng bản này.',
		SIGNATURE_BROKEN: 'Chữ ký số không hợp lệ: nội dung được ký đã bị thay đổi hoặc chữ ký bị sai.',
		UNTRUSTED: 'Chữ ký nguyên vẹn nhưng chứng thư số không do tổ chức chứng thực tin cậy cấp.',
		NOT_STANDARD: 'Chữ ký nguyên vẹn nhưng chưa đạt chuẩn ở một số điểm (xem chi tiết bên dưới).',
		NO_SIGNATURES: 'Tệp không có chữ ký số.'
	},
	en: {
		VALID: 'Valid document: signed by {signers}, signatures intact, not modified after signing.',
		MODIFIED_AFTER_SIGNING: 'The document was modified after signing (revision {revision} of the file): what it shows is no longer what was signed. Do not rely on this copy.',
		SIGNATURE_BROKEN: 'A digital signature is invalid: the signed content was changed or the signature is wrong.',
		UNTRUSTED: 'The signatures are intact, but a certificate was not issued by a trusted certification authority.',
		NOT_STANDARD: 'The signatures are intact but fall short of the standard on some points (see the details below).',
		NO_SIGNATURES: 'The file has no digital signature.'
	}
} as const;
