FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends build-essential cmake git ca-certificates libssl-dev \
    && rm -rf /var/lib/apt/lists/*
RUN git clone --depth 1 --branch v4.1.0 https://github.com/eclipse/paho.mqtt.c /tmp/paho \
    && cmake -S /tmp/paho -B /tmp/paho/build -DPAHO_WITH_SSL=ON \
    && cmake --build /tmp/paho/build --target install \
    && ldconfig && rm -rf /tmp/paho
WORKDIR /app
COPY . .
RUN make && make install PREFIX=/usr/local
USER nobody
ENTRYPOINT ["/usr/local/bin/sensor-gateway"]
