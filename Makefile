# palmaid — common tasks. `make ci` is what CI runs (see .ci/run).
VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)

.PHONY: run test test-race build lint ci bench bench-short bench-scale

run:
	go run .

test:
	go test -count=1 -timeout 30m ./...

# The whole suite under the race detector (CI runs it after make test).
test-race:
	go test -race -count=1 -timeout 30m ./...

build:
	CGO_ENABLED=0 go build -trimpath -ldflags "$(LDFLAGS)" -o palmaid .

lint:
	@out="$$(gofmt -l .)"; if [ -n "$$out" ]; then echo "gofmt: these files need formatting (run gofmt -w):"; echo "$$out"; exit 1; fi
	go vet ./...

ci:
	bash .ci/run

# Load harness (bench/): palmaid against a floor measured in the same run. Embedded by default;
# PALMAID_BENCH_MYSQL_DSN='root@tcp(127.0.0.1:3306)/' PALMAID_BENCH_REDIS_ADDR=127.0.0.1:6379 for
# MariaDB + Redis. BENCH_FLAGS='-d 5s -c 32' to change durations and connections.
bench:
	go run ./bench $(BENCH_FLAGS)

bench-short:
	go run ./bench -short $(BENCH_FLAGS)

# Scale-out: 3 replicas behind a round-robin proxy beside one replica, on MariaDB + Redis
# (PALMAID_BENCH_MYSQL_DSN required); fails on a duplicate notification push or a job run twice.
bench-scale:
	go run ./bench -replicas 3 $(BENCH_FLAGS)
