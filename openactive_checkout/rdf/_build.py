"""Models to triples, directly: no JSON-LD text, no expansion.

Each model is turned into the triples its JSON-LD (as ``to_jsonld`` writes it) means: the same
context (the document's own, or the canonical one of the namespaces it uses), the same keys,
so the same IRIs, ``@id`` coercion and literals; extension properties are interpreted under
that context (``_extras``). The builder is generic over a term factory, so rdflib and
pyoxigraph get the same triples.
"""

from __future__ import annotations

from typing import Any, Generic, NamedTuple, TypeVar
from weakref import WeakKeyDictionary

from ..errors import DataError
from ..jsonld._base import JsonLdNode, model_context, namespace_context
from ..jsonld._context import OPENACTIVE, ActiveContext, bundled_loader, is_absolute_iri
from ..jsonld._doc_context import DocumentContext
from ..jsonld._types import respelled
from ..jsonld._writer import _scalar, document_context, field_key
from ._extras import Emitter, with_path
from ._names import RDF_TYPE
from ._terms import Literals, TermFactory, Triple, checked_iri

T = TypeVar("T")


class _FieldPlan(NamedTuple):
    name: str
    key: str
    """The key the writer uses for the field under the document's context."""
    predicate: str
    coerce_id: bool
    namespace: str | None


class _ClassPlan(NamedTuple):
    type_iris: tuple[str, ...]
    type_namespace: str | None
    by_name: dict[str, _FieldPlan]
    lists: tuple[str, ...]
    """List fields: filled in place, they hold values without being "set" for pydantic."""


class _ContextPlans:
    """Per-context caches: class plans and how type IRIs read back once written."""

    def __init__(self, ctx: ActiveContext) -> None:
        self.ctx = ctx
        self.classes: dict[type[JsonLdNode], _ClassPlan] = {}
        self.types: dict[str, str] = {}

    def written_type(self, iri: str) -> str:
        """The IRI a type means once written in this context (the same, unless unusual)."""
        result = self.types.get(iri)
        if result is None:
            expanded = self.ctx.expand_iri(self.ctx.compact_type(iri), vocab=True)
            if expanded is None or expanded[0] == "@" or not is_absolute_iri(expanded):
                raise DataError(f"the type {iri!r} is not an absolute IRI", path=("@type",))
            try:
                result = self.types[iri] = checked_iri(expanded)
            except DataError as exc:
                raise with_path(exc, "@type") from None
        return result

    def for_class(self, cls: type[JsonLdNode]) -> _ClassPlan:
        plan = self.classes.get(cls)
        if plan is None:
            plan = self.classes[cls] = self._plan(cls)
        return plan

    def _plan(self, cls: type[JsonLdNode]) -> _ClassPlan:
        ctx = self.ctx
        spec = cls.jsonld_spec()
        fields = []
        for field in spec.fields:
            key = field_key(ctx, field)  # the key the writer chooses, and what it means
            term = ctx.resolve_key(key)
            if term is None or term.iri is None or term.iri[0] == "@" or term.reverse:
                raise DataError(f"{cls.__name__}.{field.name} cannot be written in this context")
            try:
                checked_iri(term.iri)
            except DataError as exc:
                raise with_path(exc, key) from None
            fields.append(_FieldPlan(field.name, key, term.iri, term.coerce_id, field.namespace))
        own = cls.type_iri()
        return _ClassPlan(
            type_iris=(self.written_type(own),) if own else (),
            type_namespace=spec.type_namespace,
            by_name={f.name: f for f in fields},
            lists=tuple(f.name for f in spec.fields if f.is_list),
        )


_PLANS: WeakKeyDictionary[ActiveContext, _ContextPlans] = WeakKeyDictionary()


def _plans(ctx: ActiveContext) -> _ContextPlans:
    plans = _PLANS.get(ctx)
    if plans is None:
        plans = _PLANS[ctx] = _ContextPlans(ctx)
    return plans


class GraphBuilder(Generic[T]):
    """Builds the triples of models with one term factory."""

    def __init__(self, factory: TermFactory[T]) -> None:
        self.factory = factory
        self.literals = Literals(factory)
        self.rdf_type = factory.iri(RDF_TYPE)

    def triples(self, root: JsonLdNode) -> list[Triple[T]]:
        """The triples of one model (a document: its blank node labels are its own)."""
        if not isinstance(root, JsonLdNode):
            raise DataError(f"expected a model, not {type(root).__name__}")
        stored = root._context
        built_in_code = not isinstance(stored, DocumentContext)
        if isinstance(stored, DocumentContext):
            context = stored
        else:
            context = DocumentContext(
                (OPENACTIVE, *type(root).namespace_contexts), (), bundled_loader)  # fmt: skip
        # As the writer does: a namespace the model uses that the context lacks is added.
        for attempt in range(3):
            document = _Document(self, context, built_in_code)
            try:
                try:
                    document.node(root)
                except RecursionError:  # a model built in code, nested beyond the stack
                    raise DataError("the model nests too deeply to be turned into RDF") from None
            except DataError:
                if attempt:
                    raise
                full = document_context(root)  # the error may come from a missing namespace
                if set(full.urls) <= set(context.urls):
                    raise
                context = full
                continue
            missing = document.used - set(context.urls)
            if not missing:
                return document.triples
            context = context.with_urls(missing, bundled_loader)
        raise AssertionError("unreachable: the last pass has every namespace")  # pragma: no cover


