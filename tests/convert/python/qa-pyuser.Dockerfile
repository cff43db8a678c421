FROM python:3.11
RUN useradd -m app
USER app
WORKDIR /home/app
COPY --chown=app requirements.txt .
RUN pip install --user -r requirements.txt
COPY --chown=app . .
ENV PATH=/home/app/.local/bin:$PATH
CMD ["gunicorn", "app:app"]
