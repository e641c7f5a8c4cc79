# Image for the web (gunicorn) and worker (celery) services of docker-compose.yml.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts/vendor-assets scripts/vendor-assets
RUN mkdir -p static && scripts/vendor-assets

FROM python:3.12-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
# WeasyPrint needs Pango. Appeal fonts are bundled (static/vendor/fonts, from npm); the
# Debian Noto fonts are a fallback for scripts the bundle does not cover.
# manage.py backup/restore need pg_dump/pg_restore of the server's major version or newer:
# PostgreSQL's own Debian repository has 17, the version docker-compose.yml runs.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-core curl \
    ca-certificates \
 && install -d /usr/share/postgresql-common/pgdg \
 && curl -fsSL -o /usr/share/postgresql-common/pgdg/apt.postgresql.org.asc \
    https://www.postgresql.org/media/keys/ACCC4CF8.asc \
 && echo "deb [signed-by=/usr/share/postgresql-common/pgdg/apt.postgresql.org.asc] https://apt.postgresql.org/pub/repos/apt bookworm-pgdg main" \
    > /etc/apt/sources.list.d/pgdg.list \
 && apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client-17 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
COPY --from=assets /app/static/vendor static/vendor
RUN SECRET_KEY=build-only python manage.py collectstatic --no-input
RUN useradd --system --home /app casefile && mkdir -p var && chown casefile var
USER casefile
EXPOSE 8000
# Workers, threads, timeouts: gunicorn.conf.py, from GUNICORN_* variables.
ENV GUNICORN_BIND=0.0.0.0:8000
CMD ["gunicorn", "--config", "gunicorn.conf.py", "config.wsgi"]
