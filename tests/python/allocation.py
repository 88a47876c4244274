"""What a run leaves allocated: the measure the leak tests share (tracemalloc needs no debug build)."""
import gc
import tracemalloc
from collections.abc import Callable


def allocated_growth(run: Callable[[int], None], n: int) -> int:
    """Bytes still allocated by Python after run(n), beyond what a warm-up run left."""
    run(1000)  # caches, free lists, interned strings
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        run(n)
        gc.collect()
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    return sum(stat.size_diff for stat in after.compare_to(before, "filename"))
