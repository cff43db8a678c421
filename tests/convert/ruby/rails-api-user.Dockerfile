ARG RUBY_VERSION=3.3
FROM ruby:${RUBY_VERSION}-slim-bookworm

RUN apt-get update && apt-get install -y --no-install-recommends \
      build-essential git libpq-dev libyaml-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*

ENV RAILS_ENV=production \
    BUNDLE_WITHOUT=development:test

RUN groupadd --system app && useradd --system --gid app --create-home app

WORKDIR /srv/api
COPY --chown=app:app Gemfile Gemfile.lock ./
RUN bundle install
COPY --chown=app:app . .

USER app
EXPOSE 3000
CMD ["bundle", "exec", "puma", "-C", "config/puma.rb"]
