# `go run` with build flags and a list of files: they become go build's.
FROM golang:1.22-alpine
WORKDIR /app
COPY . .
CMD ["go", "run", "-tags", "netgo", "-trimpath", "main.go", "routes.go", "--port", "9000"]
