# Image for the Spark side of docker-compose.yml (Thrift server and jobs). Same bootstrap as a machine.
FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends make sudo && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . /app
RUN scripts/bootstrap.sh
ENV PATH=/app/.venv/bin:$PATH LAKEHOUSE_BIND_HOST=0.0.0.0
EXPOSE 10000
