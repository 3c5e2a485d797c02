"""`plx-validate`: check polyaxonfiles' init sections from the command line (and CI).

Parse arguments -> collect sources -> validate each (an internal failure is that file's
problem, never the run's) -> report -> exit code (see EPILOG). Closed, full or broken standard
streams give a one-line message, never a traceback.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from . import __version__

if TYPE_CHECKING:
    import argparse

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130
DRAFTS = ("2020-12", "draft-07")
DEFAULT_DRAFT = "2020-12"

DESCRIPTION = "Validate the init sections of Polyaxon polyaxonfiles (Polyaxon 2.18 rules)."

EPILOG = """\
which files are validated:
  A FILE named on the command line is always validated. A DIRECTORY is searched
  recursively for .yaml, .yml and .json files (not inside .git, node_modules, .venv,
  venv, .tox, __pycache__, nor symlinked directories), and only the polyaxonfiles
  among them are validated; -v lists the others. A file is a polyaxonfile when
  - its path matches **/polyaxonfile*.{yaml,yml}, **/*.plx.{yaml,yml},
    **/polyaxon/**/*.{yaml,yml} or **/.polyaxon/**/*.{yaml,yml}; or
  - a YAML document in it has a top-level `kind: component`, `operation` or
    `compiled_operation`; or
  - a document has no top-level `kind`, only polyaxonfile sections at the top level
    (version, name, run, runPatch, hubRef, ...), and either a `run` whose `kind` is a
    Polyaxon run kind (job, service, dag, tfjob, ...) or a key only Polyaxon uses
    (runPatch, isPreset, hubRef, dagRef, urlRef, pathRef, patchStrategy).
  A DIRECTORY with no polyaxonfile is an error (exit 2) unless --allow-no-files.

references and names:
  A pathRef is followed, relative to the directory of the file holding it (for
  standard input, of --stdin-filename); hubRef and urlRef are not fetched (a note
  says so). --catalog FILE lists the connections, presets and queues the
  deployment has (see server/plxinit/catalog.py for the format); names a file
  uses that are not in it are warnings.

exit status (the highest that applies):
  0    no errors (warnings allowed, unless --strict)
  1    errors found, or warnings with --strict
  2    usage error (conflicting options, no PATH), or a PATH that could not be
       checked: missing, unreadable, a directory, not a regular file (FIFO,
       device, socket), a symlink loop, binary, not UTF-8 (UTF-16, UTF-32), over
       20 MB, an internal error of plx-validate; a DIRECTORY with no polyaxonfile;
       standard input or output closed or full
  130  interrupted (Ctrl-C)
  -v never changes the exit status.
"""


def build_parser() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(
        prog="plx-validate",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
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
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="also list the files a directory scan skipped (on stderr)"
    )
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto", help="color in text output")
    parser.add_argument("--stdin-filename", metavar="NAME", help="name shown for standard input")
    parser.add_argument(
        "--catalog",
        metavar="FILE",
        help="YAML/JSON file listing the deployment's connections, presets and queues: "
        "names not in it are warnings (without it, names are not checked)",
    )
    parser.add_argument(
        "--allow-no-files",
        action="store_true",
        help="a DIRECTORY with no polyaxonfile is not an error (exit 0 when nothing is checked)",
    )
    parser.add_argument(
        "--export-schema",
        metavar="DRAFT",
        nargs="?",
        const=DEFAULT_DRAFT,
        help=f"print the JSON Schema and exit; DRAFT is {DRAFTS[0]} (the default) or {DRAFTS[1]}; takes no PATH",
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="with --export-schema: write the schema to FILE")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def _say(message: str) -> None:
    """One line on stderr, if there is a stderr to write to."""
    stream = sys.stderr
    if stream is None:
        return
    with contextlib.suppress(OSError, ValueError):
        stream.write(f"plx-validate: {message}\n")
        stream.flush()


def _usage_error(message: str) -> int:
    if sys.stderr is not None:
        with contextlib.suppress(OSError, ValueError):
            build_parser().print_usage(sys.stderr)
    _say(f"error: {message}")
    return EXIT_USAGE


class _PlainArgs:
    """What argparse gives for a command line of paths only, every option at its default."""

    def __init__(self, paths: list[str]) -> None:
        self.paths = paths
        self.format = "text"
        self.strict = False
        self.verbose = False
        self.color = "auto"
        self.stdin_filename: str | None = None
        self.catalog: str | None = None
        self.allow_no_files = False
        self.export_schema: str | None = None
        self.output: str | None = None


def parse_arguments(argv: Sequence[str] | None = None) -> Any:
    """The parsed command line. Paths alone (the common case, as CI runs it) skip argparse, whose
    import and parser cost a few milliseconds of every cold start; argparse would read them as
    the `paths` of a Namespace with every option at its default, which _PlainArgs is. Anything
    else (no argument, or one that starts with `-`: an option, `-` for stdin, `--`) goes
    through argparse."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    if arguments and all(isinstance(a, str) and a and not a.startswith("-") for a in arguments):
        return _PlainArgs(arguments)
    return build_parser().parse_args(arguments)


