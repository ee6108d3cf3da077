/** The app's public addresses that go into what it signs: printed QR codes and certificates' CRL distribution points. */

/** The public base URL: ORIGIN when set, else the local server. */
export function publicOrigin(): string {
	return (process.env.ORIGIN ?? `http://localhost:${process.env.PORT ?? 3000}`).replace(/\/+$/, '');
}

/** Where a council CA's revocation list is published (GET /api/verify/crl/{councilId}.crl), as its certificates name it. */
export function crlUrl(councilId: string): string {
	return `${publicOrigin()}/api/verify/crl/${councilId}.crl`;
}
