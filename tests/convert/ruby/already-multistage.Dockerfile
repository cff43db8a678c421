FROM node:20-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY app/javascript app/javascript
RUN npm run build

FROM ruby:3.3
RUN apt-get update && apt-get install -y libpq-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY Gemfile Gemfile.lock ./
RUN bundle install
COPY . .
COPY --from=assets /app/app/assets/builds app/assets/builds
CMD ["bundle", "exec", "puma"]
