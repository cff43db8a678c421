FROM ubuntu:24.04

RUN apt-get update \
    && apt-get install -y --no-install-recommends ruby-full build-essential zlib1g-dev \
    && gem install bundler --no-document \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY Gemfile Gemfile.lock ./
RUN bundle install
COPY . .

CMD ["bundle", "exec", "ruby", "bin/worker.rb"]
