import { z } from 'zod';
import { hasCityRole } from '../../auth/current-user';
import { MIN_KEY_PASSPHRASE_LENGTH, importCertificate } from '../../resolutions/pki';
import { setSigner, signerSettings } from '../../resolutions/signers';
import { passedVotes } from '../../resolutions/adoptable-votes';
import {
	adoptResolution,
	councilOfItem,
	draftResolution,
	getResolution,
	latestPdf,
	listResolutions,
	previewResolution,
	resolutionTasks,
	signResolution,
	updateResolution
} from '../../resolutions/service';
import { AppError, forbidden, unauthorized } from '../../errors';
import { router } from '../init';
import { READERS, checkCouncilAccess, type CouncilResolver } from '../../auth/council-access';
import { authedProcedure, byCouncilId, publicProcedure, requireCouncilRole } from '../procedures';

const byItemId: CouncilResolver = (ctx, input) => {
	const id = (input as { itemId?: string }).itemId;
	return id ? councilOfItem(ctx.db, id) : null;
};

const byResolutionId: CouncilResolver = async (ctx, input) => {
	const id = (input as { resolutionId?: string }).resolutionId;
	if (!id) return null;
	return (await ctx.db.selectFrom('resolutions').select('council_id').where('id', '=', id).executeTakeFirst())?.council_id ?? null;
};

const text = (max: number) => z.string().trim().min(1).max(max);
const body = z.object({
	legalBases: z.array(text(2000)).max(50),
	articles: z.array(z.object({ title: text(500).optional(), paragraphs: z.array(text(10_000)).min(1).max(100) })).min(1).max(100),
	// The renderer prints at most 25 under "Nơi nhận" (signing/render.ts): more is refused here, at drafting, not at adoption.
	recipients: z.array(text(500)).max(25)
});
const passphrase = z.string().min(1).max(200);
/** The chair's passphrase or token PIN; empty when they sign through a remote service (its token is stored). */
const signSecret = z.string().max(200).default('');
/** A PKCS#11 label: printable, as a token stores it (at most 32 bytes, CK_TOKEN_INFO). */
const p11Label = z
	.string()
	.trim()
	.min(1)
	.max(32)
	.regex(/^[A-Za-z0-9 ._-]+$/);
const signerInput = z.discriminatedUnion('method', [
	z.object({ method: z.literal('server') }),
	z.object({ method: z.literal('pkcs11'), councilId: z.uuid(), tokenLabel: p11Label, keyLabel: p11Label, pin: z.string().min(4).max(64), generateKey: z.boolean().default(false) }),
	// A bearer token as RFC 6750 §2.1 spells one (b64token): it goes into an HTTP header as it is.
	z.object({ method: z.literal('remote'), remoteToken: z.string().trim().min(16).max(2000).regex(/^[A-Za-z0-9\-._~+/]+=*$/) })
]);
const draftInput = z.object({ itemId: z.uuid(), title: text(1000), body });

const DRAFTERS = { roles: ['secretary', 'chair'] } as const;

