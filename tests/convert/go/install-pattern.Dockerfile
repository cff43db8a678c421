FROM golang:1.22
WORKDIR /go/src/app
COPY . .
RUN go install -v ./...
EXPOSE 8080
CMD ["app"]
