/**
 * What an incremental update after a signature may change (the policy pyHanko calls form filling
 * plus long-term validation, ISO 32000-1 12.8.2.2 DocMDP P=2):
 * - a later signature: an empty signature field gets its /V, appearance and flags; or a new
 *   signature field that is invisible (a visible new one could paint over the text);
 * - the catalog's /AcroForm and /DSS, the form's /Fields (only appended signature fields) and
 *   /SigFlags, a page's /Annots (only appended widgets of those fields);
 * - long-term validation data (the /DSS and what hangs from it), the /Info dictionary and the XMP
 *   metadata, which no page displays.
 * Anything else — page content, annotations, pages, fonts and resources, other form fields, a freed
 * object — is a modification after signing, reported with the object and what it was.
 */
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFNumber, PDFRawStream, PDFRef, PDFString, type PDFObject } from 'pdf-lib';
import { changedObjects, sameValue, type ObjectChange, type Revision } from './revisions.js';

export type ModificationKind = 'page-content' | 'annotation' | 'page' | 'pages' | 'font' | 'form-field' | 'signature' | 'catalog' | 'removed' | 'object';

export interface Modification {
	objectNumber: number;
	kind: ModificationKind;
}

const N = (s: string) => PDFName.of(s);
const MAX_FIELDS = 10_000;
/** Keys a signature field or its widget may change when it is signed. */
const SIGNING_KEYS = new Set(['/V', '/AP', '/AS', '/F', '/Lock']);
const ANNOTATION_TYPES = new Set(['Text', 'FreeText', 'Square', 'Circle', 'Line', 'Polygon', 'PolyLine', 'Highlight', 'Underline', 'StrikeOut', 'Squiggly', 'Stamp', 'Ink', 'Link', 'Popup', 'Caret', 'FileAttachment', 'Redact', 'Watermark']);

/** Keys whose values differ between two dictionaries (compared as written, references as references). */
function changedKeys(a: PDFDict, b: PDFDict): string[] {
	const keys = new Set([...a.keys(), ...b.keys()]);
	return [...keys].filter((k) => !sameValue(a.get(k), b.get(k))).map(String);
}

const refList = (r: Revision, v: PDFObject | undefined): PDFObject[] => r.array(v)?.asArray() ?? [];

/** The entries appended to an array, or null when the earlier entries did not stay as they were. */
function appended(before: PDFObject[], after: PDFObject[]): PDFObject[] | null {
	if (after.length < before.length) return null;
	for (let i = 0; i < before.length; i++) if (!sameValue(before[i], after[i])) return null;
	return after.slice(before.length);
}

function inheritedFieldType(r: Revision, d: PDFDict): PDFObject | undefined {
	let cur: PDFDict | undefined = d;
	for (let depth = 0; cur && depth < 16; depth++) {
		const ft = cur.get(N('FT'));
		if (ft) return r.resolve(ft);
		cur = r.dict(cur.get(N('Parent')));
	}
	return undefined;
}

const isSignatureField = (r: Revision, d: PDFDict | undefined) => !!d && inheritedFieldType(r, d) === N('Sig');

function isInvisibleWidget(r: Revision, d: PDFDict): boolean {
	const flags = r.resolve(d.get(N('F')));
	if (flags instanceof PDFNumber && (flags.asNumber() & (2 | 32)) !== 0) return true; // Hidden or NoView
	const rect = refList(r, d.get(N('Rect'))).map((x) => {
		const v = r.resolve(x);
		return v instanceof PDFNumber ? v.asNumber() : NaN;
	});
	return rect.length === 4 && (Math.abs(rect[2] - rect[0]) < 1 || Math.abs(rect[3] - rect[1]) < 1);
}

/** Every field and widget object number reachable from the form, with its dictionary. */
function formObjects(r: Revision): Map<number, PDFDict> {
	const out = new Map<number, PDFDict>();
	const acroForm = r.dict(r.dict(r.rootRef)?.get(N('AcroForm')));
	const walk = (items: PDFObject[], depth: number) => {
		for (const ref of items) {
			if (!(ref instanceof PDFRef) || out.has(ref.objectNumber) || out.size >= MAX_FIELDS || depth > 16) continue;
			const d = r.dict(ref);
			if (!d) continue;
			out.set(ref.objectNumber, d);
			walk(refList(r, d.get(N('Kids'))), depth + 1);
		}
	};
	walk(refList(r, acroForm?.get(N('Fields'))), 0);
	return out;
}

function describe(o: PDFObject | undefined, pages: PageTree, n: number): ModificationKind {
	if (pages.contents.has(n)) return 'page-content';
	const d = o instanceof PDFDict ? o : o instanceof PDFRawStream ? o.dict : undefined;
	if (!d) return 'object';
	const type = d.get(N('Type'));
	const subtype = d.get(N('Subtype'));
	if (type === N('Page')) return 'page';
	if (type === N('Pages')) return 'pages';
	if (type === N('Catalog')) return 'catalog';
	if (type === N('Sig')) return 'signature';
	if (type === N('Font') || type === N('FontDescriptor') || d.has(N('Length1')) || subtype === N('FontFile3')) return 'font';
	if (d.has(N('FT')) || subtype === N('Widget')) return 'form-field';
	if (type === N('Annot') || (subtype instanceof PDFName && ANNOTATION_TYPES.has(subtype.decodeText()))) return 'annotation';
	return 'object';
}

