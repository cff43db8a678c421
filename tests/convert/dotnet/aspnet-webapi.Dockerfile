FROM mcr.microsoft.com/dotnet/sdk:8.0
WORKDIR /src

# Restore with only the project files, for layer caching
COPY ["Orders.sln", "./"]
COPY ["src/Orders.Api/Orders.Api.csproj", "src/Orders.Api/"]
COPY ["src/Orders.Domain/Orders.Domain.csproj", "src/Orders.Domain/"]
RUN dotnet restore "src/Orders.Api/Orders.Api.csproj"

COPY . .
WORKDIR /src/src/Orders.Api
RUN dotnet publish "Orders.Api.csproj" -c Release -o /app/publish --no-restore

WORKDIR /app/publish
ENV ASPNETCORE_ENVIRONMENT=Production
EXPOSE 8080
HEALTHCHECK --interval=30s CMD curl -f http://localhost:8080/health || exit 1
ENTRYPOINT ["dotnet", "Orders.Api.dll"]
