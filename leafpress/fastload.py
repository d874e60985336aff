"""WeasyPrint's C libraries loaded by their Debian file names, without the library search that costs every process 0.3 s."""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any

# WeasyPrint 70 (weasyprint/text/ffi.py) tries six names for each library, Windows and macOS
# ones first; cffi hands every name that does not load at once to ctypes.util.find_library,
# which runs ldconfig and gcc in subprocesses: about 20 calls, 0.3 s of the 1 s WeasyPrint's
# import takes. Where the Linux file name of each library loads (as on Debian), that search
# can only find what the file name already gives, so it is skipped.
SONAMES = (
    "libgobject-2.0.so.0",
    "libpango-1.0.so.0",
    "libharfbuzz.so.0",
    "libfontconfig.so.1",
    "libpangoft2-1.0.so.0",
)
_MODULE = "weasyprint.text.ffi"


def _sonames_load() -> bool:
    import ctypes

    try:
        for name in SONAMES:
            ctypes.CDLL(name)
    except OSError:
        return False
    return True


# Plain classes, not importlib.abc's: every leafpress command imports this module, and
# importing importlib.abc and ctypes up front cost a no-op rebuild 35 ms.
class _QuickLoader:
    def __init__(self, loader: Any) -> None:
        self._loader = loader

    def create_module(self, spec: Any) -> ModuleType | None:
        return self._loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        import ctypes.util

        if not _sonames_load():
            self._loader.exec_module(module)  # let WeasyPrint search, and explain, as it does
            return
        search = ctypes.util.find_library
        ctypes.util.find_library = lambda name: None
        try:
            self._loader.exec_module(module)
        finally:
            ctypes.util.find_library = search


class _QuickFinder:
    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        if fullname != _MODULE:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None and spec.loader is not None:
                spec.loader = _QuickLoader(spec.loader)
                return spec
        return None


def install() -> None:
    """Load WeasyPrint's libraries quickly whenever it is first imported; safe to call again."""
    if _MODULE not in sys.modules and not any(isinstance(f, _QuickFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _QuickFinder())
