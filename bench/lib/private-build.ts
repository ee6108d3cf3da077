import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';

/**
 * A private copy of build/, so a rebuild of the tree during a long run cannot pull files from under the app.
 * Pass `dir` as BUILD_DIR to the app; call `remove()` at the end.
 */
export function privateBuildCopy(root: string, name: string) {
	const dir = path.resolve(root, 'bench/.tmp', `build-${name}-${process.pid}`);
	cpSync(path.join(root, 'build'), dir, { recursive: true });
	return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
