# The seed article's Go service, single stage on the full Go image.
FROM golang:1.22
WORKDIR /app
COPY . .
RUN CGO_ENABLED=0 go build -o server .
CMD ["/app/server"]
