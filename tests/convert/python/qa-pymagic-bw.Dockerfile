FROM python:3.12-bookworm
RUN apt-get update && apt-get install -y libmagic-dev libpcre3-dev libtiff-dev
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
CMD ["uwsgi","--http",":8000","--module","app.wsgi"]
