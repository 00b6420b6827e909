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

import copy
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
SCHEMA_ORG = "https://schema.org/"
"""schema.org's context (its ``@vocab`` and terms are ``http://schema.org/``), which dataset
sites name before the OpenActive context."""

#: The canonical context URLs of the models' vocabularies, in the order they are written.
CANONICAL_ORDER: tuple[str, ...] = (OPENACTIVE, NS_EXTENSION, NS_BETA, TEST_INTERFACE, IMIN)

#: The order a document's bundled context URLs are written in: schema.org's first, as
#: dataset sites must have it (the OpenActive context then overrides the terms both define).
WRITE_ORDER: tuple[str, ...] = (SCHEMA_ORG, *CANONICAL_ORDER)

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
        self.vocab_coerced: frozenset[str] = frozenset()
        """Terms coerced with ``"@type": "@vocab"`` (a string is a term or vocab-relative),
        not ``"@id"`` (a string is document-relative). Filled by :func:`process_context`."""
        self.typed: dict[tuple[str, str], str] = {}
        """(IRI, datatype IRI) -> the shortest term that means the IRI with values of that
        datatype and nothing else (``"startDate": {"@id": "schema:startDate", "@type":
        "Date"}`` in schema.org's context). Filled by :func:`process_context`."""

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

    def expand_reference(self, value: str) -> str | None:
        """An ``@id`` (or ``@id``-coerced) value: expanded like :meth:`expand_iri` without
        ``vocab``, or a relative reference kept as written (there is no base to resolve it
        against); None if it is neither."""
        iri = self.expand_iri(value, vocab=False)
        if iri is not None:
            return iri if is_iri_reference(iri) else None
        return value if is_iri_reference(value) else None

    # -- compaction ------------------------------------------------------------------------

    def compact_property(self, iri: str, values: list[Any]) -> tuple[str, Any]:
        """The key an expanded property is written under, and its values written plain when
        a term's coercion fits them all (None when they stay as expanded objects): node
        references under an ``@id``-coerced term, literals of one datatype under a term of
        that datatype, as JSON-LD compaction chooses them."""
        if not values or not all(type(v) is dict for v in values):
            return self.compact_iri(iri), None
        plain: list[Any] | None = None
        key = iri
        if all(len(v) == 1 and isinstance(v.get("@id"), str) for v in values):
            key = self.compact_iri(iri, coerce_id=True)
            term = self.terms.get(key)
            if (term is not None and term.coerce_id and term.iri == iri and (
                    key not in self.vocab_coerced
                    or all(is_absolute_iri(v["@id"]) for v in values))):  # fmt: skip
                plain = [v["@id"] for v in values]
        elif all(len(v) == 2 and isinstance(v.get("@value"), str) and "@type" in v
                 for v in values):  # fmt: skip
            datatypes = {v["@type"] for v in values}
            if len(datatypes) == 1:
                name = self.typed.get((iri, datatypes.pop()))
                if name is not None:
                    key, plain = name, [v["@value"] for v in values]
        elif not any("@value" in v or "@list" in v or len(v) == 1 for v in values):
            for name in self.by_iri.get(iri, ()):  # node objects: coercion does not apply
                return name, None
        if plain is None:
            return self.compact_iri(iri), None
        return key, plain[0] if len(plain) == 1 and plain[0] != "" else plain

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
# What no IRI may hold (RFC 3987): spaces and controls, <>"{}|^`\, and lone surrogates.
_NOT_IRI = '\\s<>"{}|^`\\\\\\x00-\\x1f\\x7f-\\x9f\\ud800-\\udfff'
_ABSOLUTE_IRI = re.compile(rf"[A-Za-z][A-Za-z0-9+.-]*:[^{_NOT_IRI}]*|_:[^\s]+")


def _looks_absolute(value: str) -> bool:
    return _SCHEME.match(value) is not None


