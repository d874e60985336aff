"""leafpress: a campaign's text, written once per language, into print-ready PDF leaflets and posters."""

from .build import BuildReport, OutputResult, build, plan_build, run_build
from .errors import LeafpressError

__version__ = "0.1.0"

__all__ = [
    "BuildReport",
    "LeafpressError",
    "OutputResult",
    "__version__",
    "build",
    "plan_build",
    "run_build",
]
