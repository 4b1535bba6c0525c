"""The ``slow`` sweeps of this directory run only when asked for: ``pytest -m slow tests/domain``
(any ``-m`` expression) or ``EIGLINT_SLOW=1``. CI's plain ``pytest`` deselects them."""
import os
from pathlib import Path

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    if config.getoption("markexpr") or os.environ.get("EIGLINT_SLOW"):
        return
    keep, drop = [], []
    for item in items:
        slow = item.get_closest_marker("slow") is not None
        mine = HERE in Path(str(item.fspath)).resolve().parents
        (drop if slow and mine else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
