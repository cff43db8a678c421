FROM maven:3.9-eclipse-temurin-21-alpine AS build
WORKDIR /src
COPY . .
RUN mvn -B -DskipTests package

FROM maven:3.9-eclipse-temurin-21-alpine
WORKDIR /app
COPY --from=build /src/target/inventory.jar ./inventory.jar
EXPOSE 8080
CMD ["java", "-jar", "inventory.jar"]
