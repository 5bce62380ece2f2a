# kubetab: make build | make run | make test
# Every target does its own set-up; nothing needs to be installed first but Go (and Node
# for the engine's wasm tests).

GO       ?= go
ADDR     ?= 127.0.0.1:8080
WASM     := public/web/app.wasm
BIN      := bin/kubetab
# Node runs the js/wasm test binaries through go_js_wasm_exec from Go's own tree.
WASMPATH := $(PATH):$(shell $(GO) env GOROOT)/lib/wasm

.PHONY: all build run test deps vet test-native test-wasm test-scenarios clean

all: build

deps:
	$(GO) mod download

# The wasm is built first: the server's app version is derived from its hash, so a new
# wasm is a new version for the service worker's cache, and an unchanged one is not.
build: deps
	GOOS=js GOARCH=wasm $(GO) build -o $(WASM) ./app
	$(GO) build -ldflags "-X main.appVersion=0.1.0-$$(sha256sum $(WASM) | cut -c1-12)" -o $(BIN) ./app

run: build
	$(BIN) serve --addr $(ADDR)

test: deps vet test-native test-wasm test-scenarios

vet: deps
	@unformatted=$$(gofmt -l app engine); if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./app

test-native: deps
	$(GO) test ./...

# The engine is pure Go: its tests must pass under js/wasm too (in Node, ~7x slower).
test-wasm: deps
	PATH="$(WASMPATH)" GOOS=js GOARCH=wasm $(GO) test ./engine/...

# The scenario transcripts (testdata/scenarios/*.sh against their *.golden), by name, so a
# failure here reads as "a transcript changed". They also run within test-native.
test-scenarios: deps
	$(GO) test -count=1 -run 'Scenario' ./engine/terminal

clean:
	rm -rf bin $(WASM)
