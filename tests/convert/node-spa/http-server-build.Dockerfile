FROM node:20
WORKDIR /app
COPY . .
RUN yarn install && yarn build
RUN yarn global add http-server
LABEL org.opencontainers.image.title="dashboard"
EXPOSE 8080
CMD ["http-server", "dist", "-p", "8080", "--proxy", "http://localhost:8080?"]
