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
	generateRsaKeyPairAsync,
	issuePersonCertificate,
	issueCertificateForKey,
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
export { toPkcs12, fromPkcs12, openStoredPkcs12, importExternalPkcs12 } from './pkcs12.js';
export { sealKey, openKey, KEY_STORE_ITERATIONS } from './key-store.js';
export { signPdf, type SignPdfOptions } from './pades.js';
export { keySigner, signChecked, SIGNER_KINDS, type Signer, type SignerKind } from './signer.js';
export { openRemoteSigner, REMOTE_SIGNER_DEFAULTS, type RemoteSignerConfig } from './signer-remote.js';
export { verifyPdf, type VerifyOptions, type VerifyResult, type SignatureReport, type CertificateInfo } from './verify.js';
export { vnDateLine, vnDateTime, pdfDateVn } from './vn-time.js';
