FROM rust:1.81
WORKDIR /bot
COPY . .
CMD cargo run --release --bin discord-bot
