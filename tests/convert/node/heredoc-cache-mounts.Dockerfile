# syntax=docker/dockerfile:1
FROM node:20

WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci

COPY . .
RUN <<EOF
set -eux
npm run lint
npm run build
EOF

ENV NODE_ENV=production
EXPOSE 3000
CMD ["npm", "start"]
