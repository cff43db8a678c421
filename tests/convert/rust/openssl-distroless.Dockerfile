FROM rust:1.92-slim-trixie
RUN apt-get update && apt-get install -y --no-install-recommends pkg-config libssl-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cargo build --release && cp target/release/notifier /usr/local/bin/notifier
CMD ["notifier"]
