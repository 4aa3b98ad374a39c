"""The ``civicspace`` command."""

import argparse
import json
import os
import sys
from pathlib import Path

from orchestration.settings import SAMPLE_INBOX, Settings

EPILOG = """commands:
  run      materialise every asset in process (all quarters that hold documents), publish the
           warehouse and build the site
  dev      start the Dagster UI on localhost with a persistent instance under build/dagster
  parse    print the metadata of documents (country, period, sections, flags) as JSON lines
  extract  print the event mentions of documents as JSON lines
  sql      run a query on the published (read-only) warehouse
  export   write every mart table of the published warehouse to Parquet and CSV
  crawl    fetch update pages from a listing page into the landing folder
"""


def _settings(args: argparse.Namespace) -> Settings:
    base = Settings()
    return Settings(
        inbox=Path(getattr(args, "inbox", None) or base.inbox),
        warehouse=Path(getattr(args, "warehouse", None) or base.warehouse),
        site=Path(getattr(args, "site", None) or base.site),
        max_bytes=base.max_bytes,
        crawl_state=base.crawl_state,
        sources=base.sources,
        webhook_url=base.webhook_url,
    )


def cmd_run(args: argparse.Namespace) -> int:

    from orchestration.runner import dagster_home, open_instance, run_pipeline

    settings = _settings(args)
    if not settings.inbox.is_dir():
        print(f"civicspace: landing folder {settings.inbox} does not exist", file=sys.stderr)
        return 2
    with open_instance(dagster_home()) as instance:
        summary = run_pipeline(settings, instance=instance, log_level=args.log_level)
    quarters = f"{summary.quarters[0]} .. {summary.quarters[-1]}" if summary.quarters else "none"
    print(f"quarters:  {len(summary.quarters)} ({quarters})")
    print(f"warehouse: {summary.warehouse.resolve()} (published, read-only copy)")
    print(f"site:      {(summary.site / 'index.html').resolve()}")
    print(f"runs:      {', '.join(summary.run_ids)}")
    if not summary.success:
        print("civicspace: the run failed or a blocking check stopped publication; "
              "see `civicspace dev` or the log above", file=sys.stderr)
        return 1
    return 0


def cmd_dev(args: argparse.Namespace) -> int:
    from orchestration.runner import dagster_home

    settings = _settings(args)
    env = dict(os.environ)
    env["DAGSTER_HOME"] = str(dagster_home())
    env["CIVICSPACE_INBOX"] = str(settings.inbox.resolve())
    env["CIVICSPACE_WAREHOUSE"] = str(settings.warehouse.resolve())
    env["CIVICSPACE_SITE"] = str(settings.site.resolve())
    env["DAGSTER_DISABLE_TELEMETRY"] = "1"
    bin_dir = Path(sys.executable).parent
    cmd = [str(bin_dir / "dagster"), "dev", "-m", "orchestration.definitions",
           "-h", args.host, "-p", str(args.port)]
    print(f"Dagster UI on http://{args.host}:{args.port} (DAGSTER_HOME={env['DAGSTER_HOME']})")
    os.execve(cmd[0], cmd, env)
    return 0


