FROM node:18

WORKDIR /srv/app

COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile && yarn cache clean

COPY . .

EXPOSE 3000
CMD ["node", "index.js"]
