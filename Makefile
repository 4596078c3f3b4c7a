# Programme Desk: `make run` to serve on http://127.0.0.1:3000 with the demo accounts (README,
# "Demo data"; `make run DEMO=0` without them), `make test` to run every test.
# Both install what is missing first (Rust wasm target, cargo-leptos, wasm-bindgen-cli, npm
# packages; `make test` also Debian's chromium). Re-running is fast once tools are installed.

SHELL := /bin/bash
.DEFAULT_GOAL := run

CARGO_LEPTOS_VERSION := 0.3.10
WASM_BINDGEN_VERSION := 0.2.130
ADDR ?= 127.0.0.1:3000
DATA_DIR ?= data
# 1: add the demo accounts (all with one published password); 0 for real material.
DEMO ?= 1
# binaryen's wasm-opt (npm) and Playwright live in end2end/node_modules; cargo installs tools
# into $CARGO_HOME/bin (by default ~/.cargo/bin).
export PATH := $(CURDIR)/end2end/node_modules/.bin:$(or $(CARGO_HOME),$(HOME)/.cargo)/bin:$(PATH)

.PHONY: run test tools tool-cargo-leptos tool-wasm-bindgen crates browser build lint unit e2e size screenshot phone

run: tools build
	./target/release/server --addr $(ADDR) --data-dir $(DATA_DIR) --site-root target/site $(if $(filter 1,$(DEMO)),--demo)

test: tools browser build lint unit e2e

## Tools --------------------------------------------------------------------------------

# The two cargo tools compile side by side while npm installs and cargo downloads the
# project's crates: on two cores one job's serial stretches (a link, a C library) leave room
# for the other, and the downloads overlap the compiling (README, "Set-up time").
tools:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt
	@rustup component list --installed | grep -q '^clippy' || rustup component add clippy
	@$(MAKE) --no-print-directory -j4 tool-cargo-leptos tool-wasm-bindgen end2end/node_modules/.installed crates

# Debug builds of both tools: cargo-leptos only drives cargo, wasm-bindgen and wasm-opt,
# and wasm-bindgen runs for seconds per build, so their own speed hardly matters, and they
# compile in far less time than release builds.
tool-cargo-leptos:
	@cargo leptos --version 2>/dev/null | grep -q "$(CARGO_LEPTOS_VERSION)" || { \
	  echo "Installing cargo-leptos $(CARGO_LEPTOS_VERSION) (several minutes, once)"; \
	  cargo install cargo-leptos --locked --debug --version $(CARGO_LEPTOS_VERSION) --features no_downloads; }

tool-wasm-bindgen:
	@wasm-bindgen --version 2>/dev/null | grep -q "$(WASM_BINDGEN_VERSION)" || { \
	  echo "Installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION) (a few minutes, once)"; \
	  cargo install wasm-bindgen-cli --debug --version $(WASM_BINDGEN_VERSION); }

# The project's crates, for every target (quick once they are in cargo's cache).
crates:
	@cargo fetch --locked --quiet

end2end/node_modules/.installed: end2end/package.json end2end/package-lock.json
	cd end2end && npm ci --no-audit --no-fund
	touch $@

