# palmaid — common tasks. `make ci` is what CI runs (see .ci/run).
VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)

.PHONY: run test build lint ci

run:
	go run .

test:
	go test -race -count=1 -timeout 30m ./...

build:
	CGO_ENABLED=0 go build -trimpath -ldflags "$(LDFLAGS)" -o palmaid .

lint:
	@out="$$(gofmt -l .)"; if [ -n "$$out" ]; then echo "gofmt: these files need formatting (run gofmt -w):"; echo "$$out"; exit 1; fi
	go vet ./...

ci:
	bash .ci/run
