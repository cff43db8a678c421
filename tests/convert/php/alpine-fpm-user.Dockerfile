# syntax=docker/dockerfile:1
FROM php:8.3-fpm-alpine3.20

RUN apk add --no-cache \
        bash \
        fcgi \
        icu-dev \
        libzip-dev \
        oniguruma-dev \
        $PHPIZE_DEPS \
    && docker-php-ext-install intl zip mbstring opcache \
    && pecl install apcu \
    && docker-php-ext-enable apcu

COPY --from=composer:2 /usr/bin/composer /usr/local/bin/composer

WORKDIR /app
COPY --chown=www-data:www-data composer.json composer.lock ./
RUN composer install --no-dev --no-scripts --no-autoloader

COPY --chown=www-data:www-data . .
RUN composer dump-autoload --classmap-authoritative

USER www-data

HEALTHCHECK --interval=30s CMD cgi-fcgi -bind -connect 127.0.0.1:9000 || exit 1
CMD ["php-fpm", "-F"]
