# syntax=docker/dockerfile:1
FROM php:8.3-apache

RUN <<EOF
set -eux
apt-get update
apt-get install -y --no-install-recommends libzip-dev unzip
docker-php-ext-install zip opcache
a2enmod rewrite headers
EOF

COPY --from=composer/composer:2-bin /composer /usr/bin/composer

WORKDIR /var/www/html
COPY composer.json composer.lock ./
RUN --mount=type=cache,target=/tmp/cache \
    COMPOSER_CACHE_DIR=/tmp/cache composer install --no-dev --no-scripts --no-autoloader
COPY . .
RUN composer dump-autoload --optimize --no-dev

# Apache serves the public/ directory
ENV APACHE_DOCUMENT_ROOT=/var/www/html/public
RUN sed -ri 's!/var/www/html!${APACHE_DOCUMENT_ROOT}!g' /etc/apache2/sites-available/000-default.conf
