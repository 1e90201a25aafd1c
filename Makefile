# Thin driver over CMake. `make demo` and `make test` are the two commands a
# fresh Debian 12 machine needs; both install missing packages first.
BUILD ?= build
JOBS  ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all build deps demo test golden bench books clean

all: build

deps:
	@tools/install-deps

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS)

build: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

demo: deps
	@$(MAKE) --no-print-directory build
	@tools/demo $(BUILD)

test: deps
	@$(MAKE) --no-print-directory build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# Regenerate the expected outputs of the golden tests; review the diff.
golden: build
	@tools/update-golden $(BUILD)

bench:
	@tools/install-deps bench
	@$(MAKE) --no-print-directory build
	@tools/bench $(BUILD)

# Convert every sample in the repository with `galley batch`: an EPUB and a
# PDF each in out/books, in parallel, rebuilding only what changed.
books: build
	$(BUILD)/galley batch tests/data/*.txt tests/golden/inputs --out-dir out/books -j $(JOBS) \
	  --report out/books/report.json

clean:
	rm -rf $(BUILD)
