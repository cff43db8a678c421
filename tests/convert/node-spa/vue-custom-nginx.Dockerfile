FROM node:16
RUN apt-get update && apt-get install -y nginx && rm -rf /var/lib/apt/lists/*
WORKDIR /usr/src/app
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile
COPY . .
RUN yarn build
COPY nginx.conf /etc/nginx/sites-available/default
RUN cp -r dist/* /var/www/html
EXPOSE 80
CMD nginx -g 'daemon off;'
