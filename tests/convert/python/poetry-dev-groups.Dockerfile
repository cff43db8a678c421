# Poetry installs every non-optional group by default, the dev group
# (pytest, mypy, ruff) included: the runtime image would carry them.
FROM python:3.12
WORKDIR /app
RUN pip install poetry==1.8.3
COPY pyproject.toml poetry.lock ./
RUN poetry config virtualenvs.create false \
    && poetry install --no-interaction --no-root
COPY . .
CMD ["poetry", "run", "gunicorn", "-b", "0.0.0.0:8000", "app:app"]