def is_absolute_iri(value: str) -> bool:
    """An absolute IRI (``scheme:...`` with no spaces) or a blank node identifier (``_:x``)."""
    return _ABSOLUTE_IRI.fullmatch(value) is not None


_RELATIVE_REFERENCE = re.compile(rf"[^{_NOT_IRI}@][^{_NOT_IRI}]*")

DEFAULT_BASE = "http://example.org/base/"
"""The base IRI pyld resolves relative references against in RDF when a document has none
(``jsonld.to_rdf`` without a ``base``): a graph of a document with relative ids names them
under it, exactly as pyld's does."""


def is_iri_reference(value: str) -> bool:
    """An absolute IRI, a blank node identifier, or a relative reference (``#/a/0``,
    ``sessions/1``) kept as written: JSON-LD keeps a relative IRI when there is no base.
    Not empty, no spaces, nothing IRIs cannot hold, and not a keyword-like ``@...``."""
    return _ABSOLUTE_IRI.fullmatch(value) is not None or (
        _RELATIVE_REFERENCE.fullmatch(value) is not None and not _looks_absolute(value)
    )


def resolve_reference(iri: str) -> str:
    """``iri`` itself if absolute (or a blank node); a relative reference resolved against
    :data:`DEFAULT_BASE`, as pyld resolves it when it makes RDF."""
    if _looks_absolute(iri) or iri.startswith("_:"):
        return iri
    from urllib.parse import urljoin

    return urljoin(DEFAULT_BASE, iri)


# -- context processing -------------------------------------------------------------------

MAX_CONTEXT_DEPTH = 16
"""How deeply context values may nest or load one another (URL -> document -> URL ...)."""
MAX_CONTEXT_ENTRIES = 64
"""How many context entries (URLs, objects) one ``@context`` may make the processor apply.
A repeated entry, or one whose effect is already in place, costs nothing and is not counted."""
MAX_CONTEXT_TERMS = 20_000
"""How many term definitions processing one ``@context`` may make (schema.org's context and
OpenActive's together make about 3,300)."""
MAX_TERM_DEPENDENCIES = 64
"""How long a chain of terms defined by way of one another (``a: "b:x"``, ``b: "c:x"``...)
may be."""

_STATE_KEYWORDS = ("@base", "@language", "@direction")
"""Context-level keywords kept in the state (they change what later values mean)."""
_INEXACT_KEYWORDS = frozenset({"@import", "@propagate"})
"""Keywords whose effects the state does not capture: no repeat elimination beyond exact
consecutive repeats where they appear."""


