FROM golang:1.22
RUN adduser --disabled-password --gecos "" gopher
WORKDIR /src
COPY --chown=gopher:gopher . .
RUN go build -o /usr/local/bin/app ./cmd/app
USER gopher
EXPOSE 8080
CMD ["app"]
