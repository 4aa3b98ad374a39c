"""The table catalogue: the DDL's own comments become COMMENT ON, and the README's table list.

Each DDL file opens with ``-- schema.table: description`` and documents columns with a trailing
``-- comment``. Those comments are applied to the warehouse (``COMMENT ON``), so analysts see them
in ``duckdb_tables()`` / ``duckdb_columns()``, and the README catalogue is generated from them.
"""

import re
from pathlib import Path

import duckdb

COLUMN = re.compile(r'^\s*"?(?P<name>[a-z_][a-z0-9_]*)"?\s+[A-Z]+.*?--\s*(?P<comment>.+?)\s*$')
HEADER = re.compile(r"^--\s*(?P<table>[a-z_]+\.[a-z_]+):\s*(?P<comment>.+)$")
START, END = "<!-- catalogue:start -->", "<!-- catalogue:end -->"


def parse_ddl(text: str) -> tuple[str, dict[str, str]]:
    """(table comment, {column: comment}) from one DDL file."""
    table_comment, columns, lines = "", {}, text.splitlines()
    for i, line in enumerate(lines):
        m = HEADER.match(line)
        if m and not table_comment:
            table_comment = m.group("comment")
            # continuation lines of the header comment
            for more in lines[i + 1:]:
                if more.startswith("--"):
                    table_comment += " " + more[2:].strip()
                else:
                    break
            continue
        c = COLUMN.match(line)
        if c and not line.lstrip().startswith(("--", "PRIMARY")):
            columns[c.group("name")] = c.group("comment")
    return table_comment, columns


def _literal(text: str) -> str:
    """A SQL string literal of our own documentation text (DDL cannot take bound parameters)."""
    return "'" + text.replace("'", "''") + "'"


def apply_comments(con: duckdb.DuckDBPyConnection, table: str, ddl: str) -> None:
    table_comment, columns = parse_ddl(ddl)
    if table_comment:
        con.execute(f"COMMENT ON TABLE {table} IS {_literal(table_comment)}")
    for column, comment in columns.items():
        con.execute(f'COMMENT ON COLUMN {table}."{column}" IS {_literal(comment)}')


def catalogue_markdown(con: duckdb.DuckDBPyConnection, schemas: tuple[str, ...] = ("marts",)) -> str:
    """The catalogue of the given schemas as Markdown, read back from the warehouse's comments."""
    out = []
    tables = con.execute(
        "SELECT schema_name, table_name, coalesce(comment, '') FROM duckdb_tables() "
        "WHERE schema_name IN (SELECT unnest(?)) ORDER BY schema_name, table_name",
        [list(schemas)],
    ).fetchall()
    for schema, table, comment in tables:
        out.append(f"#### `{schema}.{table}`\n\n{comment}\n")
        out.append("| column | type | description |\n|---|---|---|")
        cols = con.execute(
            "SELECT column_name, data_type, coalesce(comment, '') FROM duckdb_columns() "
            "WHERE schema_name = ? AND table_name = ? ORDER BY column_index",
            [schema, table],
        ).fetchall()
        for name, dtype, ccomment in cols:
            out.append(f"| `{name}` | {dtype} | {ccomment.replace('|', '/')} |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def update_readme(readme: Path, markdown: str) -> bool:
    text = readme.read_text(encoding="utf-8")
    if START not in text or END not in text:
        raise ValueError(f"{readme} has no {START} ... {END} block")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    new = f"{head}{START}\n{markdown}{END}{tail}"
    if new != text:
        readme.write_text(new, encoding="utf-8")
        return True
    return False


def main() -> None:
    """Regenerate the README catalogue from a fresh in-memory warehouse's comments."""
    from orchestration.settings import REPO
    from orchestration.warehouse import ensure_schema

    con = duckdb.connect(":memory:")
    ensure_schema(con)
    changed = update_readme(REPO / "README.md", catalogue_markdown(con))
    print("README catalogue updated" if changed else "README catalogue already up to date")


if __name__ == "__main__":
    main()
