# Spring Boot API built with Maven
FROM maven:3.9.6-eclipse-temurin-17

WORKDIR /usr/src/app

# Dependencies first, for layer caching
COPY pom.xml .
RUN mvn -B dependency:go-offline

COPY src ./src
RUN mvn -B package -DskipTests

ENV JAVA_OPTS="-XX:MaxRAMPercentage=75.0"
ENV SPRING_PROFILES_ACTIVE=prod
EXPOSE 8080
ENTRYPOINT ["sh", "-c", "java $JAVA_OPTS -jar target/orders-service-1.4.2.jar"]
