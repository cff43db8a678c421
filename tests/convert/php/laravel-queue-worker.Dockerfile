FROM php:8.3-cli

RUN apt-get update && apt-get install -y git unzip libzip-dev libpq-dev \
    && docker-php-ext-install zip pdo_pgsql pcntl \
    && rm -rf /var/lib/apt/lists/*

COPY --from=composer:latest /usr/bin/composer /usr/bin/composer

WORKDIR /app
COPY . .
RUN composer install --optimize-autoloader

ENV APP_ENV=production
CMD ["php", "artisan", "queue:work", "--tries=3"]
