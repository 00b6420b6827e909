"""The ``@context`` rule: present on the top object only, OpenActive's context first."""

from __future__ import annotations

from ._engine import Check
from ._issues import Severity
from ._node import Node
from ._registry import Code, register
from ._spec import FieldSpec
from ._terms import MISSING
from ._typing import URL, type_allowed

_URL_OR_URLS = FieldSpec({"requiredType": URL, "alternativeTypes": [f"ArrayOf#{URL}"]})


@register(
    "ContextInRootNode",
    "model",
    [
        Code(
            "context-missing",
            Severity.FAILURE,
            "The top object has no ``@context``.",
            "ContextInRootNodeRule.noContext",
        ),
        Code(
            "context-not-root",
            Severity.FAILURE,
            "An object other than the top one has a ``@context``.",
            "ContextInRootNodeRule.hasContext",
        ),
        Code(
            "context-openactive-first",
            Severity.FAILURE,
            '``@context`` is not ``"https://openactive.io/"`` or an array starting with it.',
            "ContextInRootNodeRule.oaNotInRightPlace",
        ),
        Code(
            "context-not-url",
            Severity.FAILURE,
            "``@context`` is not a URL or an array of URLs (inline contexts are not allowed).",
            "ContextInRootNodeRule.type",
        ),
        Code(
            "context-dataset-site",
            Severity.FAILURE,
            "A Dataset Site's ``@context`` is not ``[schema.org, OpenActive]``.",
            "ContextInRootNodeRule.contextIncorrectForDatasetSite",
        ),
        Code(
            "context-data-catalog",
            Severity.FAILURE,
            "A DataCatalog's ``@context`` is not the schema.org context.",
            "ContextInRootNodeRule.contextIncorrectForDataCatalog",
        ),
    ],
)
def context_in_root_node(check: Check, node: Node) -> None:
    """The top object carries ``@context`` with the OpenActive context first; nested objects
    carry none."""
    if not node.model.is_json_ld:
        return
    value = node.get("@context")
    meta = check.spec.meta
    main = meta["contextUrl"]
    schema = meta["namespaces"]["schema"]
    code = ""
    if node.is_root:
        if check.mode == "DatasetSite":
            if not (isinstance(value, list) and value[:1] == [schema] and value[1:2] == [main]):
                code = "context-dataset-site"
        elif check.mode == "DataCatalog":
            if value != schema:
                code = "context-data-catalog"
        elif value is MISSING:
            code = "context-missing"
        elif node.model.field("@context") is None and not type_allowed(
            check.spec, _URL_OR_URLS, value
        ):
            code = "context-not-url"
        elif (isinstance(value, str) and value != main) or (
            isinstance(value, list) and value[:1] != [main]
        ):
            code = "context-openactive-first"
    elif value is not MISSING:
        code = "context-not-root"
    if code:
        messages = {
            "context-missing": f'The top object needs `@context`: "{main}", or an array '
            "starting with it.",
            "context-not-root": "`@context` must only be present in the top object.",
            "context-openactive-first": f'`@context` must be "{main}", or an array starting '
            "with it.",
            "context-not-url": "`@context` must be a URL or an array of URLs of published "
            f'contexts, starting with "{main}".',
            "context-dataset-site": f'A Dataset Site\'s `@context` must be ["{schema}", "{main}"].',
            "context-data-catalog": f'A DataCatalog\'s `@context` must be "{schema}".',
        }
        check.emit(code, node.path_to("@context"), messages[code], value)
