"""leafpress: a campaign's text, written once per language, into print-ready PDF leaflets and posters."""

from . import fastload
from .constants import VERSION as __version__
from .errors import LeafpressError
from .plan import plan_build
from .records import BuildReport, OutputResult
from .run import build, run_build

fastload.install()

__all__ = [
    "BuildReport",
    "LeafpressError",
    "OutputResult",
    "__version__",
    "build",
    "plan_build",
    "run_build",
]
