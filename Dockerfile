FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 UV_PYTHON_DOWNLOADS=never UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /app
RUN pip install --no-cache-dir "uv>=0.5,<1"
COPY pyproject.toml uv.lock README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY storage ./storage
COPY sources.toml ./
RUN uv sync --frozen --no-dev && useradd --create-home alertbot && mkdir -p data \
    && chown alertbot data
USER alertbot
VOLUME ["/app/data"]
CMD ["/app/.venv/bin/alertbot", "run"]
