FROM gcc:13
WORKDIR /src
COPY . .
RUN make -j"$(nproc)" && make install PREFIX=/usr/local
EXPOSE 70/tcp
CMD ["/usr/local/bin/gopherd", "-p", "70"]
