# Greenlight: one image for every replica. Build with `docker build -t greenlight .`.
#
# better-sqlite3 compiles from source, so the build stage has a compiler; the runtime stage
# carries only what `npm ci --omit=dev` installs and the built packages.
FROM node:20-bookworm-slim AS build
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/sdk/package.json packages/sdk/
COPY packages/server/package.json packages/server/
COPY packages/cli/package.json packages/cli/
COPY packages/web/package.json packages/web/
RUN npm ci
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    GREENLIGHT_HOST=0.0.0.0 \
    GREENLIGHT_PORT=8787 \
    GREENLIGHT_DATA_DIR=/var/lib/greenlight
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/packages/sdk/package.json packages/sdk/package.json
COPY --from=build /app/packages/sdk/dist packages/sdk/dist
COPY --from=build /app/packages/server/package.json packages/server/package.json
COPY --from=build /app/packages/server/dist packages/server/dist
COPY --from=build /app/packages/server/web packages/server/web
COPY --from=build /app/packages/cli/package.json packages/cli/package.json
COPY --from=build /app/packages/cli/dist packages/cli/dist
RUN mkdir -p /var/lib/greenlight && chown node:node /var/lib/greenlight
USER node
EXPOSE 8787
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:8787/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# SIGTERM stops it gracefully: held waits are answered, jobs stop, the database closes.
ENTRYPOINT ["node", "packages/cli/dist/bin.js"]
CMD ["serve"]
