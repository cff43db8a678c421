FROM rust:1.82-bookworm
WORKDIR /app
COPY . .
RUN cargo build --release --locked -p api-server
COPY config/ /etc/api-server/
ENV APP_CONFIG=/etc/api-server/production.toml
EXPOSE 3000
USER 1000
CMD ["/app/target/release/api-server", "--listen", "0.0.0.0:3000"]
