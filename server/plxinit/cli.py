"""`plx-validate`: check polyaxonfiles' init sections from the command line (and CI).

Parse arguments -> collect sources -> validate -> report; exit 0 (clean), 1 (errors, or
warnings with --strict), 2 (usage or I/O problem).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from . import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="plx-validate",
        description="Validate the init sections of Polyaxon polyaxonfiles (Polyaxon 2.18 rules).",
        epilog="Exit status: 0 no errors, 1 errors found (or warnings with --strict), 2 usage or I/O problem.",
    )
    parser.add_argument(
        "paths", nargs="*", metavar="PATH", help="files, directories (searched recursively) or - for stdin"
    )
    parser.add_argument(
        "-f",
        "--format",
        choices=("text", "json", "github", "sarif"),
        default="text",
        help="output format (default: text)",
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    parser.add_argument("-v", "--verbose", action="store_true", help="also list files skipped in directory scans")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto", help="color in text output")
    parser.add_argument("--stdin-filename", metavar="NAME", help="name shown for standard input")
    parser.add_argument(
        "--export-schema",
        metavar="DRAFT",
        nargs="?",
        const="2020-12",
        choices=("2020-12", "draft-07"),
        help="print the JSON Schema (2020-12 or draft-07) and exit",
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="with --export-schema: write to FILE")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def _export(draft: str, output: str | None) -> int:
    from .export import export_schema

    text = export_schema(draft)
    if output:
        try:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
        except OSError as error:
            print(f"plx-validate: cannot write {output}: {error.strerror or error}", file=sys.stderr)
            return EXIT_USAGE
    else:
        sys.stdout.write(text)
    return EXIT_OK


def run(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.export_schema:
        return _export(args.export_schema, args.output)
    if not args.paths:
        build_parser().print_usage(sys.stderr)
        print("plx-validate: error: give at least one PATH (or - for stdin)", file=sys.stderr)
        return EXIT_USAGE

    from .reporters import RENDERERS, FileResult, render_text
    from .sources import expand, looks_like_polyaxonfile
    from .validate import validate_text

    results: list[FileResult] = []
    for source, explicit in expand(args.paths):
        if source.path == "<stdin>" and args.stdin_filename:
            source.path = args.stdin_filename
        if not explicit and source.problem is None and not looks_like_polyaxonfile(source):
            if args.verbose:
                print(f"{source.path}: skipped (not a polyaxonfile)", file=sys.stderr)
            continue
        if not explicit and source.problem and args.verbose:
            print(f"{source.path}: skipped ({source.problem})", file=sys.stderr)
            continue
        if source.problem is not None or source.text is None:
            results.append(FileResult(source.path, problem=source.problem))
            continue
        results.append(FileResult(source.path, validate_text(source.text), source.text))

    if args.format == "text":
        color = args.color == "always" or (
            args.color == "auto" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
        )
        sys.stdout.write(render_text(results, color=color))
    else:
        sys.stdout.write(RENDERERS[args.format](results))

    if any(r.problem for r in results):
        return EXIT_USAGE
    severities = {d.severity.value for r in results for d in r.diagnostics}
    if "error" in severities or (args.strict and "warning" in severities):
        return EXIT_FINDINGS
    return EXIT_OK


def main() -> None:
    try:
        code = run()
    except KeyboardInterrupt:
        code = 130
    except BrokenPipeError:
        code = EXIT_OK
    sys.exit(code)


if __name__ == "__main__":
    main()
