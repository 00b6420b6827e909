"""A concept scheme with its indexes: by id, by label, and the broader/narrower graph."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import DataError
from ..jsonld import loads
from ..vocab.openactive import Concept, ConceptScheme


@dataclass(frozen=True)
class Collection:
    """A named collection of a scheme's concepts (e.g. the activity list's "Cardio")."""

    id: str
    pref_label: str
    definition: str | None
    members: tuple[str, ...]
    """The ids of the member concepts, in the collection's order."""


class Scheme:
    """A SKOS concept scheme with look-ups; build it with :func:`load_scheme` or get a
    published one from :func:`~openactive_checkout.concepts.activity_list` and friends.

    Every index is built once, when the scheme is made: :meth:`get` and :meth:`find` are
    dictionary look-ups, :meth:`ancestors`/:meth:`descendants` walk only the concepts they
    return.
    """

    def __init__(
        self, model: ConceptScheme, collections: Mapping[str, Collection] | None = None
    ) -> None:
        self.model = model
        """The scheme as the vocabulary's :class:`ConceptScheme` model."""
        self._by_id: dict[str, Concept] = {}
        self._by_label: dict[str, list[Concept]] = {}
        broader: dict[str, list[str]] = {}
        narrower: dict[str, list[str]] = {}
        for concept in model.concept:
            if concept.id is None:
                continue
            self._by_id.setdefault(concept.id, concept)
            labels = [concept.pref_label, *concept.alt_label]
            for label in {text.casefold() for text in labels if text}:
                self._by_label.setdefault(label, []).append(concept)
            for parent in concept.broader:
                _link(broader, concept.id, parent)
                _link(narrower, parent, concept.id)
            for child in concept.narrower:
                _link(narrower, concept.id, child)
                _link(broader, child, concept.id)
        self._broader = broader
        self._narrower = narrower
        self._collections = dict(collections or {})

    def __repr__(self) -> str:
        return f"<Scheme {self.id!r}: {len(self)} concepts>"

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[Concept]:
        return iter(self._by_id.values())

    def __contains__(self, iri: object) -> bool:
        return isinstance(iri, str) and iri in self._by_id

    @property
    def id(self) -> str | None:
        """The scheme's id (e.g. ``https://openactive.io/activity-list``)."""
        return self.model.id

    @property
    def title(self) -> str | None:
        """The scheme's title."""
        return self.model.title

    def get(self, iri: str) -> Concept | None:
        """The concept with id ``iri``, or None."""
        return self._by_id.get(iri)

    def concept(self, iri: str) -> Concept:
        """The concept with id ``iri``; ``KeyError`` (naming the id) if the scheme has none."""
        found = self._by_id.get(iri)
        if found is None:
            raise KeyError(f"no concept {iri!r} in the scheme {self.id!r}")
        return found

    def find(self, text: str, *, partial: bool = False) -> list[Concept]:
        """The concepts whose ``prefLabel`` or an ``altLabel`` is ``text``, ignoring case,
        in scheme order (with ``partial=True``: those first, then the concepts with a label
        containing ``text``)."""
        wanted = text.casefold().strip()
        exact = list(self._by_label.get(wanted, ()))
        if not partial:
            return exact
        seen = {concept.id for concept in exact if concept.id is not None}
        found = exact
        for concept in self._by_id.values():
            labels = [concept.pref_label, *concept.alt_label]
            if any(wanted in label.casefold() for label in labels if label):
                assert concept.id is not None
                if concept.id not in seen:
                    seen.add(concept.id)
                    found.append(concept)
        return found

    def broader(self, iri: str) -> list[Concept]:
        """The concepts directly broader than ``iri`` (KeyError for an unknown id)."""
        self.concept(iri)
        return self._concepts(self._broader.get(iri, ()))

    def narrower(self, iri: str) -> list[Concept]:
        """The concepts directly narrower than ``iri`` (KeyError for an unknown id)."""
        self.concept(iri)
        return self._concepts(self._narrower.get(iri, ()))

    def ancestors(self, iri: str) -> list[Concept]:
        """Every concept broader than ``iri``, transitively, nearest first (each once)."""
        self.concept(iri)
        return self._concepts(_walk(self._broader, iri))

    def descendants(self, iri: str) -> list[Concept]:
        """Every concept narrower than ``iri``, transitively, nearest first (each once)."""
        self.concept(iri)
        return self._concepts(_walk(self._narrower, iri))

    def is_a(self, iri: str, kind: str) -> bool:
        """Whether the concept ``iri`` is ``kind`` or narrower than it, or, when ``kind`` is
        a collection's id or label, a member of that collection or narrower than a member."""
        if iri not in self._by_id:
            return False
        collection = self._find_collection(kind)
        targets = set(collection.members) if collection is not None else {kind}
        if iri in targets:
            return True
        return any(parent in targets for parent in _walk(self._broader, iri))

    @property
    def collections(self) -> list[Collection]:
        """The scheme's published collections (the activity list's "Cardio", ...)."""
        return list(self._collections.values())

    def collection(self, name: str) -> list[Concept]:
        """The member concepts of the collection whose id or label (any case) is ``name``;
        ``KeyError`` if there is none."""
        found = self._find_collection(name)
        if found is None:
            known = ", ".join(repr(c.pref_label) for c in self._collections.values())
            raise KeyError(f"no collection {name!r} in the scheme {self.id!r} (known: {known})")
        return self._concepts(found.members)

    def _find_collection(self, name: str) -> Collection | None:
        if name in self._collections:
            return self._collections[name]
        wanted = name.casefold()
        for collection in self._collections.values():
            if collection.pref_label.casefold() == wanted:
                return collection
        return None

    def _concepts(self, ids: Any) -> list[Concept]:
        return [self._by_id[i] for i in ids if i in self._by_id]


