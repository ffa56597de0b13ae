# One image per service, all from this file:
#   docker build --build-arg WORKSPACE=subgraphs/users -t ticketing/users .
# WORKSPACE is any workspace with a `start` script: subgraphs/{users,tickets,orders,payments},
# workers/expiration, gateway, web. skaffold.yaml builds one artifact per service from it.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- every workspace's package.json, and nothing else, so `npm ci` stays cached until one changes
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir /manifests \
 && cp package-lock.json /manifests/ \
 && find . -name node_modules -prune -o -name package.json -print | xargs -I{} cp --parents {} /manifests/

# ---- build: compile the workspace and the projects it references (`tsc -b`), or `next build` for web.
# Each workspace's tsconfig.json leaves out its tests and src/testing/ helpers, so no test reaches
# dist/ (tests are type-checked by the root's tsconfig.test.json, which the images never build; the
# test stack lives in e2e/, which no service references). The install here is the whole lockfile,
# dev tools included (the root's typescript), and comes before any ARG, so one cached layer serves
# all seven images. The runtime stage below is the scoped, production-only install.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY --from=manifests /manifests/ ./
RUN npm ci --no-audit --no-fund
ARG WORKSPACE
# Inlined into the browser bundle by `next build` (web only); a publishable key, not a secret.
ARG NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY=""
RUN test -n "$WORKSPACE" && test -f "$WORKSPACE/package.json" \
 || (echo "build with --build-arg WORKSPACE=<workspace folder>, e.g. subgraphs/users" >&2; exit 1)
COPY . .
RUN if [ "$WORKSPACE" = "web" ]; then \
      NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY="$NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY" npm run build --workspace web; \
    else \
      npx --no-install tsc -b "$WORKSPACE"; \
    fi
# Collect what the runtime needs: every dist/ the build produced (the workspace and the projects it
# references), the composed supergraph (the gateway reads /app/supergraph.graphql), and for web the
# Next build with its server script and config.
RUN mkdir -p /out \
 && cp rover.yaml supergraph.graphql /out/ \
 && find . -name node_modules -prune -o -type d -name dist -prune -print | xargs -r -I{} cp -a --parents {} /out/ \
 && if [ "$WORKSPACE" = "web" ]; then \
      mkdir -p /out/web \
      && cp -a --parents web/.next web/scripts web/next.config.ts /out/ \
      && rm -rf /out/web/.next/cache \
      && if [ -d web/public ]; then cp -a --parents web/public /out/; fi; \
    fi

# ---- runtime: production dependencies of the workspace only, compiled output, non-root
FROM ${NODE_IMAGE} AS runtime
ARG WORKSPACE
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    WORKSPACE=${WORKSPACE}
WORKDIR /app
COPY --from=manifests /manifests/ ./
RUN npm ci --omit=dev --workspace "$WORKSPACE" --include-workspace-root=false --no-audit --no-fund \
 && npm cache clean --force
COPY --from=build /out/ ./
# Next writes its cache at run time; everything else stays owned by root and read-only to the app.
RUN if [ "$WORKSPACE" = "web" ]; then mkdir -p web/.next/cache && chown node:node web/.next/cache; fi
WORKDIR /app/${WORKSPACE}
# The node image's unprivileged user, by id so Kubernetes can verify runAsNonRoot.
USER 1000:1000
# Services run dist/main.js; web runs its server (Next plus a same-origin /graphql proxy to GATEWAY_URL).
# `exec` makes node PID 1, so SIGTERM reaches the services' graceful shutdown.
CMD ["/bin/sh", "-c", "if [ -f dist/main.js ]; then exec node dist/main.js; else exec node scripts/server.mjs; fi"]
