FROM ubuntu:22.04
RUN apt-get update && apt-get install -y build-essential zlib1g-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY Makefile ./
COPY src ./src
RUN make
RUN useradd -r -s /usr/sbin/nologin svc
USER svc
CMD ./bin/compressor --level 6
