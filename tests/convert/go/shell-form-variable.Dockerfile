FROM golang:1.22
WORKDIR /src
COPY . .
RUN go build -o /app ./cmd/server
ENV PORT=8080
CMD /app --port $PORT
