"""Tables as files for a spreadsheet: every CSV and XLSX download is written here, and the CSV
files people upload are read here.

The CSV files are made for Excel with Swedish regional settings, which is what youth leaders and
the core team open them in: Excel splits a row into columns at the Windows list separator, which
is ";" wherever the decimal mark is a comma, so a comma-separated file shows each row in one
column. So: ";" between cells, a decimal comma in numbers (0,75; Swedish Excel reads "0.75" as
text or even as a date), and UTF-8 with a byte-order mark (without it Excel reads å, ä, ö and
Arabic as Windows-1252). This does not depend on the page's language: what decides how a file
opens is Excel's regional settings, not the language Medskapa was shown in. Anyone who needs
exact numbers for a program takes the XLSX (real numbers) or the JSON.

CSV has no cell types, so text that a spreadsheet would run as a formula gets a ' in front
(OWASP's advice); XLSX has them, so there text is written as text and shown exactly."""
import csv
import io

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SEPARATOR = ";"
DECIMAL_MARK = ","
# What an uploaded CSV may be separated by: the list separators Excel writes (Swedish and
# English settings). Tabs are refused with a message (see app/portfolio/exchange.py).
READ_SEPARATORS = (";", ",")


def safe_cell(value):
    """A text starting like a formula is prefixed with ' so spreadsheets show it as text.
    One that already starts with ' (or several) and a formula character gets another, so
    that reading the file back (the portfolio import drops one ') gives the text as it was."""
    if isinstance(value, str) and value.lstrip("'").startswith(FORMULA_START):
        return "'" + value
    return value


def decimal(value: float) -> str:
    """A decimal number as Swedish Excel reads it: decimal comma, never an exponent, no
    thousands separator, no trailing zeros (0.5 → "0,5", 10.0 → "10")."""
    text = f"{value:.10f}".rstrip("0").rstrip(".")
    if text in ("", "-0"):
        text = "0"
    return text.replace(".", DECIMAL_MARK)


def csv_cell(value):
    if isinstance(value, float):
        return decimal(value)
    return safe_cell(value)


def to_csv_text(rows: list[list]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=SEPARATOR)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return buffer.getvalue()


def to_csv(rows: list[list]) -> bytes:
    """The file to download: UTF-8 with a byte-order mark."""
    return ("\ufeff" + to_csv_text(rows)).encode("utf-8")


def to_xlsx(named_rows: dict[str, list[list]]) -> bytes:
    """One sheet per name. Text cells are strings, whatever they start with: openpyxl would
    make a text starting with "=" a formula and "#N/A" an error, so the type is set after the
    value (`Cell.data_type`, "s": written as an inline string). No ' is needed or shown."""
    # Imported here: openpyxl (and the numpy it loads) would cost every web worker ~20 MB.
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in named_rows.items():
        sheet = workbook.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = sheet.cell(row=r, column=c, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_csv(text: str) -> csv.DictReader:
    """Rows of an uploaded CSV (already decoded, byte-order mark removed), separated by ";"
    (our own export, Excel with Swedish settings) or "," (Excel with English settings, other
    programs): the header line says which."""
    header = text.split("\n", 1)[0]
    separator = max(READ_SEPARATORS, key=header.count)
    return csv.DictReader(io.StringIO(text, newline=""), delimiter=separator)


def parse_decimal(text: str) -> float:
    """A decimal number with a comma (as we and Swedish Excel write it) or a point."""
    if "," in text and "." not in text:
        text = text.replace(",", ".", 1)
    return float(text)
