# restage in an empty image: one static (musl) binary, templates, styles
# and migrations compiled in, and a data directory for the SQLite database.
#   docker build -t restage .
#   docker run -d -p 8080:8080 -v restage-data:/data restage

# builder compiles restage into one static binary (x86_64, musl)
FROM rust:1.95-slim-bookworm AS builder
RUN apt-get update \
    && apt-get install -y --no-install-recommends musl-tools=1.2.3-1 \
    && rm -rf /var/lib/apt/lists/*
RUN rustup target add x86_64-unknown-linux-musl
WORKDIR /build

# Dependencies only, against stub sources: this layer is built again only
# when a Cargo.toml or Cargo.lock change. Cargo wants every target the
# manifests name to exist, so each `name = "..."` gets a stub bench.
COPY Cargo.toml Cargo.lock ./
COPY crates/engine/Cargo.toml crates/engine/
COPY crates/fastmem/Cargo.toml crates/fastmem/
RUN mkdir src benches crates/engine/src crates/fastmem/src \
    && echo 'fn main() {}' > src/main.rs \
    && touch src/lib.rs crates/engine/src/lib.rs crates/fastmem/src/lib.rs \
    && for name in $(sed -n 's/^name = "\([a-z0-9_-]*\)"$/\1/p' Cargo.toml); do \
        echo 'fn main() {}' > "benches/$name.rs"; \
    done \
    && cargo build --release --locked --target x86_64-unknown-linux-musl \
    && rm -r src benches crates/engine/src crates/fastmem/src

# The application. `touch` makes sure cargo rebuilds it over the stubs.
COPY . .
RUN touch src/main.rs src/lib.rs crates/engine/src/lib.rs crates/fastmem/src/lib.rs \
    && cargo build --release --locked --target x86_64-unknown-linux-musl \
    && cp target/x86_64-unknown-linux-musl/release/restage /restage \
    && mkdir /data

FROM scratch
COPY --from=builder /restage /restage
COPY --from=builder --chown=65532:65532 /data /data
USER 65532:65532
VOLUME /data
EXPOSE 8080
ENV RESTAGE_BIND=0.0.0.0:8080 RESTAGE_DATABASE_URL=/data/restage.db
HEALTHCHECK CMD ["/restage", "healthcheck"]
ENTRYPOINT ["/restage"]
CMD ["serve"]
