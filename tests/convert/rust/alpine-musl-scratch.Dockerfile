FROM rust:1.83-alpine3.20
RUN apk add --no-cache musl-dev
WORKDIR /build
COPY Cargo.toml Cargo.lock ./
COPY src ./src
RUN cargo build --release --bin relay
EXPOSE 7000/udp
ENTRYPOINT ["/build/target/release/relay"]
CMD ["--bind", "0.0.0.0:7000"]
