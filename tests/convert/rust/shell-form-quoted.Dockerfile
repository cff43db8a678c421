# A shell-form CMD with a quoted argument: the binary moves to
# /usr/local/bin and the argument keeps its space in exec form.
FROM rust:1.80
WORKDIR /usr/src/app
COPY . .
RUN cargo build --release
CMD ./target/release/greeter --greeting "hello world"
