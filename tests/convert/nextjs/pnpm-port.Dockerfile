ARG NODE_VERSION=20

FROM node:${NODE_VERSION}-bookworm

ENV NEXT_TELEMETRY_DISABLED=1
RUN corepack enable
WORKDIR /app
COPY package.json pnpm-lock.yaml ./
RUN pnpm install --frozen-lockfile
COPY . .
RUN pnpm build

EXPOSE 8080
HEALTHCHECK CMD curl -f http://localhost:8080/api/health || exit 1
CMD ["pnpm", "start", "-p", "8080"]
