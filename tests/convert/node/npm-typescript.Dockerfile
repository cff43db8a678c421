# Express API in TypeScript, built and run in one stage on the full image.
FROM node:20-bookworm

LABEL org.opencontainers.image.source="https://example.com/orders-api"

WORKDIR /usr/src/app

COPY package.json package-lock.json ./
RUN npm ci

COPY tsconfig.json ./
COPY src ./src
RUN npx tsc -p tsconfig.json

ENV PORT=8080
EXPOSE 8080
HEALTHCHECK --interval=30s CMD curl -fsS http://localhost:8080/health || exit 1
CMD node dist/server.js
