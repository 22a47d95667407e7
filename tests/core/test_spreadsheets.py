"""The CSV and XLSX writer every download uses, and the CSV reader of the import."""
import csv
import io

import pytest
from openpyxl import load_workbook

from app.core import spreadsheets


@pytest.mark.parametrize(("value", "written"), [
    (0.5, "0,5"), (0.3333, "0,3333"), (10.0, "10"), (0.0, "0"), (-0.0, "0"), (-1.25, "-1,25"),
    (1e-07, "0,0000001"), (1234567.5, "1234567,5")])
def test_decimals_have_a_comma_and_never_an_exponent(value, written):
    assert spreadsheets.decimal(value) == written


def test_csv_is_semicolon_separated_utf8_with_a_byte_order_mark():
    body = spreadsheets.to_csv([["text", "share", "count"],
                                ["Läxhjälp; efter skolan", 0.25, 3],
                                ["=SUMMA(A1)", -0.5, -2], ["-jag tycker", "", None]])
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8")[1:]), delimiter=";"))
    assert rows == [["text", "share", "count"], ["Läxhjälp; efter skolan", "0,25", "3"],
                    ["'=SUMMA(A1)", "-0,5", "-2"], ["'-jag tycker", "", ""]]


def test_xlsx_text_is_text_whatever_it_starts_with():
    texts = ["=)", "-jag tycker", "=1+1", "#N/A", "'=x", "@alla"]
    book = load_workbook(io.BytesIO(spreadsheets.to_xlsx({"s": [texts, [1, 0.5, None]]})))
    sheet = book["s"]
    assert [c.value for c in sheet[1]] == texts
    assert {c.data_type for c in sheet[1]} == {"s"}
    assert [c.value for c in sheet[2]][:2] == [1, 0.5]


@pytest.mark.parametrize("separator", [";", ","])
def test_the_reader_takes_semicolons_or_commas(separator):
    text = separator.join(["uuid", "title_sv", "agreement"]) + "\r\n" + separator.join(
        ["1", '"Hej; du, där"', "0,75" if separator == ";" else "0.75"]) + "\r\n"
    [row] = list(spreadsheets.read_csv(text))
    assert row == {"uuid": "1", "title_sv": "Hej; du, där",
                   "agreement": "0,75" if separator == ";" else "0.75"}
    assert spreadsheets.parse_decimal(row["agreement"]) == 0.75