class _Processor:
    """Builds term definitions from context values, in order, within a budget.

    ``path`` arguments are where the value sits in the document (for errors); ``url`` the
    context URL whose document is being processed, if any.
    """

    def __init__(self, load: Loader) -> None:
        self.load = load
        self.terms: dict[str, Term] = {}
        self.vocab: str | None = None
        self.simple = True
        self.exact = True
        """Whether the state (terms, vocab, context keywords, raw definitions) determines
        everything later processing depends on (False after @import, @propagate)."""
        self.typed: dict[str, tuple[str, str]] = {}
        """Term -> (IRI, datatype IRI), for a term that only types its values."""
        self.vocab_terms: set[str] = set()
        """Terms coerced with ``"@type": "@vocab"``."""
        self.raw: dict[str, str] = {}
        """Term -> its definition as written plus its expanded @type, for state identity
        (the Term leaves out containers, languages and datatypes)."""
        self.keywords: dict[str, Any] = {}
        self.depth = 0
        self.entries = 0
        self.defined = 0
        self.chain = 0
        self.url: str | None = None

    # -- the state, for skipping repeats -----------------------------------------------------

    def state(self) -> tuple[Any, ...]:
        """A hashable value equal for two states exactly when they are the same."""
        return (
            frozenset(self.terms.items()),
            frozenset(self.raw.items()),
            self.vocab,
            self.simple,
            _freeze(self.keywords),
            frozenset(self.vocab_terms),
        )

    def snapshot(self) -> tuple[Any, ...]:
        return (dict(self.terms), dict(self.raw), self.vocab, self.simple, dict(self.keywords),
                dict(self.typed), set(self.vocab_terms))  # fmt: skip

    def restore(self, snapshot: tuple[Any, ...]) -> None:
        terms, raw, vocab, simple, keywords, typed, vocab_terms = snapshot
        self.terms, self.raw, self.vocab = dict(terms), dict(raw), vocab
        self.simple, self.keywords, self.typed = simple, dict(keywords), dict(typed)
        self.vocab_terms = set(vocab_terms)

    def active(self) -> ActiveContext:
        """The active context of the state reached."""
        ctx = ActiveContext(self.terms, self.vocab, self.simple)
        ctx.vocab_coerced = frozenset(self.vocab_terms)
        for name, (iri, datatype) in sorted(self.typed.items(), key=lambda kv: (len(kv[0]), kv[0])):
            if self.terms.get(name, Term(None)).iri == iri:
                ctx.typed.setdefault((iri, datatype), name)
        return ctx

    # -- errors ------------------------------------------------------------------------------

    def error(self, message: str, path: tuple[Any, ...]) -> ContextError:
        if self.url is not None:
            return ContextError(f"in the context {self.url!r}: {message}", url=self.url,
                                path=path)  # fmt: skip
        return ContextError(message, path=path)

    # -- processing --------------------------------------------------------------------------

    def apply(self, value: Any, path: tuple[Any, ...]) -> None:
        self.depth += 1
        if self.depth > MAX_CONTEXT_DEPTH:
            raise self.error(
                f"JSON-LD contexts nest or load each other more than {MAX_CONTEXT_DEPTH} deep",
                path,
            )
        try:
            if isinstance(value, list):
                for index, item in enumerate(value):
                    self.apply(item, path if self.url is not None else (*path, index))
                return
            self.entries += 1
            if self.entries > MAX_CONTEXT_ENTRIES:
                raise self.error(
                    f"the @context applies more than {MAX_CONTEXT_ENTRIES} contexts (repeats "
                    "not counted): more than any document needs",
                    path,
                )
            if value is None:
                self.terms, self.vocab, self.raw, self.keywords = {}, None, {}, {}
            elif isinstance(value, str):
                self._apply_url(value, path)
            elif isinstance(value, dict):
                self._apply_local(value, path)
            else:
                raise self.error(
                    f"a @context entry must be a URL or an object, not {_kind(value)}", path
                )
        finally:
            self.depth -= 1

    def _apply_url(self, url: str, path: tuple[Any, ...]) -> None:
        document = self.load(url)
        if not isinstance(document, dict) or "@context" not in document:
            raise ContextError(f"{url!r} is not a JSON-LD context document", url=url, path=path)
        outer = self.url
        self.url = url
        try:
            self.apply(document["@context"], path)
        finally:
            self.url = outer

    def _apply_local(self, local: dict[str, Any], path: tuple[Any, ...]) -> None:
        if not _INEXACT_KEYWORDS.isdisjoint(local):
            self.exact = False
        for key in ("@base", "@import", "@language", "@direction", "@propagate"):
            if key in local:
                self.simple = False
        for key in _STATE_KEYWORDS:
            if key in local:
                self.keywords[key] = local[key]
        if "@vocab" in local:
            vocab = local["@vocab"]
            if vocab is None:
                self.vocab = None
            elif isinstance(vocab, str):
                self.vocab = self._expand_definition_iri(vocab, local, set(), path) or vocab
            else:
                raise self.error("@vocab must be a string or null", (*path, "@vocab"))
        defined: set[str] = set()
        for term in local:
            if not term.startswith("@"):
                self._define(term, local, defined, path)

    def _define(
        self, term: str, local: dict[str, Any], defined: set[str], path: tuple[Any, ...]
    ) -> None:
        if term in defined:
            return
        defined.add(term)
        self.defined += 1
        if self.defined > MAX_CONTEXT_TERMS:
            raise self.error(
                f"the @context makes more than {MAX_CONTEXT_TERMS} term definitions", path
            )
        self.chain += 1
        try:
            if self.chain > MAX_TERM_DEPENDENCIES:
                raise self.error(
                    f"the term {term!r} is defined through a chain of more than "
                    f"{MAX_TERM_DEPENDENCIES} other terms",
                    path if self.url is not None else (*path, term),
                )
            self._define_one(term, local, defined, path)
        finally:
            self.chain -= 1

    def _define_one(
        self, term: str, local: dict[str, Any], defined: set[str], path: tuple[Any, ...]
    ) -> None:
        value = local[term]
        where = path if self.url is not None else (*path, term)
        self.raw.pop(term, None)
        self.typed.pop(term, None)
        self.vocab_terms.discard(term)
        if value is None:
            self.terms[term] = Term(None)
            return
        if isinstance(value, str):
            iri = self._expand_definition_iri(value, local, defined, path, term=term)
            is_prefix = iri is not None and not iri.startswith("@") and iri[-1:] in _GEN_DELIMS
            self.terms[term] = Term(iri, prefix=is_prefix)
            return
        if not isinstance(value, dict):
            raise self.error(
                f"the definition of the term {term!r} is not a string or object", where
            )
        for keyword, kinds in (("@id", str | None), ("@type", str), ("@reverse", str)):
            if keyword in value and not isinstance(value[keyword], kinds):  # as JSON-LD 1.1 says
                raise self.error(
                    f"the definition of the term {term!r} has a {keyword} that is not a string",
                    where,
                )
        simple = all(k in ("@id", "@type", "@reverse", "@protected", "@prefix") for k in value)
        coerce = value.get("@type")
        coerce_id = coerce in ("@id", "@vocab")
        if coerce == "@vocab":
            self.vocab_terms.add(term)
        if coerce is not None and not coerce_id:
            simple = False
        if not simple:  # what the Term leaves out, for the state's identity
            datatype = None
            if isinstance(coerce, str) and not coerce_id:
                datatype = self._expand_definition_iri(coerce, local, defined, path)
            self.raw[term] = _freeze([value, datatype])
            if datatype is not None and set(value) <= {"@id", "@type", "@protected"}:
                typed_iri = self._expand_definition_iri(
                    value.get("@id", term), local, defined, path, term=term)  # fmt: skip
                if typed_iri is not None:
                    self.typed[term] = (typed_iri, datatype)
        if "@reverse" in value:
            iri = self._expand_definition_iri(value["@reverse"], local, defined, path, term=term)
            self.terms[term] = Term(iri, coerce_id=coerce_id, reverse=True, simple=simple)
        else:
            raw = value.get("@id", term)
            iri = None if raw is None else self._expand_definition_iri(
                raw, local, defined, path, term=term)  # fmt: skip
            self.terms[term] = Term(
                iri, coerce_id=coerce_id, prefix=value.get("@prefix") is True, simple=simple
            )
        if not simple:
            self.simple = False

    def _expand_definition_iri(
        self,
        value: str,
        local: dict[str, Any],
        defined: set[str],
        path: tuple[Any, ...],
        term: str | None = None,
    ) -> str | None:
        if value.startswith("@"):
            return value
        if value in local and value != term and not value.startswith("@"):
            self._define(value, local, defined, path)
        if value in self.terms and value != term:
            return self.terms[value].iri
        if ":" in value:
            prefix, suffix = value.split(":", 1)
            if prefix in local and prefix != term:
                self._define(prefix, local, defined, path)
            known = self.terms.get(prefix)
            if known is not None and known.iri is not None and not suffix.startswith("//"):
                return known.iri + suffix
            return value
        if self.vocab is not None:
            return self.vocab + value
        return None


