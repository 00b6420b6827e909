"""The remote JSON documents validation reads, as the official validator run online reads
them: activity lists (``ActivityInActivityListRule``) and the documents behind extension
``@context`` URLs (``FieldsNotInModelRule``).

Nothing is fetched. By default the documents are the published OpenActive and imin ones
bundled with the library (:func:`openactive_checkout.jsonld.published_document`); a caller
may add their own (a publisher's activity list, an extension namespace), or choose the
offline behaviour, in which nothing loads, as with the official validator's
``loadRemoteJson: false``.

Each document is indexed once, on first use, per :class:`ValidationDocuments`: an activity
list becomes two dicts (``id`` and lower-cased ``prefLabel`` -> first position), so each
activity costs O(1) whatever the list's size.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

from ..jsonld._context import bundled
from ._modes import ValidationModeError
from ._namespaces import GraphSpec
from ._terms import Terms


@dataclass(frozen=True)
class ConceptList:
    """An activity list as the validator walks it: its concepts' ``id`` and ``prefLabel``
    (the raw JSON keys the validator reads), with O(1) look-ups giving the first match."""

    url: str
    ids: tuple[Any, ...]
    labels: tuple[Any, ...]
    by_id: Mapping[str, int]
    by_label: Mapping[str, int]

    @classmethod
    def of(cls, url: str, doc: Any) -> ConceptList:
        concepts = doc.get("concept") if isinstance(doc, dict) else None
        if not isinstance(concepts, list):
            concepts = []
        ids: list[Any] = []
        labels: list[Any] = []
        by_id: dict[str, int] = {}
        by_label: dict[str, int] = {}
        for position, concept in enumerate(concepts):
            if not isinstance(concept, dict):
                ids.append(None)
                labels.append(None)
                continue
            concept_id = concept.get("id")
            label = concept.get("prefLabel")
            ids.append(concept_id)
            labels.append(label)
            if isinstance(concept_id, str):
                by_id.setdefault(concept_id, position)
            if isinstance(label, str):
                by_label.setdefault(label.lower(), position)
        return cls(url, tuple(ids), tuple(labels), by_id, by_label)


@dataclass(frozen=True)
class LoadedContext:
    """One extension ``@context`` URL's document, with its string sub-contexts replaced by
    their documents' ``@context`` objects (as the validator does), and the notices that
    replacement raises (``("complex" | "graph", sub-context URL)``)."""

    url: str
    doc: Any
    notices: tuple[tuple[str, str], ...]


class ValidationDocuments:
    """The documents a validation run may "load", by URL.

    ``published`` says whether the published documents bundled with the library are
    available (``https://openactive.io/activity-list``, ``https://openactive.io/ns-beta``,
    ``https://imin.co/``, ...); ``extra`` maps more URLs to parsed JSON documents or models
    (e.g. a :class:`~openactive_checkout.vocab.openactive.ConceptScheme`; they win over the
    published ones). An instance keeps the indexes it builds: reuse it across
    calls when passing your own documents.
    """

    __slots__ = ("_contexts", "_graphs", "_lists", "_terms", "extra", "published")

    def __init__(self, extra: Mapping[str, Any] | None = None, *, published: bool = True) -> None:
        self.published = published
        self.extra: Mapping[str, Any] = MappingProxyType(
            {url: _as_served(doc) for url, doc in (extra or {}).items()}
        )
        self._lists: dict[str, ConceptList | None] = {}
        self._contexts: dict[str, LoadedContext | None] = {}
        self._graphs: dict[str, GraphSpec] = {}
        self._terms: dict[tuple[str | None, ...], Terms] = {}

    def __repr__(self) -> str:
        return f"ValidationDocuments({sorted(self.extra)!r}, published={self.published})"

    @property
    def offline(self) -> bool:
        """Nothing can load: the official validator's offline behaviour."""
        return not self.published and not self.extra

    def get(self, url: Any) -> Any:
        """The parsed document at ``url`` (shared: never change it), or None."""
        if not isinstance(url, str):
            return None
        if url in self.extra:
            return self.extra[url]
        if self.published and url in bundled().documents:
            return bundled().published(url)
        return None

    def loads(self, url: Any) -> bool:
        """Whether the document at ``url`` loads as a JSON object or array."""
        return isinstance(self.get(url), dict | list)

    def concept_list(self, url: str) -> ConceptList | None:
        """The activity list at ``url``, indexed (None if it does not load)."""
        if url in self._lists:
            return self._lists[url]
        doc = self.get(url)
        found = ConceptList.of(url, doc) if isinstance(doc, dict | list) else None
        self._lists[url] = found
        return found

    def context(self, url: str) -> LoadedContext | None:
        """The extension context document at ``url``, resolved (None if it does not load)."""
        if url in self._contexts:
            return self._contexts[url]
        doc = self.get(url)
        found = None if not isinstance(doc, dict | list) else self._resolve(url, doc)
        self._contexts[url] = found
        return found

    def graph(self, url: str, doc: Any, oa_context: Mapping[str, Any]) -> GraphSpec:
        """The term definitions of the loaded context document ``doc`` (from ``url``)."""
        found = self._graphs.get(url)
        if found is None:
            found = GraphSpec(doc, oa_context)
            self._graphs[url] = found
        return found

    def terms(self, key: tuple[str | None, ...] | None, make: Callable[[], Terms]) -> Terms:
        """The merged terms of a list of loaded contexts, kept by their URLs (``key``; None
        when an inline context makes them one document's own)."""
        if key is None:
            return make()
        found = self._terms.get(key)
        if found is None:
            found = make()
            self._terms[key] = found
        return found

    def _resolve(self, url: str, doc: Any) -> LoadedContext:
        notices: list[tuple[str, str]] = []
        if isinstance(doc, dict) and isinstance(doc.get("@context"), list):
            resolved: list[Any] = []
            for sub in doc["@context"]:
                if not isinstance(sub, str):
                    resolved.append(sub)
                    continue
                sub_doc = self.get(sub)
                sub_context = sub_doc.get("@context") if isinstance(sub_doc, dict) else None
                if isinstance(sub_context, dict):
                    resolved.append(sub_context)
                else:
                    resolved.append(sub)
                    notices.append(("complex", sub))
                if isinstance(sub_doc, dict) and "@graph" in sub_doc:
                    notices.append(("graph", sub))
            doc = {**doc, "@context": resolved}
        return LoadedContext(url, doc, tuple(notices))


def _as_served(doc: Any) -> Any:
    """A document given as a model, as JSON in the form the published lists take: concepts
    with ``id`` (the key the validator reads, as the official one does), not ``@id``."""
    from ..jsonld import to_jsonld
    from ..jsonld._base import JsonLdNode

    if not isinstance(doc, JsonLdNode):
        return doc
    found = to_jsonld(doc)
    concepts = found.get("concept")
    if isinstance(concepts, list):
        found["concept"] = [
            {("id" if key == "@id" else key): value for key, value in concept.items()}
            if isinstance(concept, dict)
            else concept
            for concept in concepts
        ]
    return found


Documents = Literal["published", "none"] | Mapping[str, Any] | ValidationDocuments
"""What ``validate(documents=...)`` accepts: ``"published"`` (the default: the bundled
published documents), ``"none"`` (offline: nothing loads), a mapping of URL -> parsed JSON
document (the published documents plus these), or a :class:`ValidationDocuments`."""

_PUBLISHED = ValidationDocuments()
_OFFLINE = ValidationDocuments(published=False)


def documents_of(documents: Documents) -> ValidationDocuments:
    """The :class:`ValidationDocuments` for a ``documents=`` argument
    (:class:`ValidationModeError` if it is none of those)."""
    if isinstance(documents, ValidationDocuments):
        return documents
    if isinstance(documents, str):
        if documents == "published":
            return _PUBLISHED
        if documents == "none":
            return _OFFLINE
        raise ValidationModeError(
            f"unknown documents {documents!r}: use 'published', 'none', a mapping of URL -> "
            "document, or a ValidationDocuments"
        )
    if isinstance(documents, Mapping):
        for url in documents:
            if not isinstance(url, str):
                raise ValidationModeError(f"documents keys must be URL strings, not {url!r}")
        return ValidationDocuments(documents)
    raise ValidationModeError(
        f"documents must be 'published', 'none', a mapping or a ValidationDocuments, "
        f"not {type(documents).__name__}"
    )
