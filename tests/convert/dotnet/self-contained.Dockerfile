# syntax=docker/dockerfile:1
ARG DOTNET_VERSION=9.0
FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION}-noble
WORKDIR /build
COPY Ingest.csproj .
RUN --mount=type=cache,target=/root/.nuget/packages dotnet restore -r linux-x64
COPY . .
RUN --mount=type=cache,target=/root/.nuget/packages \
    dotnet publish -c Release -r linux-x64 --self-contained true -p:PublishSingleFile=true --no-restore -o /out
USER app
EXPOSE 80
ENTRYPOINT ["/out/Ingest"]
