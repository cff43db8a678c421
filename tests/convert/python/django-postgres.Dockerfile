ARG PYTHON_VERSION=3.12
FROM python:${PYTHON_VERSION}
LABEL org.opencontainers.image.source="https://example.com/shop"
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential libpq-dev libxml2-dev libxslt1-dev gettext \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /code
COPY requirements/ requirements/
RUN pip install --user -r requirements/production.txt
COPY . .
ENV DJANGO_SETTINGS_MODULE=shop.settings.production
RUN python manage.py collectstatic --noinput
EXPOSE 8000
CMD gunicorn shop.wsgi:application --bind 0.0.0.0:8000 --workers 3