def _option_conflict(args: argparse.Namespace | _PlainArgs) -> str | None:
    """Why these options cannot go together (None when they can)."""
    draft = args.export_schema
    if draft is not None and draft not in DRAFTS:
        return (
            f"--export-schema takes an optional DRAFT ({' or '.join(DRAFTS)}), not {draft!r}; "
            "it checks no PATH: give paths without --export-schema"
        )
    if draft is not None and args.paths:
        return f"--export-schema takes no PATH (got {args.paths[0]!r}); use -o FILE to write the schema to a file"
    if args.output is not None and draft is None:
        return "-o/--output is only used with --export-schema"
    if not args.paths and draft is None:
        return "give at least one PATH (or - for stdin)"
    if args.paths.count("-") > 1:
        return "- (standard input) can be read only once; give it once"
    if args.stdin_filename is not None and "-" not in args.paths:
        return "--stdin-filename names standard input: give - among the PATHs"
    return None


def _silence_stdout() -> None:
    """Point fd 1 at /dev/null, so that the interpreter's last flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def _write_stdout(text: str, code: int) -> int:
    """Write the report; a full or failing stdout is exit 2, a reader gone (`| head`) keeps `code`."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        return code
    except (OSError, ValueError) as error:
        _silence_stdout()
        _say(f"cannot write the output: {getattr(error, 'strerror', None) or error}")
        return EXIT_USAGE
    return code


def _export(draft: str, output: str | None) -> int:
    from .export import export_schema

    text = export_schema(draft)
    if output is None:
        return _write_stdout(text, EXIT_OK)
    try:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as error:
        _say(f"cannot write {output}: {error.strerror or error}")
        return EXIT_USAGE
    return EXIT_OK


#: Texts from this size on are validated with the garbage collector on, even the first.
GC_PAUSE_LIMIT = 1_000_000
_gc_paused = False


def _pause_gc() -> None:
    """Start without the cyclic garbage collector: the imports, the 1 MB schema read as JSON and its
    compilation make ~10^5 objects that all live to the end, which the collector would scan again
    and again (~6 ms, a tenth of a cold run). Only `main` pauses it; `_resume_gc` ends the pause."""
    global _gc_paused
    if gc.isenabled():
        gc.disable()
        _gc_paused = True


def _resume_gc() -> None:
    """Collect as usual from now on: after the first file, or before a large one. What exists now is
    set aside (frozen), so that later collections do not scan the schema and the modules again."""
    global _gc_paused
    if _gc_paused:
        _gc_paused = False
        gc.freeze()
        gc.enable()


def _internal_problem(error: BaseException) -> str:
    detail = " ".join(str(error).split())
    if len(detail) > 200:
        detail = detail[:199] + "…"
    return f"internal error: {type(error).__name__}{': ' + detail if detail else ''}; please report it"


