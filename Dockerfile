# billing-graph: build with the dev toolchain, run on production dependencies only.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npx tsc -p tsconfig.build.json

FROM node:22-bookworm-slim
# Production refuses to start without GATEWAY_SIGNING_KEYS and a way to authenticate callers
# (GATEWAY_AUTH, or GATEWAY_TOKENS, which imply tokens): pass them at run time.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# GraphiQL's saved tabs and the trusted documents (persisted ids) are read from here at start-up.
COPY operations ./operations
COPY client/generated/persisted-documents.json ./client/generated/
COPY relay/persisted-documents.json ./relay/
# The cost explorer's page and assets, built and committed (npm run explorer): served from here, read once at start-up.
COPY explorer/dist ./explorer/dist
# The image's unprivileged user; nothing under /app is writable by it.
USER node
EXPOSE 4000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + process.env.PORT + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
# node itself is PID 1's child of nothing: it receives SIGTERM directly and drains in-flight requests.
CMD ["node", "dist/main.js"]
