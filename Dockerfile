# ecs-gitops controller image.
#
#   docker build --network host -t ecs-gitops .
#   docker build --network host --build-arg NODE_IMAGE=ecs-gitops-node-base:local -t ecs-gitops .
#
# NODE_IMAGE is any Debian-based image with node and npm on PATH: the official node image by
# default, or the offline base from docker/build-base-image.sh (which already carries git, ssh
# and tini, so the runtime stage then needs no package mirror at all).
ARG NODE_IMAGE=node:22-bookworm-slim

# ---- build: compile TypeScript, then drop dev dependencies ------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=warn
COPY tsconfig.json tsconfig.build.json ./
COPY controller ./controller
COPY emulator ./emulator
COPY schemas ./schemas
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund --loglevel=warn

# ---- runtime ------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime

# git + ssh for simple-git, tini as PID 1 (forwards SIGTERM to node, reaps git's zombies).
# Installed only when the base lacks them; npm/yarn/corepack are removed: the controller never
# uses them and they are ~20 MB of attack surface.
RUN set -eu; \
    missing=""; \
    command -v git >/dev/null || missing="$missing git"; \
    command -v ssh >/dev/null || missing="$missing openssh-client"; \
    [ -x /usr/bin/tini ] || missing="$missing tini"; \
    [ -e /etc/ssl/certs/ca-certificates.crt ] || missing="$missing ca-certificates"; \
    if [ -n "$missing" ]; then \
      apt-get update -qq; \
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null; \
      rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb; \
    fi; \
    rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack /opt/yarn-* \
      /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack /usr/local/bin/yarn /usr/local/bin/yarnpkg; \
    groupadd --gid 10001 ecs-gitops; \
    useradd --uid 10001 --gid 10001 --home-dir /home/ecs-gitops --create-home --shell /usr/sbin/nologin ecs-gitops; \
    install -d -o 10001 -g 10001 -m 0750 /var/lib/ecs-gitops

WORKDIR /app
COPY --from=build /src/package.json ./package.json
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY bin ./bin
COPY schemas ./schemas
COPY docker/healthcheck.mjs ./healthcheck.mjs
RUN ln -s /app/bin/ecs-gitops.js /usr/local/bin/ecs-gitops

# Configured entirely by ECS_GITOPS_* variables (see controller/config.ts). The clone cache lives
# in the one directory the non-root user may write (mount a volume there for a read-only root).
ENV NODE_ENV=production \
    HOME=/home/ecs-gitops \
    ECS_GITOPS_LISTEN=0.0.0.0:8080 \
    ECS_GITOPS_LOG_FORMAT=json \
    ECS_GITOPS_CACHE_DIR=/var/lib/ecs-gitops/cache

USER 10001:10001
EXPOSE 8080
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "/app/healthcheck.mjs"]
ENTRYPOINT ["/usr/bin/tini", "--", "node", "/app/dist/controller/main.js"]
CMD ["run"]
