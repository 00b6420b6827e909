"""Pydantic's API against the library's: reading and writing the pinned examples both ways.

    python -m benchmarks.bench_pydantic

For the seed response and the largest examples of ``@openactive/data-models@3.0.9``:
``Model.model_validate_json(text)`` against ``loads(text)`` (the same reader: goal, issue 11,
within 1.3x), ``model.model_dump_json(by_alias=True)`` against ``dumps(model)`` (the same
writer, then Pydantic's JSON encoder) and ``model.model_dump(mode="json", by_alias=True)``
against ``to_jsonld(model)``. Ratio = the Pydantic road's time / the library's.
"""

from __future__ import annotations

import json
from pathlib import Path

import openactive_checkout as oc
from benchmarks._timing import per_call
from benchmarks.bench_vocabulary import largest_documents

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "checkout-session-response.json"
GOAL = 1.3


def compare(name: str, text: str) -> float:
    """Print the timings for one document; return model_validate_json's ratio to loads."""
    model = oc.loads(text)
    cls = type(model)
    assert cls.model_validate_json(text) == model
    assert json.loads(model.model_dump_json(by_alias=True)) == json.loads(oc.dumps(model))
    rows = [
        ("loads", per_call(lambda: oc.loads(text))),
        ("model_validate_json", per_call(lambda: cls.model_validate_json(text))),
        ("dumps", per_call(lambda: oc.dumps(model))),
        ("model_dump_json(by_alias=True)", per_call(lambda: model.model_dump_json(by_alias=True))),
        ("to_jsonld", per_call(lambda: oc.to_jsonld(model))),
        (
            'model_dump(mode="json", by_alias=True)',
            per_call(lambda: model.model_dump(mode="json", by_alias=True)),
        ),
    ]
    print(f"{name} ({len(text)} bytes, {cls.__name__})")
    for index, (label, seconds) in enumerate(rows):
        ratio = f"{seconds / rows[index - 1][1]:6.2f}x" if index % 2 else ""
        print(f"  {label:<42} {seconds * 1e6:9.1f} us {ratio}")
    return rows[1][1] / rows[0][1]


def main() -> None:
    documents = [(SEED.name, SEED.read_text(encoding="utf-8")), *largest_documents()]
    worst = max(compare(name, text) for name, text in documents)
    verdict = "met" if worst <= GOAL else "NOT met"
    print(f"model_validate_json / loads, worst: {worst:.2f}x (goal: at most {GOAL}x, {verdict})")


if __name__ == "__main__":
    main()
