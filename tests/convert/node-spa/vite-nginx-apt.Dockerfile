FROM node:20-bookworm

RUN apt-get update \
    && apt-get install -y --no-install-recommends nginx \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
ARG VITE_API_URL=/api
RUN npm run build && cp -r dist/* /var/www/html/

EXPOSE 80
CMD ["nginx", "-g", "daemon off;"]
