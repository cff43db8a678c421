FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl gcc libc6-dev libreadline-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/src
RUN curl -fsSL https://example.com/lua-server-2.1.tar.gz | tar -xz --strip-components=1 \
    && ./build.sh \
    && cp out/lua-server /usr/local/bin/lua-server
EXPOSE 8080
CMD ["lua-server", "--port", "8080"]
