/** Public API of the signing library (resolutions: render, sign, verify; council CA). */
export { SigningError, isSigningError, SIGNING_ERROR_CODES, type SigningErrorCode } from './errors.js';
export { messages, modificationKindMessages, problemMessages, verdictMessages, VERIFY_PROBLEM_CODES, type VerifyProblemCode } from './messages.js';
export { documentVerdict, type Verdict, type VerdictCode } from './verdict.js';
export type { Modification, ModificationKind } from './modifications.js';
export {
	renderResolution,
	SIGNATURE_FIELDS,
	type ResolutionDocument,
	type ResolutionArticle,
	type RenderOptions,
	type SignatureFieldName
} from './render.js';
export {
	createRootCa,
	issuePersonCertificate,
	toPkcs12,
	PKCS12_ITERATIONS,
	fromPkcs12,
	importExternalPkcs12,
	checkCertificateUsable,
	certificateToPem,
	certificateToDer,
	certificateFromDer,
	toForgeCertificate,
	certificateSummary,
	normalizeSerial,
	type CertificateAuthority,
	type SigningIdentity,
	type RootCaOptions,
	type PersonCertificateOptions
} from './pki.js';
export { signPdf, type SignPdfOptions } from './pades.js';
export { verifyPdf, type VerifyOptions, type VerifyResult, type SignatureReport, type CertificateInfo } from './verify.js';
export { vnDateLine, vnDateTime, pdfDateVn } from './vn-time.js';
