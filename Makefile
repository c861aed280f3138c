# Prospector's two everyday commands (see README.md):
#   make demo   - the whole job on built-in synthetic demo data
#   make test   - the test suite (debug build, small data, seconds per test)
.PHONY: deps demo test bench test-lightgbm

deps:
	@scripts/install-deps

demo: deps
	swift build -c release --product trainer
	.build/release/trainer demo --out demo

test: deps
	swift test

bench: deps
	bench/run

# LightGBM (PyPI) loads `trainer export`'s model: same raw scores (1e-12), same SHAP values (1e-9).
test-lightgbm: deps
	scripts/test-lightgbm
