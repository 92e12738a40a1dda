# syntax=docker/dockerfile:1
# palmaid production image: a static binary on distroless (CA certificates included for the
# live WeChat API; time zones come from the binary's embedded time/tzdata).
#
#   docker build --build-arg VERSION="$(git describe --always --dirty)" -t palmaid .
#   (in mainland China add --build-arg GOPROXY=https://goproxy.cn,direct)
#   docker run --rm palmaid migrate up      # explicit schema step (serve refuses an older schema)
#   docker run -p 8080:8080 palmaid         # serve; needs PALMAID_DB_DSN, PALMAID_REDIS_ADDR,
#                                           # PALMAID_WECHAT_APP_ID/SECRET, PALMAID_DATA_KEY, PALMAID_INDEX_KEY

FROM golang:1.26-bookworm AS build
WORKDIR /src
ENV CGO_ENABLED=0 GOFLAGS=-buildvcs=false
# The Go module proxy the build downloads from (e.g. https://goproxy.cn,direct in mainland China).
ARG GOPROXY=https://proxy.golang.org,direct
ENV GOPROXY=${GOPROXY}
# Modules first: this layer stays cached until go.mod or go.sum changes.
COPY go.mod go.sum ./
RUN go mod download && go mod verify
COPY . .
ARG VERSION=dev
RUN --mount=type=cache,target=/root/.cache/go-build \
    go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/palmaid . \
 && /out/palmaid version

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/palmaid /palmaid
ENV PALMAID_MODE=production \
    PALMAID_HTTP_ADDR=:8080
USER nonroot:nonroot
EXPOSE 8080
# No shell or curl in distroless: the binary GETs http://127.0.0.1:8080/healthz itself.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["/palmaid", "healthcheck"]
ENTRYPOINT ["/palmaid"]
CMD ["serve"]
