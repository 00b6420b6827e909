"""``openactive-checkout validate`` as a pipeline uses it: exit codes, JSON and SARIF output,
RPDE pages item by item, NDJSON streams, standard input, progress."""

from __future__ import annotations

import io
import json
import sys
import tracemalloc
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import validation_corpus

from openactive_checkout.cli import run
from openactive_checkout.cli._positions import PagePositions, TextPositions
from openactive_checkout.validation import CODES, validate
from openactive_checkout.validation._examples import EXAMPLES

ROOT = Path(__file__).resolve().parents[2]
REQUEST = ROOT / "examples" / "checkout-session-request.json"
SLOT = {
    "@context": "https://openactive.io/",
    "@type": "Slot",
    "@id": "https://example.com/slots/1",
    "facilityUse": "https://example.com/facility-uses/1",
    "startDate": "2024-05-01T10:00:00Z",
    "endDate": "2024-05-01T11:00:00Z",
    "duration": "PT1H",
    "remainingUses": 1,
    "maximumUses": 1,
    "offers": [
        {
            "@type": "Offer",
            "@id": "https://example.com/offers/1",
            "price": 5,
            "priceCurrency": "GBP",
        }
    ],
}


def cli(*argv: str) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = run(["validate", *argv], stdout, stderr)
    return code, stdout.getvalue(), stderr.getvalue()


def write(tmp_path: Path, name: str, doc: Any) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return str(path)


def test_exit_0_when_no_failures(tmp_path: Path) -> None:
    code, out, _ = cli(write(tmp_path, "slot.json", SLOT))
    assert code == 0
    assert "1 document in RPDEFeed mode: no failures" in out


def test_exit_1_when_a_document_fails(tmp_path: Path) -> None:
    bad = {**SLOT, "duration": "90 minutes"}
    code, out, _ = cli(write(tmp_path, "slot.json", SLOT), write(tmp_path, "bad.json", bad))
    assert code == 1
    assert "failure invalid-duration at $.duration" in out
    assert "2 documents in RPDEFeed mode: 1 with failures" in out


