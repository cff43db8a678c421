FROM eclipse-temurin:17-jdk-alpine
RUN apk add --no-cache maven
RUN addgroup -S spring && adduser -S spring -G spring
WORKDIR /opt/app
COPY . .
RUN mvn -q package -DskipTests && cp target/*.jar /opt/app/app.jar
USER spring:spring
EXPOSE 8081
ENTRYPOINT ["java", "-Xms256m", "-jar", "/opt/app/app.jar"]
