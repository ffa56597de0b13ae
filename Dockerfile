# The Node services' images, one per service:
#   docker build --build-arg WORKSPACE=subgraphs/users -t ticketing/users .
# WORKSPACE: subgraphs/{users,tickets,orders,payments}, workers/{expiration,email} or gateway (web has its
# own, Dockerfile.web). skaffold.yaml builds one artifact per service from it.
#
# Sources are copied by name (kit, events and the workspace), never the whole context: skaffold
# watches exactly what an image copies, so a change in one service rebuilds that image alone.
# Node 24: the active LTS line (supported until April 2028); scripts/k8s checks it is supported and
# within the root package.json's engines.

ARG NODE_IMAGE=node:24-bookworm-slim

# ---- the lockfile and every workspace's package.json (npm ci checks them all), nothing else
FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
COPY package.json package-lock.json ./
COPY kit/package.json kit/
COPY events/package.json events/
COPY subgraphs/users/package.json subgraphs/users/
COPY subgraphs/tickets/package.json subgraphs/tickets/
COPY subgraphs/orders/package.json subgraphs/orders/
COPY subgraphs/payments/package.json subgraphs/payments/
COPY workers/expiration/package.json workers/expiration/
COPY workers/email/package.json workers/email/
COPY gateway/package.json gateway/
COPY e2e/package.json e2e/
COPY web/package.json web/
COPY bench/package.json bench/

# ---- build: the whole lockfile with dev tools (the root's typescript), before any ARG, so one
# cached layer serves all seven images; then `tsc -b` of the workspace and what it references.
# Each workspace's tsconfig.json leaves out its tests and src/testing/, so no test reaches dist/.
FROM manifests AS build
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json ./
COPY kit kit
COPY events events
ARG WORKSPACE
RUN test -n "$WORKSPACE" && test -f "$WORKSPACE/package.json" \
 || (echo "build with --build-arg WORKSPACE=<workspace folder>, e.g. subgraphs/users" >&2; exit 1)
COPY ${WORKSPACE} ${WORKSPACE}
RUN npx --no-install tsc -b "$WORKSPACE"

# ---- the workspace's production dependencies only (its own, kit's and events')
FROM manifests AS dependencies
ARG WORKSPACE
# npm links every workspace into node_modules/@ticketing: the links other than kit, events and the
# workspace's own go.
RUN npm ci --omit=dev --workspace "$WORKSPACE" --include-workspace-root=false --no-audit --no-fund \
 && npm cache clean --force \
 && find node_modules/@ticketing -mindepth 1 -maxdepth 1 \
      ! -name kit ! -name events ! -name "$(node -p "require('./$WORKSPACE/package.json').name.split('/')[1]")" \
      -exec rm -rf {} +

# ---- a service: compiled output and production dependencies of this service, nothing else; non-root
FROM ${NODE_IMAGE} AS service
ARG WORKSPACE
ENV NODE_ENV=production \
    WORKSPACE=${WORKSPACE}
WORKDIR /app
COPY --from=dependencies /app/node_modules node_modules
COPY --from=build /app/kit/package.json kit/
COPY --from=build /app/kit/dist kit/dist
COPY --from=build /app/events/package.json events/
COPY --from=build /app/events/dist events/dist
COPY --from=build /app/${WORKSPACE}/package.json ${WORKSPACE}/
COPY --from=build /app/${WORKSPACE}/dist ${WORKSPACE}/dist
WORKDIR /app/${WORKSPACE}
# The node image's unprivileged user, by id so Kubernetes can verify runAsNonRoot.
USER 1000:1000
# Exec form: node is PID 1, so SIGTERM reaches the services' graceful shutdown.
CMD ["node", "dist/main.js"]

# ---- the gateway (skaffold's target for ticketing/gateway) also reads the committed supergraph
FROM service AS gateway
COPY rover.yaml supergraph.graphql /app/

# ---- every other service: the default target
FROM service AS runtime
