FROM debian:bookworm
ENV APP_GROUP=app
RUN sed -i 's/main/main contrib non-free/' /etc/apt/sources.list.d/debian.sources
RUN apt-get update && apt-get install -y --no-install-recommends build-essential snmp snmp-mibs-downloader runit
RUN ( egrep -i "^${APP_GROUP}" /etc/group || groupadd $APP_GROUP )
RUN ( id -u app || useradd --system app -g $APP_GROUP )
COPY . /src
COPY fix.diff /opt/patches/fix.diff
RUN cd /src && patch -p1 < /opt/patches/fix.diff && ./configure && make && make install
COPY notes.txt /tmp/notes.txt
RUN download-mibs && echo "mibs +ALL" > /etc/snmp/snmp.conf
RUN mkdir -p /etc/sv/app
ADD app.init /etc/sv/app/run
ADD start.sh /usr/local/bin/start_app
CMD ["/usr/local/bin/start_app"]