def _kind(value: Any) -> str:
    return {bool: "a boolean", int: "a number", float: "a number"}.get(type(value), "a value")


class ProcessedContext(NamedTuple):
    """An active context and the equivalent ``@context`` value it was built from, with
    every entry that changed nothing left out (repeats, and runs that come back to a state
    already reached)."""

    active: ActiveContext
    reduced: Any


def _entry_key(entry: Any) -> Any:
    return entry if isinstance(entry, str) else _freeze(entry)


def process_context(value: Any, load: Loader) -> ProcessedContext:
    """Process a ``@context`` value from scratch, within the budget (ContextError beyond it).

    The entries of an array are applied in order, but an entry whose effect is already in
    place costs nothing: an exact repeat of the entry before it is skipped; every transition
    (state, entry) -> state is remembered, so a repeated pattern is processed once; and where
    the state fully determines what follows (no ``@import``, ``@propagate``), entries that
    lead back to a state already reached are left out of the reduced value too.
    """
    processor = _Processor(load)
    if not isinstance(value, list):
        processor.apply(value, ("@context",))
        return ProcessedContext(processor.active(), value)
    state = processor.state()
    interned = {state: state}
    kept: list[Any] = []
    states_at = [state]  # the state after kept[:i]
    position = {state: 0}
    memo: dict[tuple[Any, Any], tuple[Any, tuple[Any, ...]]] = {}
    previous: Any = _NOTHING
    pending: tuple[Any, ...] | None = None  # a state reached by memo, not yet restored
    for index, entry in enumerate(value):
        key = _entry_key(entry)
        if key == previous:
            continue  # applying the same context twice in a row changes nothing
        previous = key
        known = memo.get((state, key))
        if known is not None:  # this entry was applied to this state before: nothing to do
            state, pending = known
        else:
            if pending is not None:
                processor.restore(pending)
                pending = None
            before = state
            processor.apply(entry, ("@context", index))
            state = processor.state()
            state = interned.setdefault(state, state)  # one object per state: quick lookups
            memo[(before, key)] = (state, processor.snapshot())
        seen = position.get(state)
        if seen is not None and processor.exact:
            for gone in states_at[seen + 1 :]:  # back to a state already reached
                position.pop(gone, None)
            del kept[seen:], states_at[seen + 1 :]
            continue
        kept.append(entry)
        states_at.append(state)
        position[state] = len(kept)
    if pending is not None:
        processor.restore(pending)
    return ProcessedContext(processor.active(), kept if len(kept) != len(value) else value)


