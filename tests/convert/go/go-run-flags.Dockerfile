# `go run` with build flags (one with a space) and a list of files: they
# become go build's, quoted for the shell.
FROM golang:1.22-alpine
WORKDIR /app
COPY . .
CMD ["go", "run", "-tags", "netgo", "-ldflags", "-s -w", "-trimpath", "main.go", "routes.go", "--port", "9000"]
