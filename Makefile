# Prospector's two everyday commands (see README.md):
#   make demo   - the whole job on built-in synthetic demo data
#   make test   - the test suite (debug build, small data, seconds per test)
.PHONY: deps demo test bench soak

deps:
	@scripts/install-deps

demo: deps
	swift build -c release --product trainer
	.build/release/trainer demo --out demo

test: deps
	swift test

bench: deps
	bench/run

# The scorer's soak suite (bench/soak.py): 2 M rows through reload storms, half-closes and
# SIGTERM drains against the release binaries; SOAK_ARGS="--rows 200000" for a short run.
soak: deps
	swift build -c release --product scorer
	swift build -c release --product trainer
	python3 bench/soak.py $(SOAK_ARGS)
