FROM maven:3-amazoncorretto-21
WORKDIR /app
COPY . .
RUN mvn -B compile
EXPOSE 8080
CMD ["mvn", "spring-boot:run", "-Dspring-boot.run.profiles=docker"]
