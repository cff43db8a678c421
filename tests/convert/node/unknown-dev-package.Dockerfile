FROM node:20-bookworm
RUN apt-get update && apt-get install -y libsndfile1-dev libmagic-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
CMD ["node", "index.js"]