_NOTHING = object()


def _freeze(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


@lru_cache(maxsize=256)
def _active_context_cached(frozen: str) -> ActiveContext:
    ctx = process_context(json.loads(frozen), bundled_loader).active
    ctx.frozen = frozen
    return ctx


def active_context(value: Any, load: Loader | None = None) -> ActiveContext:
    """The active context for a document's ``@context`` value (cached for bundled loads)."""
    if load is None:
        return _active_context_cached(_freeze(value))
    return build_active_context(value, load)


def build_active_context(value: Any, load: Loader) -> ActiveContext:
    """Process a ``@context`` value (see :func:`process_context`); with the bundled loader,
    the one processed before for an equal value is given again."""
    if load is bundled_loader:
        return _active_context_cached(_freeze(value))
    return process_context(value, load).active


@lru_cache(maxsize=256)
def _reduced_cached(frozen: str) -> Any:
    """The reduced value, or None when nothing is left out."""
    value = json.loads(frozen)
    reduced = process_context(value, bundled_loader).reduced
    return None if reduced is value else reduced


def reduce_context(value: Any, load: Loader | None = None) -> Any:
    """An equivalent ``@context`` value without the entries that change nothing (see
    :func:`process_context`): what to give pyld, whose cost grows with every entry."""
    if not isinstance(value, list):
        return value
    if load is None:
        if len(value) < 2:
            return value
        reduced = _reduced_cached(_freeze(value))
        return value if reduced is None else copy.deepcopy(reduced)  # the cache's stays intact
    return process_context(value, load).reduced
