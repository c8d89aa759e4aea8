"""``python -m nianbao.demo_portal [--port N] [--scale S] [--verbose]``: serve until Ctrl-C."""

from __future__ import annotations

import argparse

from nianbao.demo_portal.server import DemoPortal


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m nianbao.demo_portal", description=__doc__)
    parser.add_argument("--port", type=int, default=None, help="port of the first county; the others follow")
    parser.add_argument("--scale", type=int, default=1, help="multiply counties and townships")
    parser.add_argument("--verbose", action="store_true", help="print the access log")
    args = parser.parse_args(argv)
    DemoPortal(scale=args.scale, base_port=args.port, quiet=not args.verbose).serve_forever()


if __name__ == "__main__":
    main()
