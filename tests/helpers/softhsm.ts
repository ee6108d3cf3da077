/**
 * A fresh SoftHSM2 token for a test: its own configuration file and token directory under a temporary directory,
 * so that tests never see each other's tokens nor the machine's (/var/lib/softhsm). SOFTHSM2_CONF is how the
 * module finds its configuration; it is set in this process, which worker threads share (the module reads it
 * with getenv at C_Initialize).
 *
 * Needs Debian's softhsm2 (`softhsm2-util`, module /usr/lib/softhsm/libsofthsm2.so).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const SOFTHSM_MODULE = process.env.SOFTHSM2_MODULE ?? '/usr/lib/softhsm/libsofthsm2.so';

export interface SoftHsmToken {
	module: string;
	tokenLabel: string;
	pin: string;
	soPin: string;
	/** Removes the token directory and restores SOFTHSM2_CONF. */
	dispose(): void;
}

export function softHsmAvailable(): boolean {
	return fs.existsSync(SOFTHSM_MODULE) && spawnSync('softhsm2-util', ['--version']).status === 0;
}

/**
 * Initialises a token labelled `label` in the first free slot of a new, private token directory: a temporary one,
 * or `dir` (emptied first) when another process — the e2e app server, started with SOFTHSM2_CONF pointing at
 * `dir/softhsm2.conf` — must find it (softhsmE2eConf).
 */
export function createSoftHsmToken(opts: { label?: string; pin?: string; soPin?: string; dir?: string } = {}): SoftHsmToken {
	if (opts.dir) fs.rmSync(opts.dir, { recursive: true, force: true });
	const dir = opts.dir ? (fs.mkdirSync(opts.dir, { recursive: true }), opts.dir) : fs.mkdtempSync(path.join(os.tmpdir(), 'nts-softhsm-'));
	const tokens = path.join(dir, 'tokens');
	fs.mkdirSync(tokens);
	const conf = path.join(dir, 'softhsm2.conf');
	fs.writeFileSync(conf, `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);
	const previous = process.env.SOFTHSM2_CONF;
	process.env.SOFTHSM2_CONF = conf;
	const token = { module: SOFTHSM_MODULE, tokenLabel: opts.label ?? 'Token Chu tich', pin: opts.pin ?? '246813', soPin: opts.soPin ?? '97531864' };
	const r = spawnSync('softhsm2-util', ['--init-token', '--free', '--label', token.tokenLabel, '--pin', token.pin, '--so-pin', token.soPin], {
		encoding: 'utf8',
		env: { ...process.env, SOFTHSM2_CONF: conf }
	});
	if (r.error || r.status !== 0) throw new Error(`softhsm2-util --init-token failed (apt-get install -y softhsm2): ${r.error?.message ?? r.stderr}`);
	return {
		...token,
		dispose() {
			if (previous === undefined) delete process.env.SOFTHSM2_CONF;
			else process.env.SOFTHSM2_CONF = previous;
			fs.rmSync(dir, { recursive: true, force: true });
		}
	};
}

/** Where the e2e app server's SoftHSM2 configuration is (playwright.config.ts sets SOFTHSM2_CONF to it). */
export const SOFTHSM_E2E_DIR = path.resolve('tests/.tmp/e2e-softhsm');
export const softhsmE2eConf = () => path.join(SOFTHSM_E2E_DIR, 'softhsm2.conf');
