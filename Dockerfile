# The app image for docker-compose.yml: Node 20 on Debian, the built SvelteKit app, and the tools the
# signing verifier calls. PostgreSQL, Redis and LiveKit run as their own services.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# The build tools (Vite, SvelteKit) are devDependencies: install them, build, then run in production mode.
RUN npm ci --no-audit --no-fund --include=dev
COPY . .
RUN npx vite build
ENV NODE_ENV=production
# The launcher listens on loopback unless told otherwise; in a container the published port needs every interface.
ENV HOST=0.0.0.0
EXPOSE 3000
CMD ["node", "scripts/start.mjs"]
