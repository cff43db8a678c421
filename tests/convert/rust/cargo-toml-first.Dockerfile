# A REST API; dependencies are compiled once with a dummy main.rs.
FROM rust:1.80
WORKDIR /usr/src/app
COPY Cargo.toml Cargo.lock ./
RUN mkdir src && echo "fn main() {}" > src/main.rs && cargo build --release && rm -rf src
COPY src ./src
RUN touch src/main.rs && cargo build --release
ENV RUST_LOG=info
EXPOSE 8080
CMD ["./target/release/todo-api"]
