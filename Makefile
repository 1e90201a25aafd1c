# Thin driver over CMake. `make demo` and `make test` are the two commands a
# fresh Debian 12 machine needs; both install missing packages first.
BUILD ?= build
JOBS  ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all build deps demo test golden bench clean

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

bench: deps
	@$(MAKE) --no-print-directory build
	@tools/bench $(BUILD)

clean:
	rm -rf $(BUILD)
