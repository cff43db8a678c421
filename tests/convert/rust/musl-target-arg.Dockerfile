ARG RUST_VERSION=1.81
FROM rust:${RUST_VERSION}-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends musl-tools && rm -rf /var/lib/apt/lists/*
RUN rustup target add x86_64-unknown-linux-musl
WORKDIR /app
COPY . .
RUN cargo build --release --target x86_64-unknown-linux-musl \
    && cp target/x86_64-unknown-linux-musl/release/shortener /usr/local/bin/
EXPOSE 8080
CMD ["shortener"]
