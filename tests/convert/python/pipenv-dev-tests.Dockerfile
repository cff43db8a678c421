# An image that runs the test suite: its development packages are what it
# is for, so `pipenv install --dev` stays.
FROM python:3.11
WORKDIR /src
RUN pip install pipenv
COPY Pipfile Pipfile.lock ./
RUN pipenv install --system --deploy --dev
COPY . .
CMD ["python", "-m", "pytest", "-q"]
