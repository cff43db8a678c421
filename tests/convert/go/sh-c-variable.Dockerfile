FROM golang:1.22
WORKDIR /src
COPY . .
RUN go build -o /app ./cmd/server
EXPOSE 8080
CMD ["sh", "-c", "/app --port $PORT"]
