# kubetab: make build | make run | make test
# Every target does its own set-up; nothing needs to be installed first but Go (and Node
# for the engine's wasm tests).

GO       ?= go
ADDR     ?= 127.0.0.1:8080
WASM     := public/web/app.wasm
BIN      := bin/kubetab
# Node runs the js/wasm test binaries through go_js_wasm_exec from Go's own tree.
WASMPATH := $(PATH):$(shell $(GO) env GOROOT)/lib/wasm

# Assets served precompressed (.br and .gz next to each file), made by make build.
COMPRESS := $(WASM) public/web/app.css public/web/icon.svg
# Brotli quality 11 makes the smallest wasm (the 4 MB budget is for this); it takes ~2 min
# on 2 cores, so it runs only when the wasm changed.
BROTLI_QUALITY ?= 11
# The Cloudflare worker (see README, Deploying) and the directory make worker fills.
WORKER     := wasm/worker
WORKER_OUT ?= $(WORKER)/build

.PHONY: all build run test deps vet docs-report test-native test-wasm test-scenarios test-tutorials test-e2e test-worker worker chromium measure record-realk8s clean

all: build

deps:
	$(GO) mod download

# The compiler inlines only in the packages where the simulation spends its time: the
# runtime, the core of the standard library, apimachinery and the simulation's own packages.
# Everywhere else (k8s.io/api's generated code, go-app and the UI, kubectl's commands and
# printers, yaml, crypto, ...) inlining made the wasm 0.36 MB larger once brotli-compressed
# and nothing measurably faster (README, "Measured").
WASM_INLINE  := runtime/... internal/... reflect sync/... sync strings bytes strconv unicode/... unicode \
	sort slices maps math/... math time errors iter k8s.io/apimachinery/... \
	$(addprefix github.com/kubetab/kubetab/engine/,api apiserver clock cluster controller/... events kubelet kubelet/sh scheduler sim store)
# The compiler moves the initialisation of a package-level map into a function of its own,
# which the linker leaves out when nothing reads the map, but only for maps of 20 nodes or
# more; -d=wrapglobalmapctl=2 (every package) does it for all of them. That leaves out the
# small field-description maps of k8s.io/api's generated SwaggerDoc methods, which every
# package initialisation filled (explain reads engine/api/docs.json instead): -47.6 KB brotli.
WASM_MAPINIT := -d=wrapglobalmapctl=2
WASM_GCFLAGS := -gcflags='all=-l $(WASM_MAPINIT)' $(foreach p,$(WASM_INLINE),-gcflags='$(p)=$(WASM_MAPINIT)')

