# syntax=docker/dockerfile:1.7
# The Hubfed image: the portal (apps/portal, Next.js production build behind its custom server)
# and the worker (apps/worker) in one image, which the chart (charts/hubfed) runs with different
# commands, plus the migrations (prisma/) and the `hubfed` command line.
#
#   docker build -t ghcr.io/<owner>/hubfed:<version> .
#
# Why not Next's standalone output: the portal's server.ts answers the OpenID Connect provider and
# the content-link fast path before Next, from workspace packages (oidc-provider, ioredis, Prisma)
# that Next's file tracing never sees, and the worker needs the same production node_modules in
# the same image. One pruned node_modules serves both; standalone would add a second, partial one.
#
# What runs is TypeScript through tsx (the packages are TypeScript sources, as in development),
# so the image keeps the sources and no build output of the packages. charts/hubfed/tests checks
# that every COPY source below exists, so a moved file fails the tests rather than the release.

# The Node.js the apps run on (ADR 0015): the version scripts/node-runtime.json pins, which
# .node-version, CI and `npm start`/`npm test` on an older machine use too; scripts/dockerfile.test.ts
# checks they agree.
ARG NODE_VERSION=24.22.3

# ---- dependencies: every workspace's manifest, then the full install (dev tools for the build)
FROM node:${NODE_VERSION}-bookworm-slim AS dependencies
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1 \
    CHECKPOINT_DISABLE=1 \
    PRISMA_HIDE_UPDATE_MESSAGE=1
# allowScripts in package.json needs npm 11 (the version packageManager names).
RUN npm install --global npm@11.19.1 && npm --version
COPY package.json package-lock.json ./
COPY apps/portal/package.json apps/portal/
COPY apps/worker/package.json apps/worker/
COPY packages/api/package.json packages/api/
COPY packages/auth/package.json packages/auth/
COPY packages/config/package.json packages/config/
COPY packages/core/package.json packages/core/
COPY packages/db/package.json packages/db/
COPY packages/github/package.json packages/github/
COPY packages/grader/package.json packages/grader/
COPY packages/hub-spec/package.json packages/hub-spec/
COPY packages/identity/package.json packages/identity/
COPY packages/jobs/package.json packages/jobs/
COPY packages/kube/package.json packages/kube/
COPY packages/observability/package.json packages/observability/
COPY packages/runtime-local/package.json packages/runtime-local/
COPY packages/stack/package.json packages/stack/
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund

# ---- build: Prisma's client, the portal's production build, then only production dependencies
# (Next's build cache and the tools' caches are not part of what runs).
FROM dependencies AS build
COPY . .
RUN npm run -s db:generate \
 && npm run build -w @hubfed/portal \
 && npm prune --omit=dev --no-audit --no-fund \
 && rm -rf apps/portal/.next/cache node_modules/.cache

# ---- runtime: sources, the portal's build, pruned node_modules; no compiler, no npm cache
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
# tini reaps children and forwards SIGTERM, so BullMQ's graceful close runs on pod shutdown.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PATH=/app/node_modules/.bin:$PATH \
    HOSTNAME=0.0.0.0 \
    PORT=3000
# Owned by root and read-only to the app's user: the chart mounts the root filesystem read-only
# and gives writable emptyDirs only at /tmp (tsx's cache) and apps/portal/.next/cache.
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/apps ./apps
COPY --from=build /app/packages ./packages
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/prisma.config.ts /app/tsconfig.json ./
# The user the chart runs as (runAsUser 10001); numeric, so runAsNonRoot can check it.
RUN groupadd --gid 10001 hubfed \
 && useradd --uid 10001 --gid 10001 --home-dir /tmp --no-create-home --shell /usr/sbin/nologin hubfed \
 && mkdir -p apps/portal/.next/cache \
 && chown 10001:10001 apps/portal/.next/cache
USER 10001:10001
EXPOSE 3000 8081
ENTRYPOINT ["/usr/bin/tini", "--"]
# The portal by default; the chart runs the worker, the migrations and `hubfed` with other commands.
WORKDIR /app/apps/portal
CMD ["tsx", "server.ts"]
