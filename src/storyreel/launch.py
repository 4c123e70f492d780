"""The `storyreel` command's entry point.

A make that has nothing to do is answered here, before the CLI and everything it needs
are imported (that import is most of a no-op make's time); everything else goes to
`storyreel.cli`.
"""

from __future__ import annotations

import gc
import sys

from storyreel.run import uptodate


def main() -> None:
    argv = sys.argv[1:]
    # `make --watch` stays running to make the film again on each edit: never answered
    # from the record, whose film it would otherwise print and stop at.
    if argv[:1] == ["make"] and "--help" not in argv and "--watch" not in argv:
        summary = uptodate.check(argv)
        if summary is not None:
            print(f"{summary} (up to date: nothing it is made from has changed)")
            return
        uptodate.command = argv
    from storyreel.cli import main as cli_main

    try:
        cli_main()
    finally:
        # At exit the interpreter collects every reference cycle the imports made
        # (SQLAlchemy's mappers, pydantic's models, numpy): 0.2-0.3 s after each make.
        # The command's work is done and closed by now, so the collector leaves them;
        # atexit handlers and the streams' flush still run as usual.
        gc.freeze()


if __name__ == "__main__":
    main()
