# pg-native and bcrypt compile with node-gyp against libpq.
FROM node:20-bookworm-slim

RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 make g++ libpq-dev tini \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY package*.json ./
RUN npm ci

COPY . .

USER node
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "src/index.js"]
