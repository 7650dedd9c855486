# syntax=docker/dockerfile:1
# Build stage: all dependencies, compile TypeScript to dist/ and the web pages to dist/web/.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY web ./web
RUN npm run build

# Runtime stage: production dependencies and the compiled service only.
FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production DATA_DIR=/app/data
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build again, and the compiler is not installed here.
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY migrations ./migrations
# The OpenAPI document's examples (captured by `npm run openapi:examples`).
COPY openapi/examples.json ./openapi/examples.json
# A writable data folder for the embedded database, owned by the unprivileged user.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
# node itself is PID 1, so SIGTERM reaches the server's graceful shutdown (npx would swallow it).
CMD ["node", "dist/server.js"]
