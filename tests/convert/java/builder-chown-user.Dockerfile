FROM maven:3.9-eclipse-temurin-17
RUN useradd -m builder
WORKDIR /build
COPY --chown=builder pom.xml .
COPY --chown=builder src ./src

RUN mvn -B package -DskipTests
EXPOSE 8080
CMD ["java", "-jar", "target/app.jar"]