def test_exit_2_for_unreadable_input_after_validating_the_rest(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"@type": "Slot",', encoding="utf-8")
    bad = write(tmp_path, "bad.json", {**SLOT, "duration": "90 minutes"})
    code, out, err = cli(str(tmp_path / "missing.json"), str(broken), bad)
    assert code == 2
    assert "missing.json: unreadable: cannot read" in err  # diagnostics go to stderr
    assert "missing.json" not in out
    assert "broken.json: unreadable: the input is not valid JSON" in err
    assert "failure invalid-json" in out  # still a finding in the report
    assert "failure invalid-duration" in out  # the last file was still validated


def test_usage_errors_exit_2() -> None:
    assert cli("--mode", "NotAMode", "x.json")[0] == 2
    assert cli()[0] == 2


def test_json_output_is_one_document_a_pipeline_can_read(tmp_path: Path) -> None:
    mode, doc = EXAMPLES["invalid-datetime"]
    code, out, _ = cli(write(tmp_path, "event.json", doc), "--mode", mode, "--format", "json")
    data = json.loads(out)
    assert code == 1
    assert data["mode"] == mode
    assert data["conforms"] is False
    assert data["summary"]["documents"] == 1
    assert data["summary"]["failing_documents"] == 1
    (file,) = data["files"]
    assert file["error"] is None
    (document,) = file["documents"]
    assert document["conforms"] is False
    expected = validate(doc, mode=mode).to_dict()["issues"]
    assert document["issues"] == expected
    assert data["summary"]["failures"] == sum(i["severity"] == "failure" for i in expected)


def test_json_output_reports_unreadable_files(tmp_path: Path) -> None:
    code, out, _ = cli(str(tmp_path / "nope.json"), "--format", "json")
    data = json.loads(out)
    assert code == 2
    assert data["conforms"] is False
    assert data["files"][0]["error"].startswith("cannot read")
    assert data["summary"]["unreadable"] == 1


def test_sarif_output(tmp_path: Path) -> None:
    mode, doc = EXAMPLES["country-uk"]
    code, out, _ = cli(write(tmp_path, "event.json", doc), "--mode", mode, "--format", "sarif")
    sarif = json.loads(out)
    assert code == 1
    assert sarif["version"] == "2.1.0"
    (run_,) = sarif["runs"]
    rules = {r["id"] for r in run_["tool"]["driver"]["rules"]}
    assert rules == set(CODES)
    results = run_["results"]
    assert {r["ruleId"] for r in results} <= rules
    uk = [r for r in results if r["ruleId"] == "country-uk"]
    assert uk[0]["level"] == "error"
    location = uk[0]["locations"][0]
    assert location["physicalLocation"]["artifactLocation"]["uri"].endswith("event.json")
    assert location["logicalLocations"][0]["fullyQualifiedName"] == (
        "$.location.address.addressCountry"
    )
    assert run_["invocations"][0]["executionSuccessful"] is True


def test_ndjson_streams_are_validated_line_by_line(tmp_path: Path) -> None:
    path = tmp_path / "docs.ndjson"
    lines = [json.dumps(SLOT), "", json.dumps({**SLOT, "duration": "PT0S"}), "{not json"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, _ = cli(str(path), "--format", "json")
    data = json.loads(out)
    documents = data["files"][0]["documents"]
    assert [d["line"] for d in documents] == [1, 3, 4]
    assert [d["conforms"] for d in documents] == [True, False, False]
    assert documents[1]["issues"][0]["code"] == "zero-duration"
    assert documents[2]["issues"][0]["code"] == "invalid-json"
    assert code == 2  # a line that is not JSON is unreadable input


def test_rpde_pages_give_the_whole_page_issues(tmp_path: Path, data_models_dir: Path) -> None:
    cases = [c for c in validation_corpus.corpus(data_models_dir) if "items" in c.doc][:40]
    assert cases
    for case in cases:
        path = write(tmp_path, "page.json", case.doc)
        _, out, _ = cli(path, "--mode", case.mode, "--format", "json")
        (document,) = json.loads(out)["files"][0]["documents"]
        streamed = Counter((i["json_path"], i["code"]) for i in document["issues"])
        whole = Counter((i.json_path, i.code) for i in validate(case.doc, mode=case.mode))
        assert streamed == whole, case.id


def test_standard_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(REQUEST.read_bytes())))
    code, out, _ = cli("-", "--mode", "IminCheckoutRequest", "--format", "json")
    assert code == 0
    assert json.loads(out)["files"][0]["file"] == "-"


def test_min_severity_filters_output_not_the_verdict(tmp_path: Path) -> None:
    mode, doc = EXAMPLES["invalid-datetime"]
    _, out, _ = cli(
        write(tmp_path, "e.json", doc),
        "--mode",
        mode,
        "--format",
        "json",
        "--min-severity",
        "failure",
    )
    issues = json.loads(out)["files"][0]["documents"][0]["issues"]
    assert issues
    assert {i["severity"] for i in issues} == {"failure"}
    assert json.loads(out)["summary"]["warnings"] > 0


def test_progress_goes_to_stderr(tmp_path: Path) -> None:
    path = write(tmp_path, "slot.json", SLOT)
    code, out, err = cli(path, "--progress")
    assert code == 0
    assert "validated" in err
    assert "validated" not in out
    assert cli(path, "--no-progress")[2] == ""


def test_a_long_page_is_validated_in_constant_memory(tmp_path: Path) -> None:
    path = tmp_path / "long-page.json"
    item = {
        "state": "updated",
        "kind": "Slot",
        "id": "1",
        "modified": 1,
        "data": {**SLOT, "x-padding": "x" * 4000},
    }
    count = 2000
    with path.open("w", encoding="utf-8") as stream:
        stream.write(
            '{"next": "https://example.com/feed?afterId=9", "license": '
            '"https://creativecommons.org/licenses/by/4.0/", "items": ['
        )
        for index in range(count):
            stream.write(("," if index else "") + json.dumps({**item, "id": str(index)}))
        stream.write("]}")
    size = path.stat().st_size
    cli(write(tmp_path, "warm-up.json", SLOT))  # load the requirement data first
    sink = _Tail()
    tracemalloc.start()
    try:
        code = run(["validate", str(path), "--min-severity", "failure"], sink, io.StringIO())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "1 document in RPDEFeed mode: 1 with failures" in sink.last
    assert sink.lines > count  # a failure per item ("x-padding" is not a Slot property)
    assert code == 1
    assert peak < size / 4, (peak, size)


