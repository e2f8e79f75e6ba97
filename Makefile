# maso: a signed actor runtime for multi-agent LLM workloads under the MASO controls.
# `make help` lists the targets.

GO        ?= go
BIN       := bin
DATA_DIR  ?= maso-data
ADMIN     ?= 127.0.0.1:7480
PKGS      := ./...
BENCHTIME ?= 3s
BENCH_OUT ?= bench.out

.DEFAULT_GOAL := help

.PHONY: help
help: ## Show this help
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: build
build: ## Build masod and masoctl into bin/
	$(GO) build -o $(BIN)/masod ./cmd/masod
	$(GO) build -o $(BIN)/masoctl ./cmd/masoctl

.PHONY: run
run: build ## Start masod on embedded defaults with the bundled claims workload
	@echo "masod: admin API on http://$(ADMIN), data in ./$(DATA_DIR), token in ./$(DATA_DIR)/admin.token"
	@echo "try:   ./$(BIN)/masoctl task submit --to intake --file examples/claim.json --wait"
	$(BIN)/masod --data-dir $(DATA_DIR) --admin-addr $(ADMIN)

.PHONY: vault
vault: ## Build the Vault dev server the tests use into bin/vault (tools/vaultdev, Vault v1.21.0)
	@scripts/build-vault.sh

.PHONY: test
test: test-deps vault ## Install and build what the tests need, then run every test (race detector on), then the remote pass
	$(GO) vet $(PKGS)
	$(GO) test -race -count=1 -timeout 20m $(PKGS)
	@# Two protoactor remotes in one process race inside grpc's global logger
	@# (upstream); these tests skip under -race and run here without it.
	$(GO) test -count=1 -timeout 10m -run 'Remote' ./actors/

.PHONY: test-deps
test-deps: ## Install the system packages and tools the tests need (idempotent)
	@scripts/test-deps.sh

.PHONY: bench
bench: ## Run the benchmarks (BENCHTIME=3s) and write them to bench.out
	$(GO) test -run '^$$' -bench . -benchtime $(BENCHTIME) -count 3 ./actors/ ./identity/ ./audit/ | tee $(BENCH_OUT)

.PHONY: lint
lint: ## gofmt and go vet
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)

.PHONY: generate
generate: ## Regenerate protobuf code (needs protoc and protoc-gen-go)
	$(GO) generate ./actors/wire/

.PHONY: verify
verify: lint ## lint, go.mod tidy, generated code current, dependency guard
	@$(GO) mod tidy && \
	  if ! git diff --quiet -- go.mod go.sum; then echo "go.mod/go.sum are not tidy (run go mod tidy)"; git diff -- go.mod go.sum | head -40; exit 1; fi
	@if command -v protoc >/dev/null && command -v protoc-gen-go >/dev/null; then \
	  $(GO) generate ./actors/wire/ && git diff --exit-code -- actors/wire/ || { echo "generated code is stale: make generate"; exit 1; }; \
	  else echo "verify: protoc not installed, skipping the generated-code check"; fi
	$(GO) test -count=1 ./internal/deptest/

.PHONY: clean
clean: ## Remove build output (not the data directory)
	rm -rf $(BIN) $(BENCH_OUT)