# The wasm links patched copies of a few modules (wasm/modpatch: each patch moves work that
# a package did at initialisation, and that kept libraries kubetab never uses in the wasm, to
# its first use): go.mod's copy in WASMMOD points at them. Native builds use the modules as
# they are.
WASMMOD := build/wasmmod/go.mod
$(WASMMOD): go.mod go.sum $(wildcard wasm/modpatch/*.go wasm/modpatch/patches/*.patch)
	$(GO) run ./wasm/modpatch -out $(dir $(WASMMOD))

# The wasm is replaced only when it changed, so that its compressed variants (and the
# service worker's version, a hash of public/web) change only with it. -s -w saves 2 % of
# the brotli size (stack traces keep their function names).
build: deps $(WASMMOD)
	GOOS=js GOARCH=wasm $(GO) build -modfile=$(WASMMOD) -trimpath $(WASM_GCFLAGS) -ldflags="-s -w" -o $(WASM).$$$$.new ./app && \
	if cmp -s $(WASM).$$$$.new $(WASM); then rm $(WASM).$$$$.new; else mv $(WASM).$$$$.new $(WASM); fi
	$(GO) build -o $(BIN) ./app
	@command -v brotli >/dev/null || (apt-get update >/dev/null && apt-get install -y brotli >/dev/null) || \
		echo "brotli is not available: the assets are served gzip-compressed only"
	@for f in $(COMPRESS); do for v in $$f.gz $$f.br; do \
		if [ -e $$v ] && { [ $$v -nt $$f ] || [ $$v -ot $$f ]; }; then rm -f $$v; fi; done; done
	@if command -v brotli >/dev/null; then $(MAKE) --no-print-directory $(COMPRESS:=.gz) $(COMPRESS:=.br); \
	else $(MAKE) --no-print-directory $(COMPRESS:=.gz); fi

# A variant is made from a copy of its file and takes that copy's modification time; the
# server serves it only while the file still has that time, so a variant never stands for
# another build's file (and build remakes one whose time differs). It is written aside and
# renamed, so it is never seen half-written.
%.gz: %
	cp -p $< $@.$$$$.src && gzip -9 -n -c $@.$$$$.src > $@.$$$$.tmp && touch -r $@.$$$$.src $@.$$$$.tmp && mv $@.$$$$.tmp $@; rm -f $@.$$$$.src

%.br: %
	cp -p $< $@.$$$$.src && brotli -q $(BROTLI_QUALITY) -w 24 -f -o $@.$$$$.tmp $@.$$$$.src && touch -r $@.$$$$.src $@.$$$$.tmp && mv $@.$$$$.tmp $@; rm -f $@.$$$$.src

run: build
	$(BIN) serve --addr $(ADDR)

test: deps vet test-native test-wasm test-tutorials test-e2e test-worker

# staticcheck, pinned: go run fetches it through the module proxy like any module, and its
# own dependencies stay out of go.mod. -matrix checks both builds at once, so code used only
# in the browser (or only natively) is not reported unused. kubectl's and the API server's
# own capitalised messages are excepted line by line (//lint:ignore ST1005).
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

vet: deps
	@unformatted=$$(gofmt -l app engine wasm e2e realk8s docspages public); if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) mod tidy -diff
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./app/... ./wasm/...
	printf 'native:\njs: GOOS=js GOARCH=wasm\n' | $(GO) run $(STATICCHECK) -matrix ./...

test-native: deps
	$(GO) test ./...

# The docs conformance suite (docspages/, run by test-native too): each page's pass rate, its
# known failures with their reasons, and (with DOCS_REPORT_FLAGS=-v) the output of a failure.
docs-report:
	$(GO) run ./docspages/cmd/docs-report $(DOCS_REPORT_FLAGS)

# The engine is pure Go: its tests must pass under js/wasm too (in Node, ~7x slower), with the
# patched modules the browser's wasm links.
# -short trims the few tests that only repeat in bulk what the native run already proves
# (random patch cases, persistence through the OS backend, the shipped lessons).
test-wasm: deps $(WASMMOD)
	PATH="$(WASMPATH)" GOOS=js GOARCH=wasm $(GO) test -modfile=$(WASMMOD) -short ./engine/...

# The scenario transcripts (testdata/scenarios/*.sh against their *.golden) alone, for
# working on them; `make test` runs them once, within test-native.
test-scenarios: deps
	$(GO) test -count=1 -run 'Scenario' ./engine/terminal

# The real transcripts (testdata/realk8s/*.txt, checked by realk8s's test within
# test-native) recorded again on a real control plane: each script on a fresh refk8s cluster
# with real kubectl, in wall time (~30 min for all). REFK8S is a built refk8s binary; when it
# does not exist, refk8s is copied from REFK8S_SRC into REFK8S_BUILD and built there (15-25
# min, needs the Go module proxy). NAMES records some scripts only (NAMES="basics ch05-services").
# Review the diff, then run `go test ./realk8s` and update realk8s/expected.go. CI never runs it.
REFK8S_SRC   ?= $(abspath ../shared/tools/refk8s)
REFK8S_BUILD ?= $(HOME)/.cache/kubetab/refk8s
REFK8S       ?= $(REFK8S_BUILD)/bin/refk8s

record-realk8s: deps
	@if [ ! -x "$(REFK8S)" ]; then \
		if [ "$(REFK8S)" != "$(REFK8S_BUILD)/bin/refk8s" ]; then echo "REFK8S=$(REFK8S) is not an executable"; exit 1; fi; \
		if [ ! -f "$(REFK8S_SRC)/build.sh" ]; then echo "no refk8s sources in $(REFK8S_SRC): set REFK8S_SRC or REFK8S"; exit 1; fi; \
		mkdir -p "$(REFK8S_BUILD)" && cp -R "$(REFK8S_SRC)/." "$(REFK8S_BUILD)/" && chmod -R u+w "$(REFK8S_BUILD)" && \
		cd "$(REFK8S_BUILD)" && ./build.sh; \
	fi
	$(GO) run ./realk8s/record -refk8s "$(REFK8S)" $(NAMES)

# Every lesson, headless in virtual time, the way a docs author tests their own:
# `kubetab tutorial test FILE...` names each failed check.
test-tutorials: deps
	$(GO) run ./app tutorial test public/tutorials/*.md

# The end-to-end tests: headless Chromium against `kubetab serve` (see e2e/), with axe-core
# for the accessibility checks.
test-e2e: build chromium e2e/node_modules/.package-lock.json
	KUBETAB_E2E=1 $(GO) test -count=1 -timeout 30m ./e2e

# axe-core, pinned in the committed package-lock.json (npm ci works offline from npm's cache).
e2e/node_modules/.package-lock.json: e2e/package-lock.json
	cd e2e && npm ci --no-audit --no-fund

# The worker and the site it serves, as deployed: the Go worker with the JavaScript shim of
# syumai/workers and our entry point, and `kubetab static` without the raw app.wasm (Workers
# assets are at most 25 MiB a file; the worker serves its .br and .gz variants).
worker: build
	$(GO) run github.com/syumai/workers/cmd/workers-assets-gen -mode=go -o $(WORKER_OUT)
	cp $(WORKER)/entry.mjs $(WORKER_OUT)/entry.mjs
	GOOS=js GOARCH=wasm $(GO) build -o $(WORKER_OUT)/app.wasm ./$(WORKER)
	$(BIN) static --out $(WORKER_OUT)/site
	test -f $(WORKER_OUT)/site/web/app.wasm.gz && rm $(WORKER_OUT)/site/web/app.wasm

# The worker under `wrangler dev`, offline: share round trip, headers, the app in Chromium
# under the worker's Content-Security-Policy, and the worker's size against the 3 MB limit.
test-worker: deps build chromium $(WORKER)/node_modules/.package-lock.json
	KUBETAB_WORKER_E2E=1 $(GO) test -count=1 -timeout 5m ./$(WORKER)

# wrangler, pinned in the committed package-lock.json.
$(WORKER)/node_modules/.package-lock.json: $(WORKER)/package-lock.json
	cd $(WORKER) && npm ci --no-audit --no-fund

chromium:
	@command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)

# The figures in README.md: wasm sizes, time to ready over 5 cold loads, 1,000 pods, and
# ReplicaSets of 10,000 and 30,000 pods in a tab (TestMeasureScale: time to Ready, frame gaps,
# the main thread's CPU, the wasm's memory; KUBETAB_MEASURE_PODS=N,... for other sizes). On a
# loaded machine the large ones take many minutes of wall time: hence the long timeout.
measure: build chromium
	@ls -l $(WASM) $(WASM).gz $(WASM).br
	KUBETAB_E2E=1 KUBETAB_MEASURE=1 $(GO) test -count=1 -timeout 3h -run Measure -v ./e2e

clean:
	rm -rf bin $(WASM) $(COMPRESS:=.gz) $(COMPRESS:=.br) $(WORKER_OUT)
