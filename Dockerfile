# Multi-stage image: build a wheel with the same install steps CI runs, then a slim runtime.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY ingest ingest
COPY alerts alerts
COPY config config
COPY web web
RUN python -m venv /opt/cswatch \
    && /opt/cswatch/bin/pip install --no-cache-dir --upgrade pip \
    && /opt/cswatch/bin/pip install --no-cache-dir .

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 cswatch \
    && mkdir -p /app/var && chown cswatch:cswatch /app/var
COPY --from=build /opt/cswatch /opt/cswatch
ENV PATH=/opt/cswatch/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    CSWATCH_HOME=/app \
    CSWATCH_DATABASE_URL=sqlite:////app/var/cswatch.db \
    CSWATCH_VAR_DIR=/app/var \
    CSWATCH_DAEMON__HEALTH_HOST=0.0.0.0 \
    CSWATCH_WEB__HOST=0.0.0.0 \
    CSWATCH_WEB__SERVE_IN_DAEMON=true
WORKDIR /app
USER cswatch
VOLUME ["/app/var"]
EXPOSE 8787 8080
HEALTHCHECK --interval=60s --timeout=20s --start-period=120s --retries=3 \
    CMD ["cswatch", "health"]
ENTRYPOINT ["cswatch"]
CMD ["run"]
