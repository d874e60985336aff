"""`python -m leafpress`: the same command line as the `leafpress` script."""

from .cli import main

main(prog_name="leafpress")
