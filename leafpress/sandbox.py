"""The templates' sandbox: layouts get data, never objects with powers, and read only the workspace."""

from __future__ import annotations

import io
import types
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from .errors import LayoutError
from .workspace import outside_workspace

if TYPE_CHECKING:
    import jinja2

# Jinja's own helpers a layout may use; `lipsum` goes: it makes text to order (a layout has no
# use for filler) and a template could ask it for gigabytes.
KEPT_GLOBALS = ("range", "dict", "cycler", "joiner", "namespace")
# What a value reached through an attribute may never be, whatever a future context holds:
# these are how a sandboxed template has reached files and code before.
POWERFUL = (types.ModuleType, type, PurePath, io.IOBase, types.CodeType, types.FrameType)


def sandboxed_environment(loader: jinja2.BaseLoader) -> jinja2.Environment:
    """A Jinja environment in which templates see only the data they are given, escaped."""
    import jinja2
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class LayoutSandbox(ImmutableSandboxedEnvironment):
        def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
            if isinstance(value, POWERFUL) or isinstance(obj, POWERFUL):
                return False
            return super().is_safe_attribute(obj, attr, value)

        def is_safe_callable(self, obj: Any) -> bool:
            # A bound method of a path, file or module is its power; the sandbox would allow it.
            owner = getattr(obj, "__self__", None)
            if isinstance(owner, POWERFUL):
                return False
            if isinstance(obj, type) and obj not in helper_types:
                return False
            return super().is_safe_callable(obj)

    env = LayoutSandbox(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    for name in list(env.globals):
        if name not in KEPT_GLOBALS:
            del env.globals[name]
    helper_types = {value for value in env.globals.values() if isinstance(value, type)}
    return env


def workspace_loader(search: list[str], root: Path, layout: str) -> jinja2.BaseLoader:
    """A FileSystemLoader that refuses a template (an include, a parent) resolving outside `root`:
    a symlink in a shared layout must not print a file of the person who builds it."""
    import jinja2
    from jinja2.loaders import split_template_path

    class WorkspaceLoader(jinja2.FileSystemLoader):
        def get_source(self, environment: jinja2.Environment, template: str):
            # Refused before it is read, not after: found as FileSystemLoader finds it.
            pieces = split_template_path(template)
            for folder in self.searchpath:
                filename = Path(folder, *pieces)
                if filename.is_file():
                    refused = outside_workspace(filename, root)
                    if refused:
                        raise LayoutError(
                            f"template '{template}': {refused}",
                            file=Path("layouts") / layout,
                        )
                    break
            return super().get_source(environment, template)

    return WorkspaceLoader(search)
