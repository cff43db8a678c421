FROM python:3.12
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libpq-dev supervisor nginx \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# supervisord starts gunicorn and nginx, each as its own user.
COPY deploy/supervisord.conf /etc/supervisor/conf.d/app.conf
COPY deploy/nginx.conf /etc/nginx/sites-enabled/default
EXPOSE 80
CMD ["/usr/bin/supervisord", "-n", "-c", "/etc/supervisor/supervisord.conf"]
