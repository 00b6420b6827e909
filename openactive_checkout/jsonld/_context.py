"""Bundled JSON-LD contexts, the allowlist document loader, and compiled active contexts.

``contexts/index.json`` is the single source of truth for which context URLs are bundled,
which file serves each, and which canonical URL a legacy URL is written back as; and for the
published documents bundled under ``contexts/published/`` (namespace documents, concept
schemes, schema.org's context): the URLs serving each, and where each comes from.

:class:`ActiveContext` is a small JSON-LD 1.1 context processor for the kind of contexts
OpenActive uses (terms, prefixes, ``@vocab``, keyword aliases, ``@id`` coercion,
``@reverse``). It lets the reader and writer resolve keys without calling pyld; anything it
does not model is flagged (``simple`` is False) and such documents are left to pyld.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from ..errors import ContextError

OPENACTIVE = "https://openactive.io/"
NS_EXTENSION = "https://openactive.io/ns-extension"
NS_BETA = "https://openactive.io/ns-beta"
TEST_INTERFACE = "https://openactive.io/test-interface"
IMIN = "https://imin.co/"

#: The order canonical context URLs are written in.
CANONICAL_ORDER: tuple[str, ...] = (OPENACTIVE, NS_EXTENSION, NS_BETA, TEST_INTERFACE, IMIN)

#: Namespace IRI -> the context URL that defines its prefix.
NAMESPACE_CONTEXTS: tuple[tuple[str, str], ...] = (
    ("https://openactive.io/ns-beta#", NS_BETA),
    ("https://openactive.io/test-interface#", TEST_INTERFACE),
    ("https://imin.co/", IMIN),
)

KEYWORDS = frozenset(
    {
        "@base", "@container", "@context", "@direction", "@graph", "@id", "@import",
        "@included", "@index", "@json", "@language", "@list", "@nest", "@none", "@prefix",
        "@propagate", "@protected", "@reverse", "@set", "@type", "@value", "@version",
        "@vocab",
    }
)  # fmt: skip

_GEN_DELIMS = frozenset(":/?#[]@")

ContextValue = str | dict[str, Any] | list[Any] | None
Loader = Callable[[str], Any]
"""Returns the parsed JSON document served at a context URL, or raises ContextError."""


def _contexts_dir() -> Path:
    """The bundled ``contexts/`` folder: inside the wheel, or at the source checkout's root."""
    package = Path(__file__).resolve().parent.parent  # (importlib.resources: 7 ms to import)
    packaged = package / "_contexts"
    return packaged if packaged.is_dir() else package.parent / "contexts"


@dataclass(frozen=True)
class BundledContexts:
    """The bundled contexts: URL -> file, and legacy URL -> canonical URL."""

    files: Mapping[str, Path]
    canonical: Mapping[str, str]
    documents: Mapping[str, Path]
    """URL served -> the published document bundled for it."""

    def canonical_url(self, url: str) -> str | None:
        """The canonical URL for a bundled URL (itself unless legacy); None if not bundled."""
        if url in self.files:
            return self.canonical.get(url, url)
        return None

    def document(self, url: str) -> Any:
        """The parsed context document served at ``url``; ContextError if not bundled."""
        path = self.files.get(url)
        if path is None:
            raise ContextError(
                f"the JSON-LD context {url!r} is not bundled; pass document_loader= to allow "
                "fetching it",
                url=url,
            )
        return _read_json(path)

    def published(self, url: str) -> Any:
        """The parsed published document served at ``url`` (shared: never change it);
        ContextError if none is bundled for it."""
        path = self.documents.get(url)
        if path is None:
            raise ContextError(f"no published document is bundled for {url!r}", url=url)
        return _read_json(path)


@cache
def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def bundled() -> BundledContexts:
    """The bundled contexts, read once from ``contexts/index.json``."""
    folder = _contexts_dir()
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    files = {url: folder / entry["file"] for url, entry in index["contexts"].items()}
    canonical = {
        url: entry["canonical"] for url, entry in index["contexts"].items() if "canonical" in entry
    }
    documents = {url: folder / entry["file"] for url, entry in index["documents"].items()}
    return BundledContexts(files=files, canonical=canonical, documents=documents)


