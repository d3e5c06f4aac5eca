# The two commands a newcomer needs (as root on Debian 12): `make demo` and `make test`.
# Everything else here is a building block of those two.
JOBS ?= $(shell nproc)
GATEHOUSE := build/gatehouse
RUN_DIR ?= $(CURDIR)/run

.PHONY: deps deps-build build test unit-test integration-test demo down asan tsan fuzz format format-check tidy clean

deps:
	@scripts/install-deps.sh all

deps-build:
	@scripts/install-deps.sh build

build: deps-build
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

test: deps build format-check
	@ctest --preset release -j 1 --timeout 900

unit-test: build
	@ctest --preset release -L 'unit|fuzz' -j $(JOBS)

integration-test: deps build
	@ctest --preset release -L integration

demo: deps build
	@$(GATEHOUSE) up --dir $(RUN_DIR)
	@scripts/demo.sh $(RUN_DIR)
	@$(GATEHOUSE) status --dir $(RUN_DIR)
	@echo "stop it with: make down   (or: make down PURGE=1 to delete its data too)"

down:
	@$(GATEHOUSE) down --dir $(RUN_DIR) $(if $(PURGE),--purge)

asan tsan: deps-build
	@cmake --preset $@ >/dev/null
	@cmake --build --preset $@ -j $(JOBS)
	@ctest --preset $@ -L 'unit|fuzz' -j $(JOBS)

fuzz: deps-build
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz -j $(JOBS)

SOURCES = $(shell find src tests fuzz bench -name '*.cc' -o -name '*.h' -o -name '*.c')

format:
	@clang-format -i $(SOURCES)

format-check:
	@clang-format --dry-run -Werror $(SOURCES) && echo "clang-format: all $(words $(SOURCES)) files formatted"

tidy: build
	@find src -name '*.cc' | xargs clang-tidy -p build --quiet

clean:
	@rm -rf build
