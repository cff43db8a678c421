FROM debian:12
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential apache2 libssl-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# The build installs the program and writes Apache's configuration for it.
RUN ./configure --prefix=/usr/local \
    && make \
    && make install \
    && cp contrib/apache/monitor.conf /etc/apache2/conf-available/monitor.conf \
    && echo "ServerName localhost" > /etc/apache2/conf-available/servername.conf \
    && sed -i 's/^Listen 80$/Listen 8080/' /etc/apache2/ports.conf
RUN a2enconf monitor servername
EXPOSE 8080
CMD ["/usr/local/bin/monitord", "--foreground"]
