"""The ``casebook`` command. Every verb returns an exit status: 0 ok, 1 failed, 2 usage error."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from casebook_player import __version__
from casebook_player.commands import (
    EXIT_FAILED,
    EXIT_USAGE,
    Failed,
    UsageError,
    analytics,
    badges,
    certify,
    gui,
    keys,
    media,
    packages,
    peer,
    preview,
    report,
    reviews,
    simulate,
    submissions,
    validate,
)
from casebook_player.commands.terminal import escaped_output
from casebook_player.core.printable import one_line


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    with escaped_output():
        try:
            return int(args.func(args))
        except UsageError as exc:
            print(f"casebook {args.verb}: {one_line(str(exc))}", file=sys.stderr)
            return EXIT_USAGE
        except Failed as exc:
            print(f"casebook {args.verb}: {one_line(str(exc))}", file=sys.stderr)
            for detail in exc.details:
                print(one_line(detail), file=sys.stderr)
            return EXIT_FAILED
        except KeyboardInterrupt:
            return 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="casebook", description="Interactive POCUS clinical case assessments, offline."
    )
    parser.add_argument("--version", action="version", version=f"casebook {__version__}")
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    for module in (
        validate,
        simulate,
        keys,
        gui,
        preview,
        report,
        peer,
        packages,
        submissions,
        media,
        analytics,
        certify,
        reviews,
        badges,
    ):
        module.add_parsers(verbs)
    return parser


if __name__ == "__main__":
    sys.exit(main())