def run(argv: Sequence[str] | None = None) -> int:
    args = parse_arguments(argv)
    conflict = _option_conflict(args)
    if conflict:
        return _usage_error(conflict)
    if sys.stdout is None and args.output is None:
        _say("standard output is closed; there is nowhere to write the report")
        return EXIT_USAGE
    if args.export_schema is not None:
        return _export(args.export_schema, args.output)
    if "-" in args.paths and sys.stdin is None:
        _say("standard input is closed, so - has nothing to read")
        return EXIT_USAGE

    from .refs import RuleContext
    from .reporters import RENDERERS, FileResult, render_text
    from .sources import STDIN, Scan, Source, expand, looks_like_polyaxonfile
    from .validate import validate_text

    catalog = None
    if args.catalog is not None:
        from .catalog import CatalogError, load_catalog

        try:
            catalog = load_catalog(args.catalog)
        except CatalogError as error:
            return _usage_error(f"--catalog {error}")

    def check(source: Source, explicit: bool) -> FileResult | None:
        is_stdin = source.path == STDIN
        path = args.stdin_filename if is_stdin and args.stdin_filename else source.path
        if source.problem is not None or source.text is None:
            problem = source.problem or "cannot be read"
            return FileResult(path, problem=problem, is_stdin=is_stdin, is_directory=source.is_directory)
        if not explicit and not looks_like_polyaxonfile(source):
            if args.verbose:
                _say(f"{path}: skipped (not a polyaxonfile)")
            return None
        if len(source.text) >= GC_PAUSE_LIMIT:
            _resume_gc()
        try:
            # pathRefs are relative to the file's directory: standard input has one only with --stdin-filename
            place = None if is_stdin and not args.stdin_filename else path
            context = RuleContext(path=place, catalog=catalog)
            return FileResult(path, validate_text(source.text, context), source.text, is_stdin=is_stdin)
        finally:
            _resume_gc()

    results: list[FileResult] = []
    empty: list[Scan] = []  # directories that gave nothing to check
    for scan, sources in expand(args.paths):
        kept = 0
        for source in sources:
            try:
                result = check(source, explicit=not scan.is_directory)
            except Exception as error:  # a bug on one file must not lose the other files' results
                if args.verbose and sys.stderr is not None:
                    import traceback  # only for a bug: not worth its import time on every run

                    traceback.print_exc(file=sys.stderr)
                result = FileResult(source.path, problem=_internal_problem(error), internal_error=True)
            if result is not None:
                results.append(result)
                kept += 1
        if scan.is_directory and kept == 0:
            empty.append(scan)

    for scan in [] if args.allow_no_files else empty:
        if scan.looked_at == 0:
            why = "it has no .yaml, .yml or .json file"
        elif scan.looked_at == 1:
            why = "its one YAML/JSON file is not a polyaxonfile; -v names it"
        else:
            why = f"none of its {scan.looked_at} YAML/JSON files is a polyaxonfile; -v lists them"
        _say(f"{scan.given}: no polyaxonfile found ({why}); --allow-no-files accepts this")

    code = EXIT_OK
    severities = {d.severity.value for r in results for d in r.diagnostics}
    if "error" in severities or (args.strict and "warning" in severities):
        code = EXIT_FINDINGS
    if any(r.problem for r in results) or (empty and not args.allow_no_files):
        code = EXIT_USAGE

    if args.format == "text":
        color = args.color == "always" or (
            args.color == "auto" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
        )
        report = render_text(results, color=color)
    else:
        report = RENDERERS[args.format](results)
    return _write_stdout(report, code)


def main() -> None:
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")  # a non-UTF-8 terminal gets escapes, not a crash
    _pause_gc()
    try:
        code = run()
    except KeyboardInterrupt:
        code = EXIT_INTERRUPTED
    except Exception as error:  # a bug outside any one file: still one line, never a traceback
        _say(_internal_problem(error))
        code = EXIT_USAGE
    sys.exit(code)


if __name__ == "__main__":
    main()
