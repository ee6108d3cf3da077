import { certificateToDer } from '../../../../signing/index';
import { addDocumentTimestamp } from '../../../../signing/doc-timestamp';
import { addDss, cmsCertificates, signatureContents } from '../../../../signing/dss';
import type { TimestampAuthority } from '../../../../signing/tsa';
import type { Trx } from '../sittings/events';
import { councilCrl } from './crl';

/**
 * What the issued resolution gets after the clerk's seal, each in its own incremental update:
 * - PAdES B-LT: a DSS with every certificate of both signers' chains and of the TSA, and the current CRLs of the CAs
 *   that issued them (the council's, and the city's for the TSA), so it validates without reaching this server;
 * - PAdES B-LTA: a document timestamp from the city TSA over the whole file, DSS included, which fixes when that
 *   validation data existed.
 */
export async function extendToLongTerm(
	trx: Trx,
	pdf: Uint8Array,
	opts: {
		councilId: string;
		tsa: TimestampAuthority;
		timestamp: (imprint: Uint8Array) => Promise<Uint8Array>;
		now: Date;
	}
): Promise<Uint8Array> {
	const signed = (await signatureContents(pdf)).flatMap(cmsCertificates);
	const tsaCerts = [opts.tsa.certificate, ...opts.tsa.chain].map((c) => certificateToDer(c));
	// The TSA's CA is a council's CA (the city's); its row tells which council's CRL covers the TSA certificate.
	const tsaIssuer = await trx.selectFrom('council_cas').select('council_id').where('certificate', '=', tsaCerts.at(-1)!).executeTakeFirst();
	const councils = [...new Set([opts.councilId, ...(tsaIssuer ? [tsaIssuer.council_id] : [])])];
	const crls: Uint8Array[] = [];
	for (const id of councils) {
		const crl = await councilCrl(trx, id, opts.now);
		if (crl) crls.push(crl);
	}
	const withDss = await addDss(pdf, { certs: [...signed, ...tsaCerts], crls });
	return addDocumentTimestamp(withDss, { timestamp: opts.timestamp });
}
