FROM ubuntu:22.04

ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
    && apt-get install -y --no-install-recommends openjdk-17-jdk-headless maven fontconfig curl \
    && rm -rf /var/lib/apt/lists/*
ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64

WORKDIR /build
COPY pom.xml .
COPY src src
RUN mvn --batch-mode -s /build/src/main/docker/settings.xml clean package

WORKDIR /srv
RUN cp /build/target/report-generator-2.0.0.jar /srv/report-generator.jar
EXPOSE 9000
CMD ["java", "-jar", "/srv/report-generator.jar", "--server.port=9000"]
