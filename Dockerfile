# syntax=docker/dockerfile:1
# Build stage: compile TypeScript with the dev dependencies.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Runtime stage: production dependencies only, non-root.
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
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