@lru_cache(maxsize=1)
def document_loader() -> Any:
    """A pyld ``FrozenDocumentLoader`` serving exactly the bundled contexts.

    Pass it per call (``options={"documentLoader": document_loader()}``); it is never
    installed process-wide. It refuses every other URL without touching the network.
    """
    from pyld.documentloader.frozen import FrozenDocumentLoader

    class StaticFrozenLoader(FrozenDocumentLoader):  # type: ignore[misc]
        """Bundled contexts never change: tagged "static", pyld caches them across calls."""

        def __call__(self, url: str, options: dict[str, Any]) -> Any:
            remote = super().__call__(url, options)
            remote["tag"] = "static"
            return remote

    return StaticFrozenLoader(documents=dict(bundled().files))


def bundled_loader(url: str) -> Any:
    """A :data:`Loader` over the bundled contexts."""
    return bundled().document(url)


def pyld_loader_as_loader(pyld_loader: Callable[[str, dict[str, Any]], Any]) -> Loader:
    """Adapt a caller's pyld document loader: bundled URLs first, then the caller's loader."""

    def load(url: str) -> Any:
        if url in bundled().files:
            return bundled().document(url)
        try:
            remote = pyld_loader(url, {})
        except Exception as exc:  # the caller's loader may raise anything
            raise ContextError(
                f"could not load the JSON-LD context {url!r}: {exc}", url=url
            ) from exc
        document = remote.get("document") if isinstance(remote, Mapping) else None
        if isinstance(document, str):
            document = json.loads(document)
        return document

    return load


class Term(NamedTuple):
    """A term definition: what a key means."""

    iri: str | None
    """The IRI or keyword the term expands to; None when explicitly unmapped."""
    coerce_id: bool = False
    """``"@type": "@id"`` (or ``@vocab``): a string value is an IRI, not a literal."""
    reverse: bool = False
    prefix: bool = False
    """Usable as the prefix of a compact IRI."""
    simple: bool = True
    """Nothing this processor does not model (containers, languages, typed values, scopes)."""


