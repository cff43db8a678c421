ARG NODE_VERSION=22

FROM node:${NODE_VERSION}

ENV PNPM_HOME=/pnpm
RUN corepack enable

WORKDIR /app
COPY package.json pnpm-lock.yaml ./
RUN pnpm install --frozen-lockfile

COPY . .
RUN pnpm build

EXPOSE 3000
CMD ["node", "dist/main"]
