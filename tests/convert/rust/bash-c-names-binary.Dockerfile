FROM rust:1.80
WORKDIR /app
COPY . .
RUN cargo build --release
CMD ["bash", "-c", "./target/release/app --port $PORT"]
