# Roadshow web app. Build: docker build -t roadshow .   Run: see README ("Running in production").
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    ROADSHOW_ENVIRONMENT=production \
    ROADSHOW_DATABASE_URL=sqlite:////data/roadshow.db \
    PORT=8000

RUN useradd --create-home --uid 10001 roadshow && mkdir /data && chown roadshow /data
WORKDIR /app

COPY pyproject.toml README.md ./
COPY app ./app
RUN pip install -e . && \
    for po in app/locale/*/LC_MESSAGES/*.po; do pybabel -q compile -i "$po" -o "${po%.po}.mo"; done

COPY alembic.ini ./
COPY migrations ./migrations
COPY templates ./templates
COPY seed_data ./seed_data

USER roadshow
VOLUME /data
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/healthz', timeout=4)"

# Migrate on start, then serve; ROADSHOW_DATABASE_URL and ROADSHOW_SECRET_KEY come from the environment.
CMD ["sh", "-c", "roadshow db upgrade && exec roadshow serve --host 0.0.0.0 --port \"$PORT\" --workers \"${WEB_CONCURRENCY:-2}\""]
