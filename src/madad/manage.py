"""The `madad` console command: Django's manage.py with every Madad management command.

`madad keys generate` is answered before Django starts: it makes the secrets that production
settings cannot start without, so it must work while none of them is set, in any mode, and
without writing anything."""

import os
import sys


def main() -> None:
    if sys.argv[1:3] == ["keys", "generate"]:
        from madad.core.keys_generate import main as keys_generate

        sys.exit(keys_generate(sys.argv[3:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "madad.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
