FROM node:20
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build
ENV PORT=3000
ENTRYPOINT ["/bin/sh", "-ec"]
CMD ["exec node dist/server.js --port $PORT"]