class _Tail(io.StringIO):
    """An output that keeps only its last line (so the test measures the validator)."""

    def __init__(self) -> None:
        super().__init__()
        self.last = ""
        self.lines = 0

    def write(self, text: str) -> int:
        if text.strip():
            self.last = text
            self.lines += text.count("\n") or 1
        return len(text)


# -- pipelines: NDJSON of RPDE items, NDJSON issues, SARIF regions, stderr, --quiet ---------


def _item(item_id: str, data: Any, state: str = "updated") -> dict[str, Any]:
    """An RPDE item as `iter_items` yields it, dumped (a deleted item's data is null)."""
    return {"state": state, "kind": "Slot", "id": item_id, "modified": 7, "data": data}


ITEMS = [
    _item("a", SLOT),
    _item("b", None, state="deleted"),
    _item("c", {**SLOT, "duration": "90 minutes"}),
    _item("d", None),  # updated, but no data
]


def _ndjson(tmp_path: Path, name: str, values: list[Any]) -> Path:
    path = tmp_path / name
    path.write_text("".join(json.dumps(v) + "\n" for v in values), encoding="utf-8")
    return path


def test_ndjson_of_rpde_items_validates_each_items_data(tmp_path: Path) -> None:
    path = _ndjson(tmp_path, "items.ndjson", ITEMS)
    code, out, err = cli(str(path), "--format", "json")
    assert (code, err) == (1, "")  # failures, nothing unreadable: a deleted item is fine
    data = json.loads(out)
    (file,) = data["files"]
    assert file["format"] == "ndjson"
    documents = file["documents"]
    assert [d["line"] for d in documents] == [1, 3, 4]
    assert [d["item"] for d in documents] == [
        {"id": i, "kind": "Slot", "state": "updated"} for i in "acd"
    ]
    assert [d["conforms"] for d in documents] == [True, False, False]
    # the paths are those of the item's data, validated as a document of its own
    assert documents[1]["issues"] == validate(ITEMS[2]["data"]).to_dict()["issues"]
    assert documents[1]["issues"][0]["json_path"] == "$.duration"
    assert [i["code"] for i in documents[2]["issues"]] == ["invalid-input"]
    assert data["summary"]["documents"] == 3
    assert data["summary"]["deleted_items"] == 1

    code, out, _ = cli(str(path))
    assert f"{path}:3: item c: failure invalid-duration at $.duration:" in out
    assert f"{path}:4: item d: failure invalid-input at $:" in out
    assert "3 documents in RPDEFeed mode: 2 with failures; 1 deleted RPDE items" in out


def test_ndjson_is_recognised_whatever_the_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    named_json = _ndjson(tmp_path, "items.json", ITEMS[:3])
    code, out, _ = cli(str(named_json), "--format", "json")
    (file,) = json.loads(out)["files"]
    assert (code, file["format"], len(file["documents"])) == (1, "ndjson", 2)

    text = "".join(json.dumps(v) + "\n" for v in ITEMS[:3]).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text)))
    code, out, _ = cli("-", "--format", "json")
    (file,) = json.loads(out)["files"]
    assert (code, file["format"], [d["line"] for d in file["documents"]]) == (1, "ndjson", [1, 3])

    # one document on one line (and a page across many) is still JSON
    single = write(tmp_path, "slot.json", SLOT)
    assert json.loads(cli(single, "--format", "json")[1])["files"][0]["format"] == "json"


