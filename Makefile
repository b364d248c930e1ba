# Two commands for a new user: `make demo` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
# The CPU build of PyTorch. Where pip cannot find it locally, set TORCH_INDEX to
# PyTorch's CPU wheel index (see README); it is installed before anything else
# so that sentence-transformers does not pull the CUDA build.
TORCH_SPEC ?= torch==2.13.0+cpu
TORCH_INDEX ?=
STAMP := $(VENV)/.stancebot-installed

.PHONY: install demo test test-fast lint run check bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) on PATH (or set PYTHON=...)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet "$(TORCH_SPEC)" $(if $(TORCH_INDEX),--extra-index-url $(TORCH_INDEX))
	$(BIN)/python -m pip install --quiet -e ".[torch,test]"
	touch $(STAMP)

demo: install
	$(BIN)/stancebot demo

test: install
	$(BIN)/python -m pytest -q

# The suite without the tests that load the real models (seconds, not minutes).
test-fast: install
	$(BIN)/python -m pytest -q -m "not model"

# ruff (E, F, I, B, UP, C4) on everything; mypy on the pure modules listed in pyproject.toml.
lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy

run: install
	$(BIN)/stancebot run

check: install
	$(BIN)/stancebot check

bench: install
	$(BIN)/python bench/topic_eval.py

clean:
	rm -rf $(VENV) stancebot-demo.db* .pytest_cache

# The container for real: build the image, run `demo` and `check` in it, show that it carries no torch,
# its health check and its size. Needs a Docker daemon (README, "Docker"); not part of `make test`.
DOCKER ?= docker
IMAGE ?= stancebot
DOCKER_NETWORK ?= --network host
.PHONY: docker-check
docker-check:
	$(DOCKER) build $(DOCKER_NETWORK) -t $(IMAGE) .
	$(DOCKER) run --rm $(DOCKER_NETWORK) $(IMAGE) demo
	$(DOCKER) run --rm $(DOCKER_NETWORK) $(IMAGE) check
	$(DOCKER) run --rm $(DOCKER_NETWORK) --entrypoint python $(IMAGE) -c "import importlib.util as u, sys; \
	sys.exit(' '.join(m for m in ('torch', 'transformers', 'sentence_transformers') if u.find_spec(m)) or None)"
	$(DOCKER) image inspect --format 'health check: {{json .Config.Healthcheck.Test}}; image size: {{.Size}} bytes' $(IMAGE)