class ActiveContext:
    """The result of processing a document's ``@context`` (see the module docstring)."""

    def __init__(self, terms: dict[str, Term], vocab: str | None, simple: bool) -> None:
        self.terms = terms
        self.vocab = vocab
        self.simple = simple
        self._key_cache: dict[str, Term | None] = {}
        self._compact_cache: dict[tuple[str, bool], str] = {}
        self.field_keys: dict[type, Any] = {}
        """The writer's per-class plans under this context."""
        self.type_cache: dict[str, tuple[str, ...]] = {}
        """Type value -> type IRIs, filled by the reader."""
        self.key_plans: dict[type, Any] = {}
        """The fast reader's per-class plans under this context."""
        self.type_plans: dict[str, Any] = {}
        """The fast reader's plans by type value, where the type alone decides the class."""
        aliases = tuple(k for k, t in terms.items() if t.iri == "@type")
        self.type_alias: str | None = aliases[0] if aliases else None
        """The first key other than ``@type`` that means ``@type`` (``type``), if any."""
        self.more_type_aliases: tuple[str, ...] = aliases[1:]
        self.web_schemes_are_iris = "http" not in terms and "https" not in terms
        """No term named http/https, so an http(s) URL can never be read as a compact IRI."""
        self._compact_type_cache: dict[str, str] = {}
        self.frozen: str | None = None
        """The context value, as JSON, of a context processed with the bundled loader."""
        self.by_iri: dict[str, list[str]] = {}
        for name, term in sorted(terms.items(), key=lambda kv: (len(kv[0]), kv[0])):
            if term.iri is not None and not term.reverse and term.simple:
                self.by_iri.setdefault(term.iri, []).append(name)
        self.prefixes = sorted(
            ((name, term.iri) for name, term in terms.items() if term.prefix and term.iri),
            key=lambda kv: (len(kv[0]), kv[0]),
        )

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled without its caches (which hold generated code); a bundled context comes
        back as the one this process already has."""
        if self.frozen is not None:
            return _active_context_cached, (self.frozen,)
        return ActiveContext, (self.terms, self.vocab, self.simple)

    # -- expansion -------------------------------------------------------------------------

    def resolve_key(self, key: str) -> Term | None:
        """What a property key means: a Term whose ``iri`` is an IRI or a keyword.

        None when the key has no meaning under this context (JSON-LD expansion would drop it).
        """
        try:
            return self._key_cache[key]
        except KeyError:
            pass
        result: Term | None
        if key.startswith("@"):
            result = Term(key) if key in KEYWORDS else None
        elif key in self.terms:
            result = self.terms[key]
            if result.iri is None:
                result = None
        else:
            iri = self.expand_iri(key, vocab=True)
            result = Term(iri) if iri is not None else None
        self._key_cache[key] = result
        return result

    def expand_iri(self, value: str, *, vocab: bool) -> str | None:
        """Expand a compact IRI, term (when ``vocab``) or absolute IRI; None if unresolvable.

        Relative references are not resolved against any base: they return None unless
        ``vocab`` applies (type values and keys).
        """
        if value.startswith("@"):
            return value if value in KEYWORDS else None
        if vocab and value in self.terms:
            return self.terms[value].iri
        if ":" in value:
            prefix, suffix = value.split(":", 1)
            if prefix == "_":
                return value
            if not suffix.startswith("//"):
                term = self.terms.get(prefix)
                if term is not None and term.prefix and term.iri is not None:
                    return term.iri + suffix
            return value if _looks_absolute(value) else None
        if vocab and self.vocab is not None:
            return self.vocab + value
        return None

    # -- compaction ------------------------------------------------------------------------

    def compact_iri(self, iri: str, *, coerce_id: bool = False) -> str:
        """The shortest key that means ``iri`` here (with the given ``@id`` coercion)."""
        cache_key = (iri, coerce_id)
        cached = self._compact_cache.get(cache_key)
        if cached is not None:
            return cached
        result = self._compact_iri(iri, coerce_id)
        self._compact_cache[cache_key] = result
        return result

    def _compact_iri(self, iri: str, coerce_id: bool) -> str:
        for name in self.by_iri.get(iri, ()):
            if self.terms[name].coerce_id == coerce_id:
                return name
        candidates = []
        if self.vocab is not None and iri.startswith(self.vocab):
            suffix = iri[len(self.vocab) :]
            if suffix and ":" not in suffix and suffix not in self.terms and not coerce_id:
                candidates.append(suffix)
        for name, prefix_iri in self.prefixes:
            if iri.startswith(prefix_iri) and len(iri) > len(prefix_iri):
                curie = f"{name}:{iri[len(prefix_iri) :]}"
                if curie not in self.terms:
                    candidates.append(curie)
        for candidate in sorted(candidates, key=lambda c: (len(c), c)):
            term = self.resolve_key(candidate)
            if term is not None and term.iri == iri and term.coerce_id == coerce_id:
                return candidate
        return iri

    def compact_type(self, iri: str) -> str:
        """A type IRI as written in ``@type`` (vocab-relative: terms, CURIEs, IRIs)."""
        cached = self._compact_type_cache.get(iri)
        if cached is None:
            cached = self._compact_type_cache[iri] = self._compact_type(iri)
        return cached

    def _compact_type(self, iri: str) -> str:
        for name in self.by_iri.get(iri, ()):
            return name
        if self.vocab is not None and iri.startswith(self.vocab):
            suffix = iri[len(self.vocab) :]
            if suffix and ":" not in suffix and suffix not in self.terms:
                return suffix
        # The shortest CURIE, then the least (JSON-LD IRI compaction): beta:Bar, not
        # oa:ns-beta#Bar, although the prefix `oa` is shorter than `beta`.
        curies = [
            f"{name}:{iri[len(prefix_iri) :]}"
            for name, prefix_iri in self.prefixes
            if iri.startswith(prefix_iri) and len(iri) > len(prefix_iri)
        ]
        curies = [curie for curie in curies if curie not in self.terms]
        return min(curies, key=lambda c: (len(c), c)) if curies else iri


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]*|_:[^\s]+")


def _looks_absolute(value: str) -> bool:
    return _SCHEME.match(value) is not None


def is_absolute_iri(value: str) -> bool:
    """An absolute IRI (``scheme:...`` with no spaces) or a blank node identifier (``_:x``)."""
    return _ABSOLUTE_IRI.fullmatch(value) is not None


# -- context processing -------------------------------------------------------------------


class _Processor:
    """Builds term definitions from a list of context values, in order."""

    def __init__(self, load: Loader) -> None:
        self.load = load
        self.terms: dict[str, Term] = {}
        self.vocab: str | None = None
        self.simple = True
        self.depth = 0

    def apply(self, value: Any) -> None:
        self.depth += 1
        if self.depth > 16:
            raise ContextError("JSON-LD contexts nest or import each other too deeply")
        try:
            if value is None:
                self.terms, self.vocab = {}, None
            elif isinstance(value, list):
                for item in value:
                    self.apply(item)
            elif isinstance(value, str):
                document = self.load(value)
                if not isinstance(document, dict) or "@context" not in document:
                    raise ContextError(f"{value!r} is not a JSON-LD context document", url=value)
                self.apply(document["@context"])
            elif isinstance(value, dict):
                self._apply_local(value)
            else:
                raise ContextError(f"a @context entry must be a URL or an object, not {value!r}")
        finally:
            self.depth -= 1

    def _apply_local(self, local: dict[str, Any]) -> None:
        for key in ("@base", "@import", "@language", "@direction", "@propagate"):
            if key in local:
                self.simple = False
        if "@vocab" in local:
            vocab = local["@vocab"]
            if vocab is None:
                self.vocab = None
            elif isinstance(vocab, str):
                self.vocab = self._expand_definition_iri(vocab, local, set()) or vocab
            else:
                raise ContextError("@vocab must be a string or null")
        defined: set[str] = set()
        for term in local:
            if not term.startswith("@"):
                self._define(term, local, defined)

    def _define(self, term: str, local: dict[str, Any], defined: set[str]) -> None:
        if term in defined:
            return
        defined.add(term)
        value = local[term]
        if value is None:
            self.terms[term] = Term(None)
            return
        if isinstance(value, str):
            iri = self._expand_definition_iri(value, local, defined, term=term)
            is_prefix = iri is not None and not iri.startswith("@") and iri[-1:] in _GEN_DELIMS
            self.terms[term] = Term(iri, prefix=is_prefix)
            return
        if not isinstance(value, dict):
            raise ContextError(f"the definition of the term {term!r} is not a string or object")
        for keyword, kinds in (("@id", str | None), ("@type", str), ("@reverse", str)):
            if keyword in value and not isinstance(value[keyword], kinds):  # as JSON-LD 1.1 says
                raise ContextError(
                    f"the definition of the term {term!r} has a {keyword} that is not a string"
                )
        simple = all(k in ("@id", "@type", "@reverse", "@protected", "@prefix") for k in value)
        coerce = value.get("@type")
        coerce_id = coerce in ("@id", "@vocab")
        if coerce is not None and not coerce_id:
            simple = False
        if "@reverse" in value:
            iri = self._expand_definition_iri(value["@reverse"], local, defined, term=term)
            self.terms[term] = Term(iri, coerce_id=coerce_id, reverse=True, simple=simple)
        else:
            raw = value.get("@id", term)
            iri = None if raw is None else self._expand_definition_iri(raw, local, defined, term)
            self.terms[term] = Term(
                iri, coerce_id=coerce_id, prefix=value.get("@prefix") is True, simple=simple
            )
        if not simple:
            self.simple = False

    def _expand_definition_iri(
        self, value: str, local: dict[str, Any], defined: set[str], term: str | None = None
    ) -> str | None:
        if value.startswith("@"):
            return value
        if value in local and value != term and not value.startswith("@"):
            self._define(value, local, defined)
        if value in self.terms and value != term:
            return self.terms[value].iri
        if ":" in value:
            prefix, suffix = value.split(":", 1)
            if prefix in local and prefix != term:
                self._define(prefix, local, defined)
            known = self.terms.get(prefix)
            if known is not None and known.iri is not None and not suffix.startswith("//"):
                return known.iri + suffix
            return value
        if self.vocab is not None:
            return self.vocab + value
        return None


def _freeze(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


@lru_cache(maxsize=256)
def _active_context_cached(frozen: str) -> ActiveContext:
    ctx = build_active_context(json.loads(frozen), bundled_loader)
    ctx.frozen = frozen
    return ctx


def active_context(value: Any, load: Loader | None = None) -> ActiveContext:
    """The active context for a document's ``@context`` value (cached for bundled loads)."""
    if load is None:
        return _active_context_cached(_freeze(value))
    return build_active_context(value, load)


def build_active_context(value: Any, load: Loader) -> ActiveContext:
    """Process a ``@context`` value from scratch."""
    processor = _Processor(load)
    processor.apply(value)
    return ActiveContext(processor.terms, processor.vocab, processor.simple)
