"""Entry point of the frozen app (PyInstaller's script): the same ``main()`` as ``translator-app``.

``translator-app`` with no arguments opens the desktop app; ``translator-app --self-test``,
``translator-app translate "Ein Hund."`` … work as from source.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    # Harmless when nothing spawns processes; required if anything ever does (torch DataLoader
    # workers, multiprocessing pools) so that a frozen child does not start a second app.
    multiprocessing.freeze_support()
    from translator_app.cli.main import main

    sys.exit(main())