interface PageTree {
	/** Content streams (and arrays of them) of every page. */
	contents: Set<number>;
	/** /Annots arrays kept as their own objects. */
	annotArrays: Set<number>;
}

/** Walks /Pages → /Kids (bounded) for what the review needs to recognise. */
function pageTree(r: Revision): PageTree {
	const tree: PageTree = { contents: new Set(), annotArrays: new Set() };
	const seen = new Set<number>();
	const walk = (ref: PDFObject | undefined, depth: number) => {
		if (!(ref instanceof PDFRef) || seen.has(ref.objectNumber) || depth > 32 || seen.size > 100_000) return;
		seen.add(ref.objectNumber);
		const node = r.dict(ref);
		if (!node) return;
		const contents = node.get(N('Contents'));
		if (contents instanceof PDFRef) tree.contents.add(contents.objectNumber);
		for (const c of refList(r, contents)) if (c instanceof PDFRef) tree.contents.add(c.objectNumber);
		const annots = node.get(N('Annots'));
		if (annots instanceof PDFRef) tree.annotArrays.add(annots.objectNumber);
		for (const kid of refList(r, node.get(N('Kids')))) walk(kid, depth + 1);
	};
	walk(r.dict(r.rootRef)?.get(N('Pages')), 0);
	return tree;
}

/** The same object number in the same role in both revisions, or a new object in `after`. */
const sameRoleOrNew = (before: Revision, was: PDFObject | undefined, now: PDFObject | undefined) =>
	now instanceof PDFRef && (!before.location(now.objectNumber) || (was instanceof PDFRef && was.objectNumber === now.objectNumber));

/**
 * Reviews everything that changed from `before` (a signed revision) to `after` (a later one).
 * `certification` is the DocMDP level of a certifying signature in or before `before`, if any:
 * at level 1 not even a later signature is allowed.
 */
