"""``python -m openactive_checkout``: the ``openactive-checkout`` command."""

from .cli import main

if __name__ == "__main__":
    main()
