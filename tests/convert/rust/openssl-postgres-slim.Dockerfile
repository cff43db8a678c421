# A blog backend with diesel (PostgreSQL) and reqwest (OpenSSL).
FROM rust:1.80-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends pkg-config libssl-dev libpq-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN cargo install --path . --locked
HEALTHCHECK --interval=30s CMD curl -f http://localhost:8000/health || exit 1
EXPOSE 8000
CMD ["blog-server"]
