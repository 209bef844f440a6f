"""Build hook: compile the gettext catalogs with Babel as part of every build.

The catalogs live in ``locales/`` at the top of the repository (DESIGN.md);
an installed wheel carries them, compiled, as ``bot/locales``. An editable
install compiles them in place so ``bot.i18n`` finds fresh ``.mo`` files.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


def _compile(src_root: Path, dest_root: Path) -> None:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in sorted(src_root.glob("*/LC_MESSAGES/*.po")):
        rel = po.relative_to(src_root)
        out = dest_root / rel.with_suffix(".mo")
        out.parent.mkdir(parents=True, exist_ok=True)
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=rel.parts[0])
        with out.open("wb") as fh:
            write_mo(fh, catalog)
        if dest_root != src_root:
            (out.parent / po.name).write_bytes(po.read_bytes())


class BuildPyWithCatalogs(build_py):
    def run(self) -> None:
        super().run()
        src = Path(__file__).parent / "locales"
        if getattr(self, "editable_mode", False):
            _compile(src, src)
        else:
            _compile(src, Path(self.build_lib) / "bot" / "locales")


setup(cmdclass={"build_py": BuildPyWithCatalogs})
