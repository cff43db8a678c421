FROM python:3.11
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
RUN python -m nltk.downloader punkt stopwords
RUN python -m spacy download en_core_web_sm
RUN playwright install --with-deps chromium
COPY . .
CMD ["python", "worker.py"]
