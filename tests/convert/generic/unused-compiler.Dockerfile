FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       ca-certificates \
       curl \
       gcc \
       make \
       libc6-dev \
    && rm -rf /var/lib/apt/lists/*
RUN curl -fsSL https://example.com/releases/exporter-1.4.0-linux-amd64.tar.gz | tar -xz -C /usr/local/bin exporter
EXPOSE 9100
ENTRYPOINT ["/usr/local/bin/exporter"]
