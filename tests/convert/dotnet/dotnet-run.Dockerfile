FROM mcr.microsoft.com/dotnet/sdk:7.0
ENV ASPNETCORE_ENVIRONMENT=Staging
WORKDIR /app
COPY . .
RUN dotnet restore src/Shop.Web/Shop.Web.csproj
RUN dotnet build src/Shop.Web/Shop.Web.csproj --no-restore
EXPOSE 80
CMD dotnet run --no-build --project src/Shop.Web/Shop.Web.csproj --urls http://0.0.0.0:80
