FROM golang:1.22-alpine
WORKDIR /src
COPY . .
RUN go build -o /app ./cmd/server
ENTRYPOINT ["/bin/sh", "-c"]
CMD ["/app --port $PORT"]
