# The application directory is a build argument (outline's Dockerfile.base).
ARG APP_PATH=/opt/app
FROM node:22 AS deps
ARG APP_PATH
WORKDIR $APP_PATH
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile
COPY . .
RUN yarn build
ENV PORT=3000
EXPOSE 3000
CMD ["yarn", "start"]
