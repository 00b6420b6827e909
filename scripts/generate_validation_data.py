"""Write ``openactive_checkout/validation/_data/openactive-2.x.json``, the requirement data
the validation rules run on.

Everything in it is derived from the pinned npm packages, never typed in by hand:

- ``@openactive/data-models`` (``versions/2.x``): every model rendered with its parents'
  fields (the package's own ``renderModel`` logic), requirement lists per validation mode and
  per containing property, enums, metadata (namespaces, validation modes, activity lists),
  the flat OpenActive context (``src/dist/contexts.js``), the OpenActive property list
  (``src/dist/properties.js``) and, from the schema.org vocabulary it ships
  (``src/dist/schemaOrgVocab.js``), which schema.org properties each model's base class
  accepts (the validator's "in schema.org" notice);
- the code lists the official validator (``@openactive/data-model-validator``) checks
  formats against: ISO 4217 currencies (``currency-codes``) and ISO 3166-1 alpha-2
  countries (``validator``).

It also writes the SHACL shapes built from that data (``_data/shapes/``, see
``openactive_checkout/validation/_shapes.py``).

The output is deterministic (no timestamps; source order kept where the rules depend on it,
sorted elsewhere); ``tests/validation/test_validation_data.py`` proves that regenerating it
changes nothing.

Usage::

    python scripts/generate_validation_data.py [--npm-modules DIR] [--check]
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from openactive_checkout.validation._namespaces import GraphSpec  # noqa: E402
from openactive_checkout.validation._shapes import shape_files  # noqa: E402
from openactive_checkout.validation._spec import Spec  # noqa: E402
from openactive_checkout.validation._terms import qualify  # noqa: E402

DATA_DIR = ROOT / "openactive_checkout" / "validation" / "_data"
OUTPUT = DATA_DIR / "openactive-2.x.json"
SHAPES_DIR = DATA_DIR / "shapes"
SPEC_VERSION = "2.x"

#: Model-level keys the rules read (the rest is documentation).
MODEL_KEYS = (
    "type",
    "isJsonLd",
    "hasId",
    "subClassGraph",
    "baseSchemaClass",
    "derivedFrom",
    "commonTypos",
    "inSpec",
    "notInSpec",
    "requiredFields",
    "recommendedFields",
    "shallNotInclude",
    "requiredOptions",
    "referencedFields",
    "shallNotBeReferencedFields",
    "validationMode",
    "imperativeConfiguration",
    "imperativeConfigurationWithContext",
)
#: Field-level keys the rules read.
FIELD_KEYS = (
    "fieldName",
    "sameAs",
    "requiredType",
    "alternativeTypes",
    "model",
    "alternativeModels",
    "requiredContent",
    "options",
    "minDecimalPlaces",
    "maxDecimalPlaces",
    "minValueInclusive",
    "valueConstraint",
    "allowReferencing",
    "deprecationGuidance",
    "inheritsFrom",
    "inheritsTo",
)
RPDE_MODELS = ("FeedItem", "FeedPage")


def default_npm_modules() -> Path:
    env = os.environ.get("OPENACTIVE_NPM_MODULES")
    return Path(env) if env else ROOT / ".cache" / "npm" / "node_modules"


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def js_module_value(path: Path) -> Any:
    """The JSON value assigned to ``module.exports`` in a generated JavaScript file."""
    text = path.read_text(encoding="utf-8")
    start = text.index("module.exports")
    start = text.index("=", start) + 1
    body = text[start:].strip().rstrip(";").strip()
    return json.loads(body)


def package_version(folder: Path) -> str:
    version: str = read_json(folder / "package.json")["version"]
    return version


# -- models ------------------------------------------------------------------------------


def render_model(name: str, raw: dict[str, dict[str, Any]], cache: dict[str, Any]) -> Any:
    """A model merged with its parents, as the package's ``renderModel`` does it."""
    if name in cache:
        return copy.deepcopy(cache[name])
    model = copy.deepcopy(raw[name])
    sub_class_of = model.get("subClassOf")
    if isinstance(sub_class_of, str):
        if re.fullmatch(r"#[A-Za-z]+", sub_class_of):
            parent = render_model(sub_class_of[1:], raw, cache)
            for field in parent.get("fields", {}).values():
                field.setdefault("inheritedFrom", sub_class_of)
            fields = parent.get("fields", {})
            fields.update(model.get("fields", {}))
            model["fields"] = fields
            model["derivedFrom"] = model.get("derivedFrom") or None
            model["baseSchemaClass"] = model["derivedFrom"] or parent.get("baseSchemaClass")
            merged = parent
            merged.update(model)
            merged.setdefault("subClassGraph", [])
            merged["subClassGraph"] = [sub_class_of, *merged["subClassGraph"]]
            model = merged
        else:
            model["baseSchemaClass"] = sub_class_of
    else:
        model["baseSchemaClass"] = model.get("derivedFrom")
    cache[name] = copy.deepcopy(model)
    return model


