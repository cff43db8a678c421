FROM gcc:13
WORKDIR /src
COPY . .
RUN make && cp build/server /usr/local/bin/server
CMD ["sh", "-c", "server --port $PORT"]
