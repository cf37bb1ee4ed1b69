"""CSV as spreadsheets save it: headers in any case, other names mapped, ; and tab, extra columns, day-first dates, stdin."""

from __future__ import annotations

import pytest

from ledger.transfer.spreadsheet import column_fields, detect_separator, header_key, numeric_date_hint, read_header, to_iso
from ledger.errors import InputError

SHEET = "Event;Metric;Figure;Source;Date;Notes\nGhweran prison attack;killed;78;SOHR;22/01/2022;from the article\n"


@pytest.fixture
def book(cli):
    cli.run("source", "add", "Syrian Observatory for Human Rights", "--alias", "SOHR", "--kind", "ngo")
    return cli


def write(tmp_path, text: str, name: str = "sheet.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_semicolon_sheet_with_other_headers_imports_once_mapped(book, tmp_path):
    path = write(tmp_path, SHEET)
    refused = book.run("import", path, code=2)
    assert f"{path}:1: value: column is missing; the header's other columns: 'Figure', 'Source', 'Date', 'Notes'" in refused.stderr
    result = book.run("import", path, "--map", "Figure=value", "--map", "Source=said_by", "--map", "Date=published",
                      "--date-format", "day-first")
    assert result.stdout.splitlines()[0] == "imported 1 claim (id 1)"
    assert result.stderr.strip() == "warning: ignoring 1 column that is no claim field: 'Notes'"
    claim = book.json("claim", "show", "1")
    assert (claim["value"]["text"], claim["said_by"], claim["published"]) == ("78", "Syrian Observatory for Human Rights", "2022-01-22")


def test_headers_in_any_case_and_spacing_and_tab_separated_cells(book, tmp_path):
    path = write(tmp_path, "EVENT\tMetric\tValue\tSaid by\tAs-Of\nGhweran prison attack\tkilled\tmore than 70\tSOHR\t2022-01-22\n")
    assert book.run("import", path).stdout.splitlines()[0] == "imported 1 claim (id 1)"
    assert book.json("claim", "show", "1")["as_of"] == "2022-01-22"


@pytest.mark.parametrize("date, reading, expected", [
    ("06/05/2009", "day-first", "2009-05-06"), ("06/05/2009", "month-first", "2009-06-05"), ("6.5.09", "day-first", "2009-05-06"),
])
def test_a_numeric_date_is_read_only_as_the_researcher_says(book, tmp_path, date, reading, expected):
    path = write(tmp_path, f"event,metric,value,said_by,published\nA,killed,5,SOHR,{date}\n")
    error = book.run("import", path, code=2).stderr
    assert f"published: '{date}' is not a valid date; day and month could be either way round: pass --date-format" in error
    book.run("import", path, "--date-format", reading)
    assert book.json("claim", "show", "1")["published"] == expected


def test_an_unambiguous_numeric_date_still_needs_the_format_and_says_which(book, tmp_path):
    path = write(tmp_path, "event,metric,value,said_by,period\nA,killed,5,SOHR,20/01/2022..22/01/2022\n")
    error = book.run("import", path, code=2).stderr
    assert "period: '20/01/2022' is not a valid date; it reads only as day-first: pass --date-format day-first" in error
    book.run("import", path, "--date-format", "day-first")
    assert book.json("claim", "show", "1")["period"] == {"start": "2022-01-20", "end": "2022-01-22"}


def test_standard_input_in_either_format(book):
    jsonl = '{"event": "A", "metric": "killed", "value": "5", "said_by": "SOHR"}\n'
    assert book.runner.invoke(__import__("ledger.cli", fromlist=["app"]).app, ["import", "-"], input=jsonl).stdout.splitlines()[0] == (
        "imported 1 claim (id 1)")
    csv_text = "event,metric,value,said_by\nB,killed,6,SOHR\n"
    result = book.runner.invoke(__import__("ledger.cli", fromlist=["app"]).app, ["import", "-", "--dry-run"], input=csv_text)
    assert result.exit_code == 0 and result.stdout.strip() == "would import 1 claim"


@pytest.mark.parametrize("args, message", [
    (("--map", "Figure"), "error: --map: 'Figure' is not COLUMN=FIELD"),
    (("--map", "Figure=valeu"), "error: --map: 'Figure=valeu' maps to 'valeu', which is not a claim field; did you mean 'value'?"),
    (("--date-format", "dmy"), "error: --date-format: 'dmy' is not a date format; one of: iso, day-first, month-first"),
])
def test_bad_spreadsheet_options_are_one_line(book, tmp_path, args, message):
    path = write(tmp_path, SHEET)
    result = book.run("import", path, *args, code=2)
    assert result.stderr.startswith(message) and len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_spreadsheet_options_refused_for_jsonl(book, tmp_path):
    path = write(tmp_path, '{"event": "A", "metric": "killed", "value": "5", "said_by": "SOHR"}\n', "x.jsonl")
    assert book.run("import", path, "--date-format", "day-first", code=2).stderr.startswith(
        "error: --date-format: 'day-first' applies to CSV only")


# -- the pure parts ----------------------------------------------------------------------


def test_header_keys_and_maps():
    assert header_key("  Said by ") == header_key("SAID-BY") == "said_by"
    assert column_fields({"Figure": "value", "Who said it ": " said_by"}) == {"figure": "value", "who_said_it": "said_by"}
    with pytest.raises(InputError):
        column_fields({"": "value"})


def test_read_header_ignores_extra_columns_and_names_repeats():
    columns = read_header(["event", "metric", "value", "said_by", "qoute", "Value"], {})
    assert columns.fields == ["event", "metric", "value", "said_by", None, None]
    assert columns.ignored == ["qoute"]
    assert columns.warnings == ["ignoring 1 column that is no claim field: 'qoute'; 'qoute' may be quote (--map qoute=quote)"]
    assert columns.repeated == [("Value", "value", "value")]


def test_a_csv_with_two_columns_for_one_field_is_refused(seeded, tmp_path):
    rows = tmp_path / "rows.csv"
    rows.write_text("event,metric,Value,said_by,value\nA,killed,5,SOHR,50\n")
    refused = seeded.run("import", str(rows), code=2)
    assert refused.stderr.endswith("rows.csv:1: value: has two columns, 'Value' and 'value': which one is meant cannot be "
                                   "told; rename or drop one\n")
    assert seeded.json("claim", "list") == []


def test_separator_detection_ignores_quoted_separators():
    assert detect_separator('"a,b";c;d\n') == ";"
    assert detect_separator("a\tb\tc\n") == "\t"
    assert detect_separator("single\n") == ","


def test_numeric_dates():
    assert to_iso("06/05/2009", "day-first") == "2009-05-06"
    assert to_iso("06/05/2009", None) is None
    assert to_iso("2009-05-06", "day-first") is None
    assert to_iso("22/01/2022 14:05+03:00", "day-first") == "2022-01-22T14:05+03:00"
    assert numeric_date_hint("13/01/2022").startswith("it reads only as day-first")
    assert numeric_date_hint("01/13/2022").startswith("it reads only as month-first")
    assert numeric_date_hint("2022-01-13") is None