def _read(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def cmd_parse(args: argparse.Namespace) -> int:
    from transforms.parse import describe_file

    for path in args.files:
        try:
            data = _read(path)
        except OSError as e:
            print(json.dumps({"doc": Path(path).name, "error": "unreadable", "detail": str(e)}))
            continue
        for obj in describe_file(Path(path).name, data):
            print(json.dumps(obj, ensure_ascii=False, default=str))
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    from transforms.extract import extract_file

    for path in args.files:
        try:
            text = _read(path).decode("utf-8")
        except (OSError, UnicodeDecodeError) as e:
            print(f"civicspace extract: {path}: {e}", file=sys.stderr)
            continue
        for obj in extract_file(Path(path).name, text):
            print(json.dumps(obj, ensure_ascii=False, default=str))
    return 0


def cmd_sql(args: argparse.Namespace) -> int:
    import duckdb

    path = _settings(args).warehouse
    if not path.exists():
        print(f"civicspace sql: no published warehouse at {path}; run `civicspace run` first",
              file=sys.stderr)
        return 2
    con = duckdb.connect(str(path), read_only=True)
    try:
        rel = con.sql(args.query)
        if rel is None:
            return 0
        if args.format == "csv":
            rel.pl().write_csv(sys.stdout)
        elif args.format == "json":
            for row in rel.pl().iter_rows(named=True):
                print(json.dumps(row, ensure_ascii=False, default=str))
        else:
            rel.show(max_width=200, max_rows=args.max_rows)
    except duckdb.Error as e:
        print(f"civicspace sql: {e}", file=sys.stderr)
        return 1
    finally:
        con.close()
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from orchestration.export import export_marts

    settings = _settings(args)
    out = Path(args.out) if args.out else settings.warehouse.parent / "exports"
    for path in export_marts(settings.warehouse, out):
        print(path)
    return 0


def cmd_crawl(args: argparse.Namespace) -> int:
    from orchestration.crawler import crawl

    settings = _settings(args)
    report = crawl(args.listing_url, inbox=settings.inbox, state_dir=settings.crawl_state,
                   link_pattern=args.link_pattern, max_pages=args.max_pages)
    print(report.summary())
    if report.error:
        print(f"civicspace crawl: {report.error}", file=sys.stderr)
        return 1
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="civicspace",
        description="civicspace: country updates on civic freedoms -> a transparent freedom index.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def paths(sp: argparse.ArgumentParser, inbox: bool = True, site: bool = True) -> None:
        if inbox:
            sp.add_argument("--inbox", help=f"landing folder (default: the sample, {SAMPLE_INBOX})")
        sp.add_argument("--warehouse", help="published warehouse file (default: build/warehouse.duckdb); "
                        "the pipeline writes <name>.work.duckdb beside it")
        if site:
            sp.add_argument("--site", help="site folder (default: build/site)")

    r = sub.add_parser("run", help="run the whole pipeline once, in process")
    paths(r)
    r.add_argument("--log-level", default="WARNING", choices=("DEBUG", "INFO", "WARNING", "ERROR"),
                   help="Dagster log level on the console (default: WARNING)")
    r.set_defaults(func=cmd_run)
    d = sub.add_parser("dev", help="start the Dagster UI (localhost, persistent instance, no telemetry)")
    paths(d)
    d.add_argument("--host", default="127.0.0.1")
    d.add_argument("--port", type=int, default=3000)
    d.set_defaults(func=cmd_dev)
    pa = sub.add_parser("parse", help="print document metadata as JSON lines")
    pa.add_argument("files", nargs="+", metavar="FILE")
    pa.set_defaults(func=cmd_parse)
    ex = sub.add_parser("extract", help="print event mentions as JSON lines")
    ex.add_argument("files", nargs="+", metavar="FILE")
    ex.set_defaults(func=cmd_extract)
    q = sub.add_parser("sql", help="query the published warehouse read-only")
    paths(q, inbox=False, site=False)
    q.add_argument("query", metavar="QUERY")
    q.add_argument("--format", choices=("table", "csv", "json"), default="table")
    q.add_argument("--max-rows", type=int, default=100)
    q.set_defaults(func=cmd_sql)
    e = sub.add_parser("export", help="export every mart table to Parquet and CSV")
    paths(e, inbox=False, site=False)
    e.add_argument("--out", help="output folder (default: build/exports)")
    e.set_defaults(func=cmd_export)
    c = sub.add_parser("crawl", help="fetch update pages from a listing page into the landing folder")
    c.add_argument("listing_url", metavar="LISTING_URL")
    c.add_argument("--link-pattern", help="regular expression the article links must match")
    c.add_argument("--max-pages", type=int, default=50, help="listing pages to follow at most")
    c.add_argument("--inbox", help="landing folder to write into")
    c.add_argument("--warehouse", help=argparse.SUPPRESS)
    c.set_defaults(func=cmd_crawl)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
