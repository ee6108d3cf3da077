import { loadSittingPage } from '$lib/sittings/load.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => loadSittingPage(event, ['secretary', 'chair']);
