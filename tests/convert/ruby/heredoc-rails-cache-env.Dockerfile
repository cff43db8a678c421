# syntax=docker/dockerfile:1
FROM ruby:3.4-bookworm

ENV RAILS_ENV=production BUNDLE_DEPLOYMENT=1 BUNDLE_PATH=/usr/local/bundle BUNDLE_WITHOUT=development

RUN <<EOF
apt-get update
apt-get install -y --no-install-recommends libvips-dev libjemalloc2
rm -rf /var/lib/apt/lists/*
EOF

WORKDIR /rails
COPY Gemfile Gemfile.lock ./
RUN --mount=type=cache,target=/root/.gem bundle install
COPY . .
RUN bundle exec bootsnap precompile app/ lib/ \
    && SECRET_KEY_BASE_DUMMY=1 ./bin/rails assets:precompile

ENTRYPOINT ["/rails/bin/docker-entrypoint"]
EXPOSE 3000
CMD ["./bin/thrust", "./bin/rails", "server"]
