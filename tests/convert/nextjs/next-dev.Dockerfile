FROM node:20
WORKDIR /app
COPY package*.json ./
RUN npm install
COPY . .
ENV NEXT_PUBLIC_API_URL=https://api.example.com
EXPOSE 3000
CMD ["npm", "run", "dev"]
