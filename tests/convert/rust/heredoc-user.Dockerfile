# syntax=docker/dockerfile:1
FROM rust:1.85-bookworm
WORKDIR /srv
COPY . .
RUN <<EOF
set -e
cargo build --release --locked
install -m 0755 target/release/gatekeeper /usr/local/bin/gatekeeper
EOF
RUN useradd --system --uid 10001 gatekeeper && mkdir -p /var/lib/gatekeeper && chown gatekeeper /var/lib/gatekeeper
VOLUME /var/lib/gatekeeper
USER gatekeeper
ENTRYPOINT ["gatekeeper"]
CMD ["--data", "/var/lib/gatekeeper"]
