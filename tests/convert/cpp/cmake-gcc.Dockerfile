FROM gcc:13
RUN apt-get update && apt-get install -y --no-install-recommends cmake libboost-program-options-dev libssl-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build -j"$(nproc)"
EXPOSE 9000
CMD ["./build/quote-server", "--port", "9000"]
