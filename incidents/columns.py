"""An incident's columns as SQL: one definition for the API list and the exports.

PostgreSQL writes the text of the two biggest reads: the API list (``api/rows.py``: a JSON
object per case, texts in the reader's language) and the exports (``exports``: a CSV line
or a JSON object per case, texts as written). Both take a case's columns from here: which
text is read (the reader's translation or the original), how a status is named, which
organizations and perpetrator groups a case lists and in what order, and how each value
is written as JSON or as a CSV cell. Python adds what only it knows (links, country
names); the same rules in Python (``csv_text``, ``json_text``) write the rows where the
database is not PostgreSQL.

Statements read the case as ``i`` and its status as ``status``; translated columns also
read ``reader`` (the case's translation into the reader's language) and ``status_name``
(the status's), joined by ``READER_JOINS``. Every ``%s`` in this module's SQL stands for
the reader's language.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

# A spreadsheet reads a cell starting with one of these as a formula: such a cell gets a
# leading quote. In SQL, the same characters as literals (E'\t': a tab).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_LITERALS = r"'=', '+', '-', '@', E'\t', E'\r'"

TEXT, DATE, TIMESTAMP, JSON = "text", "date", "timestamp", "json"

CASE_FROM = "incidents_incident i JOIN incidents_status status ON status.id = i.status_id"
READER_JOINS = """
LEFT JOIN incidents_incidenttranslation reader
    ON reader.incident_id = i.id AND reader.language = %s
    AND reader.language <> i.original_language
LEFT JOIN incidents_statustranslation status_name
    ON status_name.status_id = status.id AND status_name.language = %s
"""


@dataclass(frozen=True)
class Column:
    """One value of a case: its SQL expression and its kind (how it is written)."""

    name: str
    sql: str
    kind: str = TEXT


def _text(field: str, translated: bool) -> str:
    if not translated:
        return f"i.{field}"
    return f"COALESCE(NULLIF(reader.{field}, ''), i.{field})"


def case_columns(*, translated: bool) -> dict[str, Column]:
    """The case's own columns by name; ``translated``: texts in the reader's language where
    translated (needs ``READER_JOINS``), else as written."""
    status_name = (
        "COALESCE(NULLIF(status_name.name, ''), status.name)" if translated else "status.name"
    )
    columns = [
        Column("original_language", "i.original_language"),
        Column("title", _text("title", translated)),
        Column("summary", _text("summary", translated)),
        Column("occurred_on", "i.occurred_on", DATE),
        Column("date_precision", "i.date_precision"),
        Column("ended_on", "i.ended_on", DATE),
        Column("country", "i.country"),
        Column("region", _text("region", translated)),
        Column("place", _text("place", translated)),
        Column("location_precision", "i.location_precision"),
        Column("status", "status.slug"),
        Column("status_name", status_name),
        Column("publication_state", "i.publication_state"),
        Column("published_at", "i.published_at", TIMESTAMP),
    ]
    return {column.name: column for column in columns}


# Lists of names sort them in code point order (COLLATE "C"), as Python's sorted() does,
# whatever the database's collation; equal names by id. Untranslated (the exports), the
# links of every exported case are joined to the names at once. Translated (the API list,
# the links of one case at a time), each link looks its name up by id: joined, the planner
# would hash the whole vocabulary again for each case.


def organization_links(*, translated: bool) -> str:
    """Rows (incident_id, id, name, acronym): each organization each case targeted."""
    if not translated:
        return """
SELECT link.incident_id, org.id, org.name, org.acronym
FROM incidents_incident_organizations link
JOIN organizations_organization org ON org.id = link.organization_id"""
    return """
SELECT link.incident_id, org.id, org.name, org.acronym
FROM incidents_incident_organizations link
CROSS JOIN LATERAL (
    SELECT o.id, COALESCE(NULLIF(t.name, ''), o.name) AS name, o.acronym
    FROM organizations_organization o
    LEFT JOIN organizations_organizationtranslation t
        ON t.organization_id = o.id AND t.language = %s
    WHERE o.id = link.organization_id
    OFFSET 0
) org"""


def perpetrator_links(*, translated: bool) -> str:
    """Rows (incident_id, link_id, id, name, kind, involvement): each perpetrator group
    involved in each case."""
    if not translated:
        return """
