FROM ruby:3.3
WORKDIR /app
COPY Gemfile Gemfile.lock ./
RUN bundle config set --local without 'development test' \
    && bundle install
COPY . .
# Puma on the HTTP port itself, as root.
EXPOSE 80
CMD ["bundle", "exec", "puma", "-b", "tcp://0.0.0.0:80"]
