"""The wheel carries the portal's templates, built static files and compiled
translations (in portal/files/, where portal/resources.py finds them), so an
installed portal needs no checkout. Build them first: `make wheel` does.
Everything else about the package is in pyproject.toml."""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
# Folder -> the files of it the portal reads when it runs.
FILES = {"templates": "**/*.html", "static/dist": "*", "translations": "**/*.mo"}
BUILT = ("static/dist/manifest.json", "translations/cy/LC_MESSAGES/messages.mo")


class BuildWithFiles(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads the checkout's folders
            return
        missing = [name for name in BUILT if not (ROOT / name).exists()]
        if missing:
            raise SystemExit(f"{', '.join(missing)} not built: run `make wheel` "
                             "(or `make setup`) before building the package")
        target = Path(self.build_lib) / "portal" / "files"
        for folder, pattern in FILES.items():
            for source in sorted((ROOT / folder).glob(pattern)):
                if source.is_file():
                    destination = target / source.relative_to(ROOT)
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    self.copy_file(str(source), str(destination))


setup(cmdclass={"build_py": BuildWithFiles})