export const resolutionRouter = router({
	draft: authedProcedure
		.input(draftInput)
		.use(requireCouncilRole(byItemId, DRAFTERS))
		.mutation(({ ctx, input }) => draftResolution(ctx.db, { ...input, createdBy: ctx.user.id })),

	/**
	 * The draft as it would print (marked "DỰ THẢO", no number), from the editor's current text: nothing is
	 * stored. A mutation only because the text is too long for a query's URL. Served as a PDF by the
	 * POST /resolutions/preview.pdf route for the editor's frame.
	 */
	preview: authedProcedure
		.input(draftInput)
		.use(requireCouncilRole(byItemId, DRAFTERS))
		.mutation(async ({ ctx, input }) => {
			const pdf = await previewResolution(ctx.db, input);
			return { pdfBase64: Buffer.from(pdf).toString('base64') };
		}),

	/** What waits for the caller: drafts to adopt and resolutions to sign (chair), to seal (clerk). */
	todo: authedProcedure.query(({ ctx }) => resolutionTasks(ctx.db, ctx.user)),

	update: authedProcedure
		.input(z.object({ resolutionId: z.uuid(), title: text(1000).optional(), body: body.optional() }))
		.use(requireCouncilRole(byResolutionId, DRAFTERS))
		.mutation(({ ctx, input }) => updateResolution(ctx.db, input)),

	adopt: authedProcedure
		.input(z.object({ resolutionId: z.uuid(), voteId: z.uuid() }))
		.use(requireCouncilRole(byResolutionId, { roles: ['chair'] }))
		.mutation(({ ctx, input }) => adoptResolution(ctx.db, { ...input, userId: ctx.user.id })),

	sign: authedProcedure
		.input(z.object({ resolutionId: z.uuid(), passphrase: signSecret }))
		.use(requireCouncilRole(byResolutionId, { roles: ['chair'] }))
		.mutation(({ ctx, input }) => signResolution(ctx.db, { ...input, userId: ctx.user.id, kind: 'person' })),

	seal: authedProcedure
		.input(z.object({ resolutionId: z.uuid(), passphrase }))
		.use(requireCouncilRole(byResolutionId, { roles: ['clerk'] }))
		.mutation(({ ctx, input }) => signResolution(ctx.db, { ...input, userId: ctx.user.id, kind: 'organisation' })),

	get: authedProcedure
		.input(z.object({ resolutionId: z.uuid() }))
		.use(requireCouncilRole(byResolutionId, READERS))
		.query(({ ctx, input }) => getResolution(ctx.db, input.resolutionId)),

	list: authedProcedure
		.input(z.object({ councilId: z.uuid() }))
		.use(requireCouncilRole(byCouncilId, READERS))
		.query(({ ctx, input }) => listResolutions(ctx.db, input.councilId)),

	/** The council's closed votes that passed, newest first: what a draft can be adopted by (the resolutions page). */
	passedVotes: authedProcedure
		.input(z.object({ councilId: z.uuid() }))
		.use(requireCouncilRole(byCouncilId, READERS))
		.query(({ ctx, input }) => passedVotes(ctx.db, input.councilId)),

	/**
	 * The latest (most signed) revision as a PDF, for GET /resolutions/{id}.pdf: public once issued. Anything else —
	 * a draft, or an id that does not exist — gets the same answer until the caller proves to read that council
	 * (401, then 403, as requireCouncilRole), so drafts cannot be probed.
	 */
	pdf: publicProcedure.input(z.object({ resolutionId: z.uuid() })).query(async ({ ctx, input }) => {
		const found = await latestPdf(ctx.db, input.resolutionId);
		if (found?.status !== 'issued') {
			if (!ctx.user) throw unauthorized();
			if (!found) throw forbidden();
			checkCouncilAccess(ctx.user, found.council_id, READERS);
		}
		if (!found.revision) throw new AppError('NOT_FOUND', 'resolution.notFound');
		return { number: found.number, status: found.status, sha256: found.revision.sha256, pdfBase64: Buffer.from(found.revision.pdf).toString('base64') };
	}),

	/** How the caller signs (signers.ts): their choice, what the server offers, their token certificates. */
	signer: authedProcedure.query(({ ctx }) => signerSettings(ctx.db, ctx.user.id)),

	/**
	 * Sets how the caller signs, for themselves only. A token needs the caller to chair `councilId`, whose CA
	 * certifies the token's key.
	 */
	setSigner: authedProcedure.input(signerInput).mutation(({ ctx, input }) => {
		if (input.method === 'pkcs11') checkCouncilAccess(ctx.user, input.councilId, { roles: ['chair'] });
		return setSigner(ctx.db, ctx.user.id, input);
	}),

	/** Imports a certificate (.p12/.pfx, base64) for oneself, or for anyone as admin. Chair → personal; clerk → organisation. */
	importCertificate: authedProcedure
		.input(
			z.object({
				councilId: z.uuid(),
				userId: z.uuid().optional(),
				kind: z.enum(['person', 'organisation']).default('person'),
				p12Base64: z.string().min(1).max(200_000),
				/** The file's passphrase. */
				passphrase,
				/** The passphrase to store the key under, when not the file's own (which may be a short token PIN). */
				newPassphrase: z.string().min(MIN_KEY_PASSPHRASE_LENGTH).max(200).optional()
			})
		)
		.mutation(async ({ ctx, input }) => {
			const userId = input.userId ?? ctx.user.id;
			if (userId !== ctx.user.id && !hasCityRole(ctx.user, 'admin')) throw forbidden();
			if (userId === ctx.user.id) checkCouncilAccess(ctx.user, input.councilId, { roles: input.kind === 'organisation' ? ['clerk'] : ['chair'], cityRoles: ['admin'] });
			const p12 = Buffer.from(input.p12Base64, 'base64');
			if (p12.length === 0) throw new AppError('BAD_REQUEST', 'INVALID_PKCS12');
			return importCertificate(ctx.db, { userId, councilId: input.councilId, kind: input.kind, p12, passphrase: input.passphrase, newPassphrase: input.newPassphrase });
		})
});