def prune_model(model: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in MODEL_KEYS:
        if key in model and model[key] is not None:
            out[key] = prune_options(model[key]) if key == "requiredOptions" else model[key]
    if "imperativeConfiguration" in out:
        out["imperativeConfiguration"] = {
            name: prune_config(config) for name, config in out["imperativeConfiguration"].items()
        }
    if "imperativeConfigurationWithContext" in out:
        out["imperativeConfigurationWithContext"] = {
            name: {field: prune_config(config) for field, config in by_field.items()}
            for name, by_field in out["imperativeConfigurationWithContext"].items()
        }
    out["fields"] = {
        name: {key: field[key] for key in FIELD_KEYS if key in field}
        for name, field in model.get("fields", {}).items()
    }
    return out


def prune_config(config: dict[str, Any]) -> dict[str, Any]:
    out = dict(config)
    if "requiredOptions" in out:
        out["requiredOptions"] = prune_options(out["requiredOptions"])
    return out


def prune_options(options: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {key: option[key] for key in ("options", "oneOf", "description") if key in option}
        for option in options
    ]


def load_models(versions: Path, dist_specs: Path | None) -> dict[str, Any]:
    raw = {path.stem: read_json(path) for path in sorted((versions / "models").glob("*.json"))}
    cache: dict[str, Any] = {}
    models = {name: render_model(name, raw, cache) for name in sorted(raw)}
    for name in RPDE_MODELS:
        models[name] = read_json(versions / "rpde" / f"{name}.json")
        models[name].setdefault("baseSchemaClass", models[name].get("derivedFrom"))
    if dist_specs is not None:
        check_against_dist(models, dist_specs)
    return models


def check_against_dist(models: dict[str, Any], dist_specs: Path) -> None:
    """Fail if our rendering disagrees with the package's own rendered models."""
    rendered = js_module_value(dist_specs)[SPEC_VERSION]["renderedModels"]
    theirs = {**rendered["models"], **rendered["rpde"]}
    for name, model in models.items():
        if prune_model(model) != prune_model(theirs[name]):
            raise SystemExit(f"rendered model {name} differs from src/dist/specs.js")


# -- schema.org: which properties each base class accepts --------------------------------


class SchemaVocab:
    """The part of the validator's graph helper that answers "is ``schema:p`` a property
    of this class?" against the bundled schema.org vocabulary."""

    def __init__(self, vocab: dict[str, Any], oa_context: dict[str, Any]) -> None:
        self.graph: list[dict[str, Any]] = vocab["@graph"]
        self.context = {**oa_context, **vocab["@context"]}
        self._qualified: dict[str, Any] = {}

    def q(self, value: str) -> Any:
        found = self._qualified.get(value)
        if found is None:
            found = qualify(value, self.context)
            self._qualified[value] = found
        return found

    def get(self, item: dict[str, Any], field: str) -> Any:
        if field in item:
            return item[field]
        prop = self.q(field)
        if prop.alias is not None and prop.alias in item:
            return item[prop.alias]
        if prop.prefix is not None and f"{prop.prefix}:{prop.label}" in item:
            return item[f"{prop.prefix}:{prop.label}"]
        if prop.namespace is not None and f"{prop.namespace}{prop.label}" in item:
            return item[f"{prop.namespace}{prop.label}"]
        return None

    def equal(self, supplied: Any, field: str) -> bool:
        prop = self.q(field)
        return supplied is not None and supplied in (
            prop.alias,
            f"{prop.prefix}:{prop.label}" if prop.prefix is not None else None,
            f"{prop.namespace}{prop.label}" if prop.namespace is not None else None,
        )

    def class_chain(self, class_id: str) -> list[str]:
        wanted = self.q(class_id)
        for item in self.graph:
            kind = item.get("@type")
            if not isinstance(kind, str):
                continue
            kind_q = self.q(kind)
            item_id = item.get("@id")
            if not isinstance(item_id, str):
                continue
            id_q = self.q(item_id)
            if (
                kind_q.namespace == "http://www.w3.org/2000/01/rdf-schema#"
                and kind_q.label == "Class"
                and id_q.namespace is not None
                and id_q.label is not None
                and id_q.namespace == wanted.namespace
                and id_q.label == wanted.label
            ):
                chain = [f"{wanted.namespace}{wanted.label}"]
                parent = self.get(item, "http://www.w3.org/2000/01/rdf-schema#subClassOf")
                if isinstance(parent, dict):
                    parent_id = self.get(parent, "@id")
                    if isinstance(parent_id, str):
                        chain += self.class_chain(parent_id)
                elif isinstance(parent, str):
                    chain += self.class_chain(parent)
                return chain
        return []

    def accepted_properties(self, class_id: str | None) -> list[str]:
        """Labels ``p`` for which the validator finds ``schema:p`` in ``class_id`` because
        of its domain (``None``: the properties without a domain, found in every class)."""
        classes = self.class_chain(class_id) if class_id is not None else []
        found: set[str] = set()
        seen: set[str] = set()
        for item in self.graph:
            item_id = item.get("@id")
            kind = item.get("@type")
            if not isinstance(item_id, str) or not item_id.startswith("schema:"):
                continue
            if kind is not None and self.equal(kind, "rdfs:Class"):
                continue
            label = item_id[len("schema:") :]
            if label in seen:  # the first matching item decides
                continue
            seen.add(label)
            includes = self.get(item, "schema:domainIncludes")
            if includes is None:
                includes = self.get(item, "rdfs:domain")
            if includes is None:
                if class_id is None:
                    found.add(label)
                continue
            if not classes:
                continue
            for include in includes if isinstance(includes, list) else [includes]:
                include_id = self.get(include, "@id") if isinstance(include, dict) else include
                if isinstance(include_id, str) and any(
                    self.equal(include_id, cls) for cls in classes
                ):
                    found.add(label)
                    break
        return sorted(found)


def class_id(model: dict[str, Any], meta: dict[str, Any]) -> str:
    """The class id the validator looks a model up by in namespace documents."""
    derived = model.get("derivedFrom")
    return derived if isinstance(derived, str) else f"{meta['openActivePrefix']}:{model['type']}"


def class_graphs(
    models: dict[str, Any], meta: dict[str, Any], graph: dict[str, Any], vocab: Any, context: Any
) -> dict[str, list[str]]:
    """For each model's class id, the class and its ancestors as the validator's graph helper
    finds them when a namespace document does not define the class: in OpenActive's graph,
    then schema.org's vocabulary (``GraphHelper.getClassGraph``)."""
    oa = GraphSpec({"@context": context, "@graph": graph}, context)
    schema = GraphSpec(vocab, context)
    subs = (oa, schema)

    def chain(specs: tuple[GraphSpec, ...], wanted: str, depth: int = 0) -> list[str]:
        if depth > 64:
            return []
        for spec in specs:
            hit = spec.find_class(wanted)
            if hit is not None:
                full, parent = hit
                return [full, *(chain((spec, *subs), parent, depth + 1) if parent else [])]
        return []

    out: dict[str, list[str]] = {}
    for model in models.values():
        if not isinstance(model.get("type"), str):
            continue
        wanted = class_id(model, meta)
        out[wanted] = chain(subs, wanted)
    return dict(sorted(out.items()))


# -- code lists ----------------------------------------------------------------------------


def currency_codes(folder: Path) -> list[str]:
    text = (folder / "data.js").read_text(encoding="utf-8")
    body = text[text.index("[") : text.rindex("]") + 1]
    return sorted({entry["code"] for entry in json.loads(body)})


def country_codes(folder: Path) -> list[str]:
    text = (folder / "lib" / "isISO31661Alpha2.js").read_text(encoding="utf-8")
    match = re.search(r"validISO31661Alpha2CountriesCodes = \[([^\]]*)\]", text)
    if match is None:
        raise SystemExit("cannot find the ISO 3166-1 alpha-2 list in the validator package")
    return sorted(re.findall(r"'([A-Z]{2})'", match.group(1)))


def properties(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    match = re.search(r'"2\.x":\s*new Set\((\[.*?\])\)', text, re.S)
    if match is None:
        raise SystemExit("cannot find the 2.x property set in src/dist/properties.js")
    return sorted(json.loads(match.group(1)))


# -- assembly ----------------------------------------------------------------------------


def build(npm_modules: Path) -> dict[str, Any]:
    data_models = npm_modules / "@openactive" / "data-models"
    validator = npm_modules / "@openactive" / "data-model-validator"
    versions = data_models / "versions" / SPEC_VERSION
    dist = data_models / "src" / "dist"
    meta = read_json(versions / "meta.json")
    context = js_module_value(dist / "contexts.js")[SPEC_VERSION]
    models = load_models(versions, dist / "specs.js")
    vocab_doc = js_module_value(dist / "schemaOrgVocab.js")
    vocab = SchemaVocab(vocab_doc, context)
    graph = js_module_value(dist / "graphs.js")[SPEC_VERSION]
    bases = sorted(
        {m["baseSchemaClass"] for m in models.values() if isinstance(m.get("baseSchemaClass"), str)}
    )
    modes = [
        mode["validationMode"]
        for group in meta["validationModeGroups"]
        for mode in group["validationModeList"]
    ]
    return {
        "source": {
            "@openactive/data-models": package_version(data_models),
            "@openactive/data-model-validator": package_version(validator),
            "currency-codes": package_version(npm_modules / "currency-codes"),
            "validator": package_version(npm_modules / "validator"),
            "specVersion": SPEC_VERSION,
            "generator": "scripts/generate_validation_data.py",
        },
        "meta": {
            "contextUrl": meta["contextUrl"],
            "openActivePrefix": meta["openActivePrefix"],
            "namespaces": meta["namespaces"],
            "defaultActivityLists": meta["defaultActivityLists"],
            "validationModes": modes,
        },
        "context": context,
        "enums": read_json(versions / "enums.json"),
        "models": {name: prune_model(model) for name, model in models.items()},
        "properties": properties(dist / "properties.js"),
        "schemaOrgProperties": {
            "anyClass": vocab.accepted_properties(None),
            "byClass": {base: vocab.accepted_properties(base) for base in bases},
        },
        "classGraphs": class_graphs(models, meta, graph, vocab_doc, context),
        "currencyCodes": currency_codes(npm_modules / "currency-codes"),
        "countryCodes": country_codes(npm_modules / "validator"),
    }


def render(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def outputs(data: dict[str, Any]) -> dict[Path, str]:
    """Every generated file: the requirement data, the SHACL shapes built from it, and the
    table of codes in docs/validation.md."""
    files = {OUTPUT: render(data)}
    for name, text in shape_files(Spec(json.loads(render(data)))).items():
        files[SHAPES_DIR / name] = text
    if DOCS.exists():
        files[DOCS] = with_code_table(DOCS.read_text(encoding="utf-8"))
    return files


DOCS = ROOT / "docs" / "validation.md"
TABLE_START = "<!-- codes: generated by scripts/generate_validation_data.py -->"
TABLE_END = "<!-- end of codes -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def code_table() -> str:
    """The markdown table of every issue code, each with an example that produces it."""
    from openactive_checkout.validation import CODES, validate
    from openactive_checkout.validation._examples import EXAMPLE_DOCUMENTS, EXAMPLES

    rows = [
        "| Code | Severity | Meaning | Mirrors | Example (mode: where = value) |",
        "|---|---|---|---|---|",
    ]
    for name, code in CODES.items():
        mode, doc = EXAMPLES[name]
        report = validate(doc, mode=mode, documents=EXAMPLE_DOCUMENTS.get(name, {}))
        issue = next(i for i in report if i.code == name)
        value = json.dumps(issue.value, ensure_ascii=False) if issue.value is not None else "—"
        if len(value) > 48:
            value = value[:45] + "..."
        example = f"{mode}: `{issue.json_path}` = `{value}`"
        official = f"`{code.official}`" if code.official else "(ours)"
        rows.append(
            f"| `{name}` | {code.severity.value} | {_cell(code.summary)} | {official} "
            f"| {_cell(example)} |"
        )
    return "\n".join(rows)


def with_code_table(text: str) -> str:
    """``text`` with the code table between its markers replaced by the current one."""
    start = text.index(TABLE_START) + len(TABLE_START)
    end = text.index(TABLE_END)
    return text[:start] + "\n" + code_table() + "\n" + text[end:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--npm-modules", type=Path, default=default_npm_modules())
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is not up to date")
    args = parser.parse_args(argv)
    files = outputs(build(args.npm_modules))
    if args.check:
        stale = [p for p, text in files.items() if not p.exists() or p.read_text("utf-8") != text]
        for path in stale:
            print(f"{path.relative_to(ROOT)} is out of date", file=sys.stderr)
        return 1 if stale else 0
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    print(f"wrote {len(files)} files under {DATA_DIR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
