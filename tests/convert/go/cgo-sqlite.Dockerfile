FROM golang:1.22-bookworm
RUN apt-get update && apt-get install -y gcc libsqlite3-dev
WORKDIR /app
COPY . .
RUN CGO_ENABLED=1 go build -o /app/bin/store ./cmd/store
VOLUME /data
CMD /app/bin/store -db /data/store.db
