FROM golang:1.22-alpine
WORKDIR /go/src/app
COPY . .
RUN go mod download
EXPOSE 9000
CMD ["go", "run", "main.go", "-port", "9000"]