# Debian's Chromium for the browser tests (Playwright never downloads a browser here).
browser:
	@command -v chromium >/dev/null || { \
	  echo "Installing Debian's chromium"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

## Build and test -----------------------------------------------------------------------

build:
	cargo leptos build --release --split --lib-features hydrate,split

# Formatting (rustfmt.toml) and clippy, for the host (server, tests, tools) and for the wasm
# bundle (app with `hydrate`, and with the split-off editor as `make build` ships it): any
# warning fails. Then the small packages, each on its own.
lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets --locked -- -D warnings
	cargo clippy -p app --target wasm32-unknown-unknown --no-default-features --features hydrate --locked -- -D warnings
	cargo clippy -p app --target wasm32-unknown-unknown --no-default-features --features hydrate,split --locked -- -D warnings
	@# Each small package on its own too: in the workspace, features asked for by one member
	@# (tokio's, desk-core's seed) reach all of them and can hide one a package forgot.
	for package in desk-core desk-harness loadgen; do cargo check -p $$package --all-targets --locked || exit 1; done

unit: lint
	cargo test --workspace --locked

e2e: build
	@port=$$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'); \
	data=$$(mktemp -d); \
	echo "end2end: server on 127.0.0.1:$$port, data in $$data"; \
	cd end2end && E2E_PORT=$$port E2E_DATA_DIR=$$data npx playwright test; status=$$?; \
	rm -rf "$$data"; exit $$status

## Measurements -------------------------------------------------------------------------

# Release bundle sizes, raw, gzip and brotli (quality 11, as the server sends them: what a
# browser downloads on first visit), then what each part of the wasm costs
# (end2end/tools/bundle-parts.mjs). SIZE_PKG (the shipped files) and SIZE_WASM (cargo's wasm
# before wasm-bindgen and wasm-opt, which still has its names) may point at another build:
# that one is measured as it is, nothing is built. twiggy is a debug build like the tools
# above (about a minute to install on two cores; it reads the bundle in 2 s).
SIZE_PKG ?= target/site/pkg
SIZE_WASM ?= target/front/wasm32-unknown-unknown/wasm-release/app.wasm
TWIGGY_VERSION := 0.8.0
BROTLI_SIZE := node -e 'const z = require("zlib"); process.stdout.write(String(z.brotliCompressSync(require("fs").readFileSync(process.argv[1]), { params: { [z.constants.BROTLI_PARAM_QUALITY]: 11 } }).length))'

size: $(if $(filter target/site/pkg,$(SIZE_PKG)),tools build)
	@printf '%-40s %10s %10s %10s\n' file raw gzip br; \
	total_raw=0; total_gz=0; total_br=0; \
	for f in $(SIZE_PKG)/*.wasm $(SIZE_PKG)/*.js $(SIZE_PKG)/*.css; do \
	  raw=$$(stat -c %s "$$f"); gz=$$(gzip -9 -c "$$f" | wc -c); br=$$($(BROTLI_SIZE) "$$f"); \
	  total_raw=$$((total_raw + raw)); total_gz=$$((total_gz + gz)); total_br=$$((total_br + br)); \
	  printf '%-40s %10d %10d %10d\n' "$$(basename $$f)" $$raw $$gz $$br; \
	done; \
	printf '%-40s %10d %10d %10d\n' total $$total_raw $$total_gz $$total_br
	@twiggy --version 2>/dev/null | grep -q "$(TWIGGY_VERSION)" || { \
	  echo "Installing twiggy $(TWIGGY_VERSION) (about a minute, once)"; \
	  cargo install twiggy --locked --debug --version $(TWIGGY_VERSION); }
	@node end2end/tools/bundle-parts.mjs --wasm $(SIZE_WASM) --pkg $(SIZE_PKG)

# Phone benchmark: each kind of page on a first and a repeat visit, signed in as the demo
# editor, under Lighthouse's mobile throttling (end2end/README.md, "Phone benchmark"). The
# script starts its own server; PHONE_ARGS passes options (e.g. PHONE_ARGS='--runs 3 --enforce').
phone: tools browser build
	cd end2end && node tools/phone.mjs --server-bin ../target/release/server --site-root ../target/site --json ../target/phone.json $(PHONE_ARGS)

# Screenshots for the README, from a server started here on a free port.
screenshot: tools browser build
	@port=$$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'); \
	data=$$(mktemp -d); \
	./target/release/server --addr 127.0.0.1:$$port --data-dir $$data --site-root target/site --log-level warn & pid=$$!; \
	for i in $$(seq 50); do curl -sf http://127.0.0.1:$$port/healthz >/dev/null && break; sleep 0.2; done; \
	(cd end2end && node tools/screenshot.mjs http://127.0.0.1:$$port screenshots); status=$$?; \
	kill $$pid; rm -rf $$data; exit $$status
