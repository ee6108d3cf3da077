# The app image for docker-compose.yml: Node 20 on Debian, the built SvelteKit app, and the tools the
# signing verifier calls. PostgreSQL, Redis and LiveKit run as their own services.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx vite build
EXPOSE 3000
CMD ["node", "scripts/start.mjs"]
