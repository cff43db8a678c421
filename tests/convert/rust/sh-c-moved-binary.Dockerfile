FROM rust:1.80
WORKDIR /app
COPY . .
RUN cargo build --release --bin app
CMD ["sh", "-c", "/app/target/release/app --port $PORT"]
