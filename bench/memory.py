"""Peak resident memory of this process, for the benches."""

from __future__ import annotations

import resource


def peak_rss_mb() -> float:
    """VmHWM: the peak RSS of this process image. (ru_maxrss survives fork and exec on Linux, so a
    subprocess of a large bench would report the bench's peak instead of its own.)"""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