def test_ndjson_format_writes_one_issue_per_line(tmp_path: Path) -> None:
    path = _ndjson(tmp_path, "items.ndjson", ITEMS)
    missing = str(tmp_path / "missing.json")
    code, out, err = cli(str(path), missing, "--format", "ndjson")
    assert code == 2  # the missing file; the items were still validated
    lines = [json.loads(line) for line in out.splitlines()]
    expected = [
        {"file": str(path), "line": number, "item": {**item, "state": "updated"}, **issue}
        for number, item, data in [(1, {"id": "a"}, SLOT), (3, {"id": "c"}, ITEMS[2]["data"])]
        for issue in validate(data).to_dict()["issues"]
    ]
    for line in expected:
        line["item"] = {"id": line["item"]["id"], "kind": "Slot", "state": "updated"}
    assert lines[:-1] == expected
    assert (lines[-1]["line"], lines[-1]["code"]) == (4, "invalid-input")
    assert "missing.json" not in out  # stdout is only the issues ...
    assert f"{missing}: unreadable: cannot read" in err  # ... the diagnostic is on stderr


def _position(text: str, needle: str, start: int = 0) -> dict[str, int]:
    """The 1-based line and column of the first ``needle`` in ``text`` after ``start``."""
    offset = text.index(needle, start)
    line = text.count("\n", 0, offset) + 1
    return {"startLine": line, "startColumn": offset - (text.rfind("\n", 0, offset) + 1) + 1}


def _sarif_results(*argv: str) -> list[dict[str, Any]]:
    _, out, _ = cli(*argv, "--format", "sarif")
    (run_,) = json.loads(out)["runs"]
    assert run_["columnKind"] == "unicodeCodePoints"
    results: list[dict[str, Any]] = run_["results"]
    return results


def _region(result: dict[str, Any]) -> dict[str, int]:
    region: dict[str, int] = result["locations"][0]["physicalLocation"]["region"]
    return region


def test_sarif_regions_point_at_the_offending_key_of_a_document(tmp_path: Path) -> None:
    mode, doc = EXAMPLES["country-uk"]
    path = tmp_path / "event.json"
    text = "\ufeff" + json.dumps(doc, indent=2, ensure_ascii=False)  # a BOM is not a column
    path.write_text(text, encoding="utf-8")
    results = _sarif_results(str(path), "--mode", mode)
    (uk,) = (r for r in results if r["ruleId"] == "country-uk")
    address = text.index('"address"')
    assert _region(uk) == _position(text[1:], '"addressCountry"', address - 1)
    assert all("startColumn" in _region(r) for r in results)


def test_sarif_regions_of_ndjson_items(tmp_path: Path) -> None:
    path = _ndjson(tmp_path, "items.ndjson", ITEMS)
    results = _sarif_results(str(path))
    third = json.dumps(ITEMS[2])
    (duration,) = (r for r in results if r["ruleId"] == "invalid-duration")
    column = third.index('"duration"') + 1
    assert _region(duration) == {"startLine": 3, "startColumn": column}
    assert duration["properties"]["item"]["id"] == "c"
    (no_data,) = (r for r in results if r["ruleId"] == "invalid-input")
    assert _region(no_data) == {
        "startLine": 4,
        "startColumn": json.dumps(ITEMS[3]).index('"data"') + 1,
    }


def test_sarif_regions_in_a_streamed_rpde_page(tmp_path: Path) -> None:
    page = {
        "next": "https://example.com/feed?afterId=c",
        "items": [ITEMS[0], ITEMS[2], _item("e", {**SLOT, "endDate": "soon"})],
    }  # no licence: a page-level issue, at the page itself
    path = tmp_path / "page.json"
    text = json.dumps(page, indent=2)
    path.write_text(text, encoding="utf-8")
    results = _sarif_results(str(path))
    by_rule = {r["ruleId"]: r for r in results}
    second = text.index('"id": "c"')
    assert _region(by_rule["invalid-duration"]) == _position(text, '"duration"', second)
    assert by_rule["invalid-duration"]["properties"]["jsonPath"] == "$.items[1].data.duration"
    third = text.index('"id": "e"')
    end_date = [r for r in results if r["properties"]["jsonPath"] == "$.items[2].data.endDate"]
    assert end_date
    assert all(_region(r) == _position(text, '"endDate"', third) for r in end_date)
    page_level = [r for r in results if not r["properties"]["jsonPath"].startswith("$.items")]
    assert page_level
    assert all(_region(r) == {"startLine": 1, "startColumn": 1} for r in page_level)


