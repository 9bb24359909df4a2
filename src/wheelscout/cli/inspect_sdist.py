"""``wheelscout inspect-sdist PATH``: what building one local sdist needs, read without running it.

Exit status: 0 when the archive reads cleanly, 1 when it has error findings (hostile, damaged,
over a limit, hash mismatch), 2 for unusable input.
"""

from __future__ import annotations

import argparse
import os

from wheelscout.cli._output import print_json, write_text
from wheelscout.cli._targets import add_target_options
from wheelscout.model.finding import Severity

HELP = "show what building a local sdist needs (backend, languages, tools, native libraries)"

EXIT_FINDINGS = 1


def configure_parser(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "path", metavar="PATH", help="a local .tar.gz, .tar.bz2, .tar.xz or .zip sdist"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    parser.add_argument("--sha256", metavar="HEX", help="verify the archive against this digest")
    # With a --target, the setup steps the build needs there are listed too.
    add_target_options(parser, required=False)


def execute(args: argparse.Namespace) -> int:
    from wheelscout.errors import InputError
    from wheelscout.sdist import inspect_sdist
    from wheelscout.toolchain.render import requirements_as_dict, requirements_as_lines

    path: str = args.path
    filename = os.path.basename(path)
    try:
        with open(path, "rb") as stream:
            result = inspect_sdist(stream, filename=filename, expected_sha256=args.sha256)
    except OSError as exc:
        raise InputError(f"cannot read {path!r}: {exc.strerror or exc}") from None
    steps = None
    if args.target:
        from wheelscout.cli.build_env import one_target
        from wheelscout.toolchain import setup_steps

        steps = setup_steps(result, one_target(args, "inspect-sdist"))
    if args.format == "json":
        print_json(requirements_as_dict(result, steps))
    else:
        write_text("\n".join(requirements_as_lines(result, steps)) + "\n")
    errors = any(finding.severity is Severity.ERROR for finding in result.findings)
    return EXIT_FINDINGS if errors else 0
