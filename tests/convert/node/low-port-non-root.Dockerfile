FROM node:20
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build
VOLUME /app/data
EXPOSE 80
CMD ["node", "dist/index.js"]
