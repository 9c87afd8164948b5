# syntax=docker/dockerfile:1
# Build stage: compile TypeScript with the dev dependencies (tsc needs no native module: no install scripts).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Dependencies stage: production dependencies only, install scripts off, then better-sqlite3 (the
# short-link store of links: and serve) built for this image's Node and glibc: its install script
# takes the prebuilt binary when it can download it, else compiles it with the tools installed here.
FROM node:20-bookworm-slim AS deps
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm rebuild better-sqlite3 && npm cache clean --force

# Runtime stage: the dependencies as built above (same base image), no compilers, non-root.
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY jobs ./jobs
COPY fixtures/example-roster.csv ./fixtures/example-roster.csv
# Outputs and state (locks, history) belong to the unprivileged user; mount volumes over them.
RUN mkdir -p out state && chown node:node out state
VOLUME ["/app/out", "/app/state"]
USER node
# The key arrives as a secret file, never baked in: -e DAILY_API_KEY_FILE=/run/secrets/daily_api_key
# Node itself is PID 1 (not npm): run with `docker run --init` so signals reach it and zombies
# are reaped. The default command is the scheduler; `run <job>` etc. override it.
ENTRYPOINT ["node", "dist/cli.js"]
CMD ["schedule"]
