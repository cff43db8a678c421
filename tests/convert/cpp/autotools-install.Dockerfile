FROM debian:bookworm
RUN apt-get update && apt-get install -y build-essential autoconf automake libtool pkg-config libevent-dev libcurl4-openssl-dev
COPY . /usr/src/tinyproxy
WORKDIR /usr/src/tinyproxy
RUN ./autogen.sh && ./configure && make -j4 && make install
EXPOSE 8888
CMD ["tinyproxy", "-d"]
