import type { AuthUser } from '$lib/server/auth/current-user';
import type { Locale } from '$lib/i18n';

declare global {
	namespace App {
		interface Locals {
			user: AuthUser | null;
			sessionToken: string | null;
			locale: Locale;
		}
		interface Error {
			message: string;
		}
	}
}

export {};
