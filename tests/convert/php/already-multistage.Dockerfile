FROM composer:2 AS vendor
WORKDIR /app
COPY composer.json composer.lock ./
RUN composer install --no-dev --no-scripts --ignore-platform-reqs --prefer-dist

FROM php:8.2-fpm
RUN apt-get update && apt-get install -y libzip-dev libxslt1-dev \
    && docker-php-ext-install zip xsl pdo_mysql \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /var/www
COPY --from=vendor /app/vendor ./vendor
COPY . .
CMD ["php-fpm"]
