FROM eclipse-temurin:21-jdk-jammy

WORKDIR /workspace
COPY gradlew settings.gradle.kts build.gradle.kts ./
COPY gradle ./gradle
RUN chmod +x gradlew
COPY src ./src
RUN ./gradlew build -x test --no-daemon

ENV JAVA_TOOL_OPTIONS="-XX:+UseContainerSupport"
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s CMD curl -fs http://localhost:8080/actuator/health || exit 1
CMD java -jar build/libs/*.jar
