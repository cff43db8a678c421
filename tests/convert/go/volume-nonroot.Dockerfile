FROM golang:1.22
WORKDIR /app
COPY . .
RUN go build -o /bin/svc .
VOLUME /var/lib/svc
EXPOSE 443
CMD ["/bin/svc", "--data", "/var/lib/svc"]
