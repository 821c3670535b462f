# tc-canary as a service: `tc-canary serve` on 0.0.0.0:8080 (status, Dockerflow and Prometheus endpoints).
#
#   docker build --build-arg SOURCE=https://github.com/<owner>/tc-canary --build-arg COMMIT=$(git rev-parse HEAD) \
#     --build-arg BUILD=<CI build URL> -t tc-canary .
#   docker run -p 8080:8080 -v $PWD/tc-canary.yml:/config/tc-canary.yml:ro -v tc-canary-data:/data \
#     -e TASKCLUSTER_CLIENT_ID -e TASKCLUSTER_ACCESS_TOKEN tc-canary
#
# The history defaults to a SQLite file in the /data volume; set TC_CANARY_HISTORY=postgres://... for replicas.

# Build: better-sqlite3 compiles from source, so this stage has the toolchain; the image below does not.
FROM node:20-slim AS build
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
COPY checks ./checks
COPY bench ./bench
COPY docs ./docs
# `prepare` builds dist/ during `npm ci`; then only the runtime dependencies are kept.
RUN npm ci && npm prune --omit=dev

FROM node:20-slim
ARG SOURCE=unknown
ARG COMMIT=unknown
ARG BUILD=unknown
ENV NODE_ENV=production \
    TC_CANARY_CONFIG=/config/tc-canary.yml \
    TC_CANARY_HISTORY=sqlite:/data/tc-canary.db
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/docs ./docs
# Dockerflow's /__version__ reads this file.
RUN node -e 'const [source, commit, build] = process.argv.slice(1); const { version } = require("./package.json"); require("fs").writeFileSync("version.json", JSON.stringify({ source, version, commit, build }) + "\n")' \
      "$SOURCE" "$COMMIT" "$BUILD" \
  && mkdir -p /data /config && chown node:node /data
USER node
WORKDIR /data
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s CMD node -e 'fetch("http://127.0.0.1:8080/__lbheartbeat__").then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))'
# SIGTERM (docker stop, Kubernetes) stops it gracefully: running checks clean up, then exit 0.
ENTRYPOINT ["node", "/app/dist/src/cli/main.js"]
CMD ["serve", "--listen", "0.0.0.0:8080"]
