# The bot in a container: every platform whose token is set, polling Telegram by default.
#   docker build -t factbot .
#   docker run --env-file .env -v factbot-data:/app/data factbot
# The dependencies are the exact, hash-checked versions of requirements.lock (`make lock`).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

# The lock first, alone: this layer is rebuilt only when a pin changes, not on every edit.
WORKDIR /src
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock

# The project itself, its dependencies already there; the source tree is not kept.
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY intents ./intents
RUN pip install --no-deps . && cd / && rm -rf /src

# The fact base and the article it quotes; data/ holds the journal and the delivery record.
WORKDIR /app
COPY facts.yaml article.txt ./
RUN groupadd --system --gid 10001 bot \
    && useradd --system --uid 10001 --gid bot --home-dir /app --shell /usr/sbin/nologin bot \
    && mkdir data && chown bot:bot data
USER 10001:10001
VOLUME ["/app/data"]

# matplotlib (the /timeline picture) wants a writable cache; /app is not the bot's to write.
ENV FACTS_PATH=/app/facts.yaml \
    HEALTH_PORT=8081 \
    MPLCONFIGDIR=/tmp/matplotlib
# 8080: Telegram's webhook (TELEGRAM_MODE=webhook, PORT); 8081: GET /healthz.
EXPOSE 8080 8081

# The slim image has no curl; Python's urllib fails on a 503 as on a refused connection.
# No proxy: the probe is for this container's own port, whatever HTTP_PROXY says.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as r; r.build_opener(r.ProxyHandler({})).open('http://127.0.0.1:%s/healthz' % os.environ['HEALTH_PORT'], timeout=4)"]

# SIGTERM (docker stop) stops within STOP_TIMEOUT (7 s), under Docker's 10 s.
CMD ["python", "-m", "bot", "run"]
