FROM node:20
RUN apt-get update && apt-get install -y --no-install-recommends cron && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build
COPY deploy/crontab /etc/cron.d/app
EXPOSE 3000
CMD ["sh", "-c", "cron && exec node dist/server.js"]
