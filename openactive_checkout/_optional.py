"""Optional dependencies: each extra, what it is for, and the one guarded import.

The core install reads, writes, builds RDF and validates natively. Some features need an
extra; their modules import it through :func:`require`, so using the feature without it raises
:class:`~openactive_checkout.errors.MissingExtraError` naming what to install. Nothing in the
core imports these packages.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

from .errors import MissingExtraError

EXTRAS: dict[str, tuple[str, tuple[str, ...]]] = {
    "shacl": ("SHACL validation (engine='shacl')", ("pyshacl",)),
    "mock": ("the mock checkout server", ("starlette", "uvicorn")),
    "oxigraph": ("the Oxigraph backend", ("pyoxigraph",)),
    "postgres": ("the PostgreSQL harvest state store", ("psycopg",)),
    "arrow": ("the Parquet harvest sink", ("pyarrow",)),
    "dask": ("the Dask integration", ("dask", "distributed")),
}
"""Extra name -> (the feature it enables, the modules it provides); as in pyproject.toml."""


def require(module: str, *, extra: str) -> ModuleType:
    """Import ``module``, which the extra ``extra`` installs, or raise MissingExtraError.

    Any ImportError counts (the package missing, or one of its own dependencies): installing
    the extra fixes both, and the original error is kept as the ``__cause__``.
    """
    feature, modules = EXTRAS[extra]
    if module.partition(".")[0] not in modules:
        raise ValueError(f"the extra {extra!r} does not provide {module!r}")
    try:
        return import_module(module)
    except ImportError as exc:
        raise MissingExtraError(
            f"{feature} needs {module}, which could not be imported: "
            f"pip install 'openactive-checkout[{extra}]'",
            extra=extra,
            name=module,
        ) from exc
