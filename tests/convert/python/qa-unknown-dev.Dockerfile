FROM python:3.12-bookworm
RUN apt-get update && apt-get install -y libsndfile1-dev libmagic-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
CMD ["python", "main.py"]
