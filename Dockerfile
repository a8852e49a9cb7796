# Entente as a container image: `entente serve` on 0.0.0.0:8000 as the user `entente`.
# docker-compose.yml runs it behind nginx with PostgreSQL and Redis; see the README's
# "Self-hosting" section.
#
# The install commands are the ones `make setup` runs in CI (pip upgraded, then the
# project installed editable), without the `[dev]` extra. Editable on purpose: Entente
# reads templates/, static/, scenarios/ and migrations/ next to its `app` package
# (app.config.PROJECT_ROOT), so the package must stay in /app, not in site-packages.

ARG PYTHON_IMAGE=python:3.11-slim

# --- build: the virtual environment with the pinned dependencies --------------------------
FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1
WORKDIR /app
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
# Only the metadata first, so this layer (every dependency) is rebuilt only when
# pyproject.toml changes; the package itself is a stub until the runtime stage copies it.
# pip itself is upgraded unpinned, as `make setup` does (the project's own pins do the rest).
COPY pyproject.toml README.md ./
# hadolint ignore=DL3013
RUN mkdir app && touch app/__init__.py \
    && python -m pip install --quiet --upgrade pip \
    && python -m pip install --quiet -e .

# --- runtime ------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    ENTENTE_HOST=0.0.0.0 \
    ENTENTE_PORT=8000 \
    ENTENTE_VAR_DIR=/var/lib/entente
RUN groupadd --system --gid 10001 entente \
    && useradd --system --uid 10001 --gid entente --home-dir /var/lib/entente \
       --shell /usr/sbin/nologin entente \
    && install -d -o entente -g entente -m 0700 /var/lib/entente
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
# Everything PROJECT_ROOT (/app) must hold, owned by root: the app cannot change itself.
COPY pyproject.toml README.md alembic.ini ./
COPY migrations/ migrations/
COPY scenarios/ scenarios/
COPY static/ static/
COPY templates/ templates/
COPY app/ app/
# The install works from here: the command runs, and finds the scenarios beside app/.
RUN python -m compileall -q app migrations \
    && entente scenario validate

# By number, so a platform can check it is not root without reading /etc/passwd.
USER 10001:10001
EXPOSE 8000
# Liveness only (/healthz answers while the process serves); slim images have no curl.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('ENTENTE_PORT', '8000'), timeout=4)"]
# Migrations are not run here: with two replicas they are the one-shot `migrate` service
# of docker-compose.yml (`entente db upgrade && entente scenario load`).
CMD ["entente", "serve"]
