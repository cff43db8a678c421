FROM node:20-alpine3.19

RUN apk add --no-cache python3 make g++

WORKDIR /home/node/app
COPY --chown=node:node package.json package-lock.json ./
RUN npm ci
COPY --chown=node:node . .
RUN npm run build

USER node
EXPOSE 4000
CMD node --enable-source-maps build/index.js