class _Document(Emitter[T]):
    def __init__(
        self, builder: GraphBuilder[T], context: DocumentContext, built_in_code: bool
    ) -> None:
        super().__init__(builder.factory, builder.literals, context.active, context.value)
        self.plans = _plans(context.active)
        self.rdf_type = builder.rdf_type
        self.built_in_code = built_in_code
        self.used: set[str] = set()

    def node(self, node: JsonLdNode) -> T:
        """Emit a node's triples; return its subject."""
        cls = type(node)
        plans = self.plans
        plan = plans.classes.get(cls) or plans.for_class(cls)
        factory = self.factory
        add = self.triples.append
        if node.id is None:
            subject = factory.blank()
        else:
            try:
                subject = self.node_term(node.id)
            except DataError as exc:
                raise with_path(exc, "@id") from None
        self.types(subject, node, plan)
        extras = node.__pydantic_extra__
        if self.built_in_code:
            self._namespaces_in_code(cls, extras)
        values = node.__dict__
        # The fields the writer writes: those pydantic counts as set, and lists filled in place.
        by_name = plan.by_name
        fields_set = node.__pydantic_fields_set__
        names = [n for n in fields_set if n in by_name]
        names += [n for n in plan.lists if values[n] and n not in fields_set]
        spellings = values.get("_spellings")  # enumeration values read from other text
        if spellings is not None:
            values = {**values, **{n: respelled(spellings, n, values[n]) for n in spellings}}
        for name in names:
            _, key, predicate, coerce_id, namespace = by_name[name]
            value = values[name]
            if value is None:
                continue
            if value.__class__ is list:
                if not value:
                    continue
                predicate_term = factory.iri(predicate)
                for index, item in enumerate(value):
                    if item is None or (item.__class__ is str and not item):
                        continue
                    try:
                        add((subject, predicate_term, self.value(item, coerce_id)))
                    except DataError as exc:
                        raise with_path(exc, key, index) from None
            elif value.__class__ is str and not value:
                continue
            else:
                try:
                    add((subject, factory.iri(predicate), self.value(value, coerce_id)))
                except DataError as exc:
                    raise with_path(exc, key) from None
            if namespace is not None:
                self.used.add(namespace)
        if extras:
            self.node_extras(subject, extras, lenient=bool(values.get("_problems")))
        return subject

    def node_extras(self, subject: T, extras: dict[str, Any], *, lenient: bool) -> None:
        """A node's extension properties; those of a node a lenient read kept values of
        (which may hold what only pyld interprets: relative IRIs, keys it ignores) by pyld."""
        if lenient:
            self.with_pyld(subject, extras)
        else:
            self.extras(subject, extras)

    def types(self, subject: T, node: JsonLdNode, plan: _ClassPlan) -> None:
        types = node._types
        factory, add = self.factory, self.triples.append
        if types is None:
            if plan.type_namespace is not None:
                self.used.add(plan.type_namespace)
            for iri in plan.type_iris:
                add((subject, self.rdf_type, factory.iri(iri)))
            return
        for iri in types:
            namespace = namespace_context(iri)
            if namespace is not None:
                self.used.add(namespace)
            add((subject, self.rdf_type, factory.iri(self.plans.written_type(iri))))

    def value(self, item: Any, coerce_id: bool) -> T:
        if item.__class__ is str:
            return self.node_term(item) if coerce_id else self.factory.plain(item)
        if isinstance(item, JsonLdNode):
            return self.node(item)
        scalar = _scalar(item)
        if isinstance(scalar, str):
            return self.node_term(scalar) if coerce_id else self.factory.plain(scalar)
        return self.literals.number(scalar)

    def _namespaces_in_code(self, cls: type[JsonLdNode], extras: dict[str, Any] | None) -> None:
        """The namespaces the writer adds for a model built in code (see _writer)."""
        self.used.update(cls.namespace_contexts)
        for key in extras or ():
            term = model_context().resolve_key(key)
            if term is not None and term.iri is not None:
                namespace = namespace_context(term.iri)
                if namespace is not None:
                    self.used.add(namespace)
