FROM golang:1.23-bookworm
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -ldflags="-s -w" -o /usr/local/bin/api ./cmd/api
COPY configs/ /etc/api/
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/api"]
CMD ["--config", "/etc/api/config.yaml"]
