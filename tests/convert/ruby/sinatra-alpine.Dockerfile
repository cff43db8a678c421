FROM ruby:3.2-alpine3.19

RUN apk add --no-cache build-base sqlite-dev tzdata

WORKDIR /usr/src/app

COPY Gemfile Gemfile.lock ./
RUN bundle config set --local without 'development test' \
    && bundle install

COPY . .

EXPOSE 4567
CMD ["bundle", "exec", "ruby", "app.rb", "-o", "0.0.0.0"]
