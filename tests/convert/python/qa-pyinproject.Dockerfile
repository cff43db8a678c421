FROM python:3.12
ENV POETRY_VIRTUALENVS_IN_PROJECT=true
WORKDIR /code
RUN pip install poetry
COPY pyproject.toml poetry.lock ./
RUN poetry install --no-root --only main
COPY . .
CMD ["poetry", "run", "python", "-m", "service"]
