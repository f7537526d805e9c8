"""Replaces pyinstaller-hooks-contrib's thinc hook: all submodules (Cython hides the imports)
except the test suite, which would drag pytest and hypothesis into the bundle."""

from PyInstaller.utils.hooks import collect_data_files, collect_submodules

hiddenimports = collect_submodules("thinc", filter=lambda name: ".tests" not in name)
datas = collect_data_files("thinc", includes=["**/*.cu"])  # thinc reads its CUDA kernel sources at import
