FROM python:3.12
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
RUN mkdir -p /app/uploads /data
VOLUME ["/data"]
ENV DATABASE_PATH=/data/app.db UPLOAD_DIR=/app/uploads
EXPOSE 8000
CMD ["python", "app.py"]
