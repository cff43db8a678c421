FROM node:18

WORKDIR /usr/src/app

COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile

COPY next.config.js tsconfig.json ./
COPY public ./public
COPY src ./src
RUN yarn build

EXPOSE 3000
CMD ["yarn", "start"]
