# A development-style start: modules fetched and the program compiled at
# every start, inside a shell script. The binary is built in the builder,
# the script runs it, and the download step is dropped (go build fetches
# the modules).
FROM golang:1.22
WORKDIR /src
COPY . .
ENV PORT=8080
EXPOSE 8080
CMD ["sh", "-c", "go mod download && go run ./cmd/api --listen :$PORT"]
