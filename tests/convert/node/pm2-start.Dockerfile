FROM node:16

RUN npm install -g pm2@5

WORKDIR /var/www/api
COPY . .
RUN npm install && npm run build

EXPOSE 5000
CMD ["pm2-runtime", "ecosystem.config.js", "--env", "production"]
