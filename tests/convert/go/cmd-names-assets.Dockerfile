FROM golang:1.21-bullseye
WORKDIR /app
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -o /app/web .
ENV GIN_MODE=release
EXPOSE 8080
CMD ["/app/web", "-templates", "/app/templates", "-config", "config/app.yaml"]
