FROM ruby:3.3-bookworm
RUN apt-get update && apt-get install -y libsndfile1-dev libmagic-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY Gemfile Gemfile.lock ./
RUN bundle install
COPY . .
CMD ["bundle", "exec", "ruby", "app.rb"]
