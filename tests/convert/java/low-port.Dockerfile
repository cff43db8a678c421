FROM maven:3.9.6-eclipse-temurin-21
WORKDIR /usr/src/app
COPY pom.xml .
RUN mvn -B dependency:go-offline
COPY src ./src
RUN mvn -B package -DskipTests
ENV SERVER_PORT=443
EXPOSE 443
ENTRYPOINT ["java", "-jar", "target/gateway-2.0.0.jar"]
