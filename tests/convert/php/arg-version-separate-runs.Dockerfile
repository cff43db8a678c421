ARG PHP_VERSION=8.1

FROM php:${PHP_VERSION}-fpm

RUN apt-get update && apt-get install -y --no-install-recommends \
    libmagickwand-dev \
    libmemcached-dev \
    zlib1g-dev \
    libssl-dev \
    unzip

RUN docker-php-ext-install mysqli pdo_mysql

RUN pecl install imagick memcached \
    && docker-php-ext-enable imagick memcached

RUN echo "memory_limit=256M" > /usr/local/etc/php/conf.d/memory.ini

COPY . /var/www/html
WORKDIR /var/www/html

CMD ["php-fpm"]
