"""Entry point of the frozen app (PyInstaller runs this file as __main__)."""

import multiprocessing

from annotator.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # spaCy's n_process > 1 re-launches this executable
    main()
