# Prospector's two everyday commands (see README.md):
#   make demo   - the whole job on built-in synthetic demo data
#   make test   - the test suite (debug build, small data, seconds per test)
.PHONY: deps demo test bench soak test-lightgbm check-sanitizers fuzz

deps:
	@scripts/install-deps

demo: deps
	swift build -c release --product trainer
	.build/release/trainer demo --out demo

# One test at a time: the socket and daemon tests wait on event loops and child processes,
# and Swift's cooperative pool has one thread per core; a training test running beside them on
# a 2-core machine starved them for tens of seconds (a drain check then failed). Serial, the
# suite takes about 1.5 min instead of 40 s, with no such failures. First (about a second):
# Package.swift declares exactly what each target imports (scripts/check-imports).
test: deps
	scripts/check-imports
	swift test --no-parallel

bench: deps
	bench/run

# The scorer's soak suite (bench/soak.py): 2 M rows through reload storms, half-closes and
# SIGTERM drains against the release binaries; SOAK_ARGS="--rows 200000" for a short run.
soak: deps
	swift build -c release --product scorer
	swift build -c release --product trainer
	python3 bench/soak.py $(SOAK_ARGS)

# Release and deployment (README, "Install"):
#   make release                 - dist/prospector-VERSION-linux-ARCH.tar.gz (static Swift runtime)
#   make install PREFIX=/usr/local [DESTDIR=...] - installs the release just built
#   make test-release            - the release runs with the toolchain hidden; man pages, completions, metrics
#   make test-deploy             - Hadoop Streaming mapper, socat lines, systemd units (no Spark)
#   make test-spark              - Spark local[2] through the scorer (pyspark + Java; minutes)
.PHONY: release install test-release test-deploy test-spark
PREFIX ?= /usr/local

release: deps
	scripts/build-release

install:
	@stage=$$(ls -d dist/prospector-*-linux-$$(uname -m) 2>/dev/null | tail -n 1); \
	  [ -n "$$stage" ] || { echo "no release in dist/: run make release first" >&2; exit 1; }; \
	  PREFIX="$(PREFIX)" DESTDIR="$(DESTDIR)" "$$stage/install.sh"

test-release: release
	scripts/test-release.sh

test-deploy: release
	scripts/test-deploy.sh

test-spark: release
	scripts/test-spark.sh

# LightGBM (PyPI) loads `trainer export`'s model: same raw scores (1e-12), same SHAP values (1e-9).
test-lightgbm: deps
	scripts/test-lightgbm

# Checking (README "Checking: sanitizers and fuzzing"): the test suites under ThreadSanitizer
# and AddressSanitizer (SUITES="TabularTests ..." to narrow), and each libFuzzer target for
# SECONDS seconds (TARGETS="zip csv ..." to narrow).
SECONDS ?= 60
check-sanitizers: deps
	scripts/check-sanitizers $(SUITES)

fuzz: deps
	Fuzz/run $(SECONDS) $(TARGETS)