SELECT link.incident_id, link.id AS link_id, grp.id, grp.name, grp.kind, link.involvement
FROM incidents_incidentperpetrator link
JOIN organizations_perpetratorgroup grp ON grp.id = link.perpetrator_group_id"""
    return """
SELECT link.incident_id, link.id AS link_id, grp.id, grp.name, grp.kind, link.involvement
FROM incidents_incidentperpetrator link
CROSS JOIN LATERAL (
    SELECT g.id, COALESCE(NULLIF(t.name, ''), g.name) AS name, g.kind
    FROM organizations_perpetratorgroup g
    LEFT JOIN organizations_perpetratorgrouptranslation t
        ON t.group_id = g.id AND t.language = %s
    WHERE g.id = link.perpetrator_group_id
    OFFSET 0
) grp"""


# Writing values. JSON strings are escaped by to_json() exactly as
# json.dumps(..., ensure_ascii=False) escapes them (quote, backslash, control characters as
# \b \f \n \r \t or \u00XX); dates are written YYYY-MM-DD; timestamps as
# datetime.isoformat() writes an aware UTC time (no fraction when it is zero).


class Literal(str):
    """A piece of the row's text written as it is (not SQL)."""


def concat(pieces: list[str]) -> str:
    """SQL for the pieces (SQL expressions and ``Literal`` texts) one after the other."""
    merged: list[str] = []
    for piece in pieces:
        if isinstance(piece, Literal) and merged and isinstance(merged[-1], Literal):
            merged[-1] = Literal(merged[-1] + piece)
        else:
            merged.append(piece)
    return "\n    || ".join(
        "'" + piece.replace("'", "''") + "'" if isinstance(piece, Literal) else piece
        for piece in merged
    )


def _written(column: Column) -> str:
    """SQL for a date or timestamp as text (NULL when there is none)."""
    if column.kind == DATE:
        return f"to_char({column.sql}, 'YYYY-MM-DD')"
    return (
        f"""replace(to_char({column.sql} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), """
        "'.000000', '') || '+00:00'"
    )


def json_value(column: Column, *, null: str = "null") -> str:
    """SQL for the column's value as JSON text; ``null``: the JSON for a missing date."""
    if column.kind == JSON:
        return column.sql
    if column.kind == TEXT:
        return f"to_json({column.sql}::text)::text"
    return f"""COALESCE('"' || {_written(column)} || '"', '{null}')"""


def json_members(columns: list[Column], *, spaced: bool = False, null: str = "null") -> str:
    """SQL for ``"name": value`` pairs (no braces) joined with commas, as json.dumps writes
    them (``spaced``: with its default separators ``, `` and ``: ``)."""
    comma, colon = (", ", ": ") if spaced else (",", ":")
    pieces: list[str] = []
    for index, column in enumerate(columns):
        pieces.append(Literal((comma if index else "") + json.dumps(column.name) + colon))
        pieces.append(json_value(column, null=null))
    return concat(pieces)


def csv_cells(columns: list[Column]) -> str:
    """SQL for the columns' CSV cells, comma-separated. Every cell is quoted (quotes
    doubled); a text that a spreadsheet would take for a formula gets a leading quote (see
    ``csv_text``)."""
    pieces: list[str] = []
    for index, column in enumerate(columns):
        if index:
            pieces.append(Literal(","))
        if column.kind == TEXT:
            value = column.sql
            # substr() of a compressed text decompresses only its start.
            first = f"substr({value}, 1, 1)"
            lead = f"CASE WHEN {first} IN ({FORMULA_LITERALS}) THEN '\"''' ELSE '\"' END"
            pieces += [lead, f"replace({value}, '\"', '\"\"')"]
        else:
            pieces += [Literal('"'), f"COALESCE({_written(column)}, '')"]
        pieces.append(Literal('"'))
    return concat(pieces)


# The same rules in Python.


def csv_text(value: str) -> str:
    """A CSV cell as ``csv_cells`` writes it in SQL."""
    lead = "'" if value.startswith(FORMULA_STARTS) else ""
    return '"' + lead + value.replace('"', '""') + '"'


def json_text(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)
