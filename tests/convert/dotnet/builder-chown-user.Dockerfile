FROM mcr.microsoft.com/dotnet/sdk:8.0
RUN useradd -m dev
WORKDIR /src
COPY --chown=dev:dev . .
RUN dotnet publish Api/Api.csproj -c Release -o /app
WORKDIR /app
EXPOSE 8080
ENTRYPOINT ["dotnet", "Api.dll"]