def test_quiet_leaves_only_the_report(tmp_path: Path) -> None:
    doc = {**SLOT, "duration": "90 minutes"}
    bad = write(tmp_path, "bad.json", doc)
    code, out, err = cli(bad, "--quiet", "--progress")
    assert code == 1
    assert err == ""  # no progress
    expected = [
        f"{bad}: {i.severity.value} {i.code} at {i.json_path}: {i.message}" for i in validate(doc)
    ]
    assert out.splitlines() == expected  # no summary line
    code, out, _ = cli(bad, "-q", "--format", "json")
    failures = sum(i.is_failure for i in validate(doc))
    assert json.loads(out)["summary"]["failures"] == failures  # the JSON report is kept whole


def test_output_file_holds_the_report(tmp_path: Path) -> None:
    report = tmp_path / "report.sarif"
    code, out, _ = cli(write(tmp_path, "slot.json", SLOT), "--format", "sarif", "-o", str(report))
    assert (code, out) == (0, "")
    assert json.loads(report.read_text(encoding="utf-8"))["version"] == "2.1.0"


TRICKY = {
    'a"{[': ["}", {"x": "\\"}, [], {}, -1.5e3, None, True],
    "emoji 😀": {"after": "é😀", "n": [0, [1, [2]]]},
    "dup": 1,
    "last": {"dup": "inner"},
}


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*path, index))


def _at(value: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        value = value[step]
    return value


@pytest.mark.parametrize("indent", [None, 2, "\t"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_positions_find_every_key_and_element(indent: int | str | None, newline: str) -> None:
    text = json.dumps(TRICKY, indent=indent, ensure_ascii=False).replace("\n", newline)
    lines = text.split("\n")
    positions = TextPositions(text, line=5, column=3)  # as if the text began at 5:3
    for path in _paths(TRICKY):
        line, column = positions.locate(path)  # type: ignore[misc]
        at = lines[line - 5][column - (3 if line == 5 else 1) :]
        if path and isinstance(path[-1], str):
            assert at.startswith(json.dumps(path[-1], ensure_ascii=False)), path
        else:  # an element (or the root) is located at its value
            first = json.dumps(_at(TRICKY, path), ensure_ascii=False)[:1]
            assert at.startswith(first), path
    assert positions.locate(("emoji 😀", "missing", 3)) == positions.locate(("emoji 😀",))
    assert TextPositions("{oops").locate(("a",)) == (1, 1)  # not JSON: the start, as found
    repeated = TextPositions('{"a": 1,\n "a": {"b": 2}}')  # the last one, as JSON.parse keeps
    assert (repeated.locate(("a",)), repeated.locate(("a", "b"))) == ((2, 2), (2, 8))


def test_page_positions_follow_the_issues_order_and_go_back_when_asked(tmp_path: Path) -> None:
    page = {"items": [{"state": "updated", "data": {"k": i}} for i in range(5)], "next": "n"}
    text = json.dumps(page, indent=1)
    path = tmp_path / "page.json"
    path.write_text(text, encoding="utf-8")
    positions = PagePositions(lambda: path.open("rb"))
    try:

        def expected(i: int) -> tuple[int, int]:
            region = _position(text, '"k"', text.index(f'"k": {i}') - 1)
            return region["startLine"], region["startColumn"]

        for index in (0, 3, 1, 4):  # forwards, then back (the file is read again)
            assert positions.locate(("items", index, "data", "k")) == expected(index)
        region = _position(text, '"next"')
        assert positions.locate(("next",)) == (region["startLine"], region["startColumn"])
        assert positions.locate(()) == (1, 1)
    finally:
        positions.close()
