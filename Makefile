# Prospector's two everyday commands (see README.md):
#   make demo   - the whole job on built-in synthetic demo data
#   make test   - the test suite (debug build, small data, seconds per test)
.PHONY: deps demo test bench check-sanitizers fuzz

deps:
	@scripts/install-deps

demo: deps
	swift build -c release --product trainer
	.build/release/trainer demo --out demo

test: deps
	swift test

bench: deps
	bench/run

# Checking (README "Checking: sanitizers and fuzzing"): the test suites under ThreadSanitizer
# and AddressSanitizer (SUITES="TabularTests ..." to narrow), and each libFuzzer target for
# SECONDS seconds (TARGETS="zip csv ..." to narrow).
SECONDS ?= 60
check-sanitizers: deps
	scripts/check-sanitizers $(SUITES)

fuzz: deps
	Fuzz/run $(SECONDS) $(TARGETS)
