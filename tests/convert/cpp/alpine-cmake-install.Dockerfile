FROM alpine:3.20
RUN apk add --no-cache build-base cmake openssl-dev mosquitto-dev
WORKDIR /src
COPY . .
RUN cmake -B build -DCMAKE_BUILD_TYPE=Release \
    && cmake --build build \
    && cmake --install build
COPY bridge.conf /etc/mqtt-bridge/bridge.conf
ENTRYPOINT ["mqtt-bridge"]
CMD ["-c", "/etc/mqtt-bridge/bridge.conf"]
