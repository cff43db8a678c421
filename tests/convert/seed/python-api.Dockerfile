# The seed article's Python API with compiled dependencies (psycopg2, Pillow),
# written as the single-stage file a team would have.
FROM python:3.12
RUN apt-get update && apt-get install -y gcc libpq-dev libjpeg-dev zlib1g-dev
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY src/ ./src/
COPY main.py .
EXPOSE 8000
CMD ["python", "main.py"]
