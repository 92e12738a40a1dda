# palmaid production image: a static binary on distroless (CA certificates included for the
# live WeChat API; time zones come from the binary's embedded time/tzdata). The build needs no
# secret: settings are read when the container starts.
#
#   docker build --build-arg VERSION="$(git describe --always --dirty)" -t palmaid .
#   docker run --rm --env-file palmaid.env palmaid migrate up   # explicit schema step (serve refuses an older schema)
#   docker run -p 8080:8080 --env-file palmaid.env -v palmaid-data:/var/lib/palmaid palmaid
#
# Where the images and modules come from (build arguments; defaults reachable from mainland China
# for modules, the upstream registries for images):
#   REGISTRY_MIRROR  Docker Hub or a mirror of it (e.g. docker.m.daocloud.io)        [docker.io]
#   GCR_MIRROR       gcr.io or a mirror of it (e.g. gcr.m.daocloud.io)              [gcr.io]
#   GOPROXY          the Go module proxy                                            [https://goproxy.cn,direct]
# No `# syntax=` line: it would pull the Dockerfile frontend from Docker Hub past the mirror; the
# BuildKit built into Docker ≥ 23 reads this file (cache mounts, COPY --chmod).
ARG REGISTRY_MIRROR=docker.io
ARG GCR_MIRROR=gcr.io

FROM ${REGISTRY_MIRROR}/library/golang:1.26-bookworm AS build
WORKDIR /src
ENV CGO_ENABLED=0 GOFLAGS=-buildvcs=false
ARG GOPROXY=https://goproxy.cn,direct
ENV GOPROXY=${GOPROXY}
# Modules first: this layer stays cached until go.mod or go.sum changes.
COPY go.mod go.sum ./
RUN go mod download && go mod verify
COPY . .
ARG VERSION=dev
RUN --mount=type=cache,target=/root/.cache/go-build \
    go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/palmaid . \
 && /out/palmaid version \
 && mkdir -p /out/data

FROM ${GCR_MIRROR}/distroless/static-debian12:nonroot
COPY --from=build /out/palmaid /palmaid
# The data directory (uploads with the local storage driver) exists in the image, owned by the
# user that runs palmaid, so a named volume mounted there starts with that owner and mode.
COPY --from=build --chown=65532:65532 --chmod=0700 /out/data /var/lib/palmaid
ENV PALMAID_MODE=production \
    PALMAID_HTTP_ADDR=:8080 \
    PALMAID_DATA_DIR=/var/lib/palmaid
USER nonroot:nonroot
EXPOSE 8080
# No shell or curl in distroless: the binary GETs http://127.0.0.1:8080/healthz itself.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["/palmaid", "healthcheck"]
ENTRYPOINT ["/palmaid"]
CMD ["serve"]