def _link(graph: dict[str, list[str]], source: str, target: str) -> None:
    targets = graph.setdefault(source, [])
    if target not in targets:
        targets.append(target)


def _walk(graph: Mapping[str, list[str]], start: str) -> list[str]:
    seen = {start}
    order: list[str] = []
    queue = deque(graph.get(start, ()))
    while queue:
        node = queue.popleft()
        if node in seen:
            continue
        seen.add(node)
        order.append(node)
        queue.extend(graph.get(node, ()))
    return order


def load_scheme(
    data: str | bytes | Mapping[str, Any] | ConceptScheme,
    *,
    collections: list[Mapping[str, Any]] | None = None,
) -> Scheme:
    """A :class:`Scheme` from a concept scheme document (JSON text, bytes, a parsed mapping
    or a :class:`ConceptScheme` model), e.g. a publisher's own activity list, with its
    ``collections`` (parsed ``ConceptCollection`` documents). A document that is not a
    ``ConceptScheme`` raises :class:`~openactive_checkout.errors.DataError`."""
    model = data if isinstance(data, ConceptScheme) else loads(data, model=ConceptScheme)
    found: dict[str, Collection] = {}
    for index, doc in enumerate(collections or ()):
        found_collection = _collection(doc, index)
        found[found_collection.id] = found_collection
    return Scheme(model, found)


def _collection(doc: Mapping[str, Any], index: int) -> Collection:
    def field(*names: str) -> Any:
        for name in names:
            if name in doc:
                return doc[name]
        return None

    place = f"$collections[{index}]"
    collection_id = field("@id", "id")
    label = field("prefLabel")
    members = field("member")
    if not isinstance(collection_id, str) or not isinstance(label, str):
        raise DataError(f"{place}: a collection needs a string `@id` and `prefLabel`")
    if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
        raise DataError(f"{place}.member: a collection's members are a list of concept ids")
    definition = field("definition")
    return Collection(
        collection_id,
        label,
        definition if isinstance(definition, str) else None,
        tuple(members),
    )
