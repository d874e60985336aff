"""The command line's entry at the top of a workspace (`python cli.py build`); it lives in leafpress.cli."""

from leafpress.cli import main

if __name__ == "__main__":
    main()
