# A shell-form CMD whose only shell syntax is quoting, started with the
# shell's `exec`: exec form holds it, so distroless (no shell) still runs it.
FROM golang:1.22
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /bin/server ./cmd/server
EXPOSE 8080
CMD exec /bin/server --listen ":8080" --name 'edge proxy'
