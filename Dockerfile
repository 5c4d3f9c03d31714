# syntax=docker/dockerfile:1
# aws-tag-exporter: `deno task serve` in a distroless image.
#
#   docker build -t aws-tag-exporter .
#   docker run -p 8080:8080 -v ~/.aws:/home/nonroot/.aws:ro \
#     -v "$PWD/config.yaml:/app/config.yaml:ro" aws-tag-exporter
#
# Both stages pin the same Deno as CI (.github/workflows/ci.yml); keep them in
# step (tests/ship_manifests_test.ts checks it).

# Build: fetch every npm dependency into DENO_DIR once, at build time, from
# the lockfile only (--frozen fails the build instead of updating it).
FROM denoland/deno:debian-2.9.6 AS build
ENV DENO_DIR=/deno-dir \
    DENO_NO_UPDATE_CHECK=1
WORKDIR /app
COPY deno.json deno.lock ./
RUN deno install --frozen
COPY main.ts ./
COPY src/ ./src/
RUN deno cache --frozen main.ts

# Runtime: no shell, no package manager, runs as nonroot. Nothing is fetched
# at start: DENO_DIR holds every dependency and every task runs with
# --cached-only. (The build fetches deno.json's package metadata in the
# background and may exit before a slow registry answers; running needs none
# of it, but without --cached-only Deno would try again at every start.)
FROM denoland/deno:distroless-2.9.6
ENV DENO_DIR=/deno-dir \
    DENO_NO_UPDATE_CHECK=1 \
    DENO_NO_PROMPT=1
COPY --from=build /deno-dir /deno-dir
WORKDIR /app
COPY --from=build /app /app
# 65532 is distroless' "nonroot" user; numeric so that Kubernetes'
# runAsNonRoot can verify it without a runAsUser.
USER 65532:65532
EXPOSE 8080
# The base image's ENTRYPOINT is ["/tini", "--", "/bin/deno"]: tini forwards
# SIGTERM for the graceful shutdown and reaps children. Kubernetes `args`
# replace CMD, so they start with "task", "serve".
ENTRYPOINT ["/tini", "--", "/bin/deno"]
CMD ["task", "serve", "--config", "/app/config.yaml"]