export function reviewUpdate(before: Revision, after: Revision, certification?: number): Modification[] {
	const changes = changedObjects(before, after);
	if (changes.length === 0) return [];
	const byNumber = new Map<number, ObjectChange>(changes.map((c) => [c.objectNumber, c]));
	const justified = new Set<number>();
	const problems: Modification[] = [];
	const flag = (objectNumber: number, kind: ModificationKind) => {
		problems.push({ objectNumber, kind });
		justified.add(objectNumber); // reported once
	};
	const signingAllowed = certification !== 1;

	const rootBefore = before.rootRef;
	const rootAfter = after.rootRef;
	const catBefore = before.dict(rootBefore);
	const catAfter = after.dict(rootAfter);
	if (!rootBefore || !rootAfter || rootBefore.objectNumber !== rootAfter.objectNumber || !catBefore || !catAfter) {
		return [{ objectNumber: rootAfter?.objectNumber ?? 0, kind: 'catalog' }];
	}
	const catalogKeys = changedKeys(catBefore, catAfter);

	// Long-term validation data, document information and XMP metadata: no page displays them.
	const notDisplayed: [PDFObject | undefined, PDFObject | undefined][] = [
		[catBefore.get(N('DSS')), catAfter.get(N('DSS'))],
		[before.trailer.get(N('Info')), after.trailer.get(N('Info'))],
		[catBefore.get(N('Metadata')), catAfter.get(N('Metadata'))]
	];
	// A page's content stream is displayed whatever else refers to it (a crafted /Info naming it justifies nothing).
	const treeBefore = pageTree(before);
	for (const [was, now] of notDisplayed) {
		if (sameRoleOrNew(before, was, now) && !treeBefore.contents.has((now as PDFRef).objectNumber)) justified.add((now as PDFRef).objectNumber);
	}
	const dss = after.dict(catAfter.get(N('DSS')));
	for (const key of ['Certs', 'CRLs', 'OCSPs', 'VRI']) {
		const v = dss?.get(N(key));
		if (v instanceof PDFRef && !before.location(v.objectNumber)) justified.add(v.objectNumber);
	}

	// The form: the same fields in the same order; appended fields must be invisible signature fields.
	const formBefore = formObjects(before);
	const formAfter = formObjects(after);
	const afBefore = before.dict(catBefore.get(N('AcroForm')));
	const afAfter = after.dict(catAfter.get(N('AcroForm')));
	const newSignatureWidgets = new Set<number>();
	let formOk = !afBefore || !!afAfter;
	if (afAfter) {
		const keys = afBefore ? changedKeys(afBefore, afAfter).filter((k) => k !== '/Fields' && k !== '/SigFlags') : [];
		const added = appended(refList(before, afBefore?.get(N('Fields'))), refList(after, afAfter.get(N('Fields'))));
		if (keys.length > 0 || added === null) formOk = false;
		for (const ref of added ?? []) {
			const field = ref instanceof PDFRef && !before.location(ref.objectNumber) ? after.dict(ref) : undefined;
			const kids = refList(after, field?.get(N('Kids')));
			const widgets = field ? (kids.length > 0 ? kids : [ref]) : [];
			const ok =
				signingAllowed &&
				isSignatureField(after, field) &&
				widgets.every((w) => {
					const wd = after.dict(w);
					return w instanceof PDFRef && !before.location(w.objectNumber) && !!wd && isInvisibleWidget(after, wd);
				});
			if (ok) for (const w of widgets) newSignatureWidgets.add((w as PDFRef).objectNumber);
			else {
				formOk = false;
				if (ref instanceof PDFRef) flag(ref.objectNumber, 'form-field');
			}
		}
		const raw = catAfter.get(N('AcroForm'));
		const fieldsRaw = afAfter.get(N('Fields'));
		if (formOk && raw instanceof PDFRef && sameRoleOrNew(before, catBefore.get(N('AcroForm')), raw)) justified.add(raw.objectNumber);
		if (formOk && fieldsRaw instanceof PDFRef && sameRoleOrNew(before, afBefore?.get(N('Fields')), fieldsRaw)) justified.add(fieldsRaw.objectNumber);
	}
	if (byNumber.has(rootAfter.objectNumber)) {
		// /Extensions declares the PAdES extension level that comes with a /DSS.
		if (catalogKeys.every((k) => k === '/DSS' || k === '/Extensions' || (k === '/AcroForm' && formOk))) justified.add(rootAfter.objectNumber);
	}

	// A signature field signed in this update: only the signing keys change, and only once.
	for (const [n, dictAfter] of formAfter) {
		const dictBefore = formBefore.get(n);
		if (!byNumber.has(n) || !dictBefore || !signingAllowed || !isSignatureField(after, dictAfter)) continue;
		const parentBefore = before.dict(dictBefore.get(N('Parent')));
		const signedBefore = !!dictBefore.get(N('V')) || !!parentBefore?.get(N('V'));
		const v = dictAfter.get(N('V'));
		const freshValue = v === undefined || (v instanceof PDFRef && !before.location(v.objectNumber));
		if (!signedBefore && freshValue && changedKeys(dictBefore, dictAfter).every((k) => SIGNING_KEYS.has(k))) justified.add(n);
	}

	// Pages: only /Annots, and only appended widgets of new signature fields.
	const widgetsOnly = (added: PDFObject[] | null) => added !== null && added.every((a) => a instanceof PDFRef && newSignatureWidgets.has(a.objectNumber));
	const treeAfter = pageTree(after);
	for (const change of changes) {
		const { before: was, after: now } = change;
		if (justified.has(change.objectNumber)) continue;
		if (was instanceof PDFDict && now instanceof PDFDict && was.get(N('Type')) === N('Page')) {
			const keys = changedKeys(was, now);
			if (keys.some((k) => k !== '/Annots')) flag(change.objectNumber, keys.includes('/Contents') ? 'page-content' : 'page');
			else if (widgetsOnly(appended(refList(before, was.get(N('Annots'))), refList(after, now.get(N('Annots')))))) justified.add(change.objectNumber);
			else flag(change.objectNumber, 'annotation');
		} else if (was instanceof PDFArray && now instanceof PDFArray && treeAfter.annotArrays.has(change.objectNumber)) {
			if (widgetsOnly(appended(was.asArray(), now.asArray()))) justified.add(change.objectNumber);
			else flag(change.objectNumber, 'annotation');
		}
	}

	for (const change of changes) {
		if (justified.has(change.objectNumber)) continue;
		if (change.before === undefined) continue; // a new object matters only through what refers to it
		if (change.after === undefined) flag(change.objectNumber, 'removed');
		else flag(change.objectNumber, describe(change.before, treeBefore, change.objectNumber));
	}
	return problems.sort((a, b) => a.objectNumber - b.objectNumber);
}

/** The DocMDP level (1–3) of the certifying signature named by the catalog's /Perms, if any. */
export function certificationLevel(r: Revision): { level: number; signatureObject: number } | undefined {
	const perms = r.dict(r.dict(r.rootRef)?.get(N('Perms')));
	const sigRef = perms?.get(N('DocMDP'));
	const sig = r.dict(sigRef);
	if (!(sigRef instanceof PDFRef) || !sig) return undefined;
	for (const ref of refList(r, sig.get(N('Reference')))) {
		const d = r.dict(ref);
		if (d?.get(N('TransformMethod')) !== N('DocMDP')) continue;
		const p = r.resolve(r.dict(d.get(N('TransformParams')))?.get(N('P')));
		const level = p instanceof PDFNumber ? p.asNumber() : 2;
		return { level: [1, 2, 3].includes(level) ? level : 2, signatureObject: sigRef.objectNumber };
	}
	return undefined;
}

export function textOf(o: PDFObject | undefined): string | null {
	return o instanceof PDFString || o instanceof PDFHexString ? o.decodeText() : null;
}
