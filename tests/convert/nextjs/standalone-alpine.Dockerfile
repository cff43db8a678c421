# Next.js with `output: 'standalone'`, built and served in one stage.
FROM node:20-alpine
RUN apk add --no-cache libc6-compat

WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci

COPY . .
ENV NEXT_TELEMETRY_DISABLED=1
RUN npm run build

EXPOSE 3000
ENV PORT=3000
CMD ["node", ".next/standalone/server.js"]
