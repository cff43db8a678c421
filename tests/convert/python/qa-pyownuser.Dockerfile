FROM python:3.12
RUN useradd -m web && mkdir -p /app/media && chown -R web /app
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]
