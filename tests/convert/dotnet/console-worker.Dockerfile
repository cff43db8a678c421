FROM mcr.microsoft.com/dotnet/sdk:8.0-alpine
WORKDIR /source
COPY *.csproj .
COPY . .
RUN dotnet publish -c Release -o out
ENV DOTNET_gcServer=0
ENTRYPOINT ["dotnet", "out/QueueWorker.dll"]
