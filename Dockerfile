# tc-canary as a service: `tc-canary serve` on 0.0.0.0:8080 (status, Dockerflow and Prometheus endpoints).
#
#   docker build --build-arg SOURCE=https://github.com/<owner>/tc-canary --build-arg COMMIT=$(git rev-parse HEAD) \
#     --build-arg BUILD=<CI build URL> -t tc-canary .
#   docker run -p 8080:8080 -v $PWD/tc-canary.yml:/config/tc-canary.yml:ro -v tc-canary-data:/data \
#     -e TASKCLUSTER_CLIENT_ID -e TASKCLUSTER_ACCESS_TOKEN tc-canary
#
# The history defaults to a SQLite file in the /data volume; set TC_CANARY_HISTORY=postgres://... for replicas.

# The Node.js line the image runs on, and the one the README and docs/community-tc-hook.md name: chosen here only.
ARG NODE_IMAGE=node:24-slim

# Build: compile, then pack the package exactly as it is published.
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json npm-shrinkwrap.json tsconfig.json ./
COPY scripts/bundle-uplot.mjs scripts/bundle-taskcluster-client.mjs ./scripts/
COPY src ./src
COPY checks ./checks
COPY docs ./docs
# `prepare` builds dist/ during `npm ci`.
RUN npm ci --no-audit --no-fund && npm pack --ignore-scripts --pack-destination /tmp

# Run: the packed tarball installed as a user installs it (test/cli/packed-install.test.ts installs it the same
# way and runs it): runtime dependencies only, none of them native, so no compiler either.
FROM ${NODE_IMAGE}
ARG SOURCE=unknown
ARG COMMIT=unknown
ARG BUILD=unknown
ENV NODE_ENV=production \
    TC_CANARY_CONFIG=/config/tc-canary.yml \
    TC_CANARY_HISTORY=sqlite:/data/tc-canary.db
COPY --from=build /tmp/tc-canary-*.tgz /tmp/
# Dockerflow's /__version__ reads version.json at the package root.
RUN npm install --global --omit=dev --no-audit --no-fund /tmp/tc-canary-*.tgz \
  && rm /tmp/tc-canary-*.tgz && npm cache clean --force \
  && cd "$(npm root --global)/tc-canary" \
  && node -e 'const [source, commit, build] = process.argv.slice(1); const { version } = require("./package.json"); require("fs").writeFileSync("version.json", JSON.stringify({ source, version, commit, build }) + "\n")' \
      "$SOURCE" "$COMMIT" "$BUILD" \
  && mkdir -p /data /config && chown node:node /data
USER node
WORKDIR /data
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s CMD node -e 'fetch("http://127.0.0.1:8080/__lbheartbeat__").then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))'
# SIGTERM (docker stop, Kubernetes) stops it gracefully: running checks clean up, then exit 0.
ENTRYPOINT ["tc-canary"]
CMD ["serve", "--listen", "0.0.0.0:8080"]
