"""README's architecture table is exactly what the registries generate."""
from pathlib import Path

from engine.loading.support_table import END, START, markdown

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_lists_exactly_the_registered_architectures():
    text = README.read_text(encoding="utf-8")
    block = START + text.split(START, 1)[1].split(END, 1)[0] + END
    assert block == markdown(), "regenerate it: python -m engine.loading.support_table --write README.md"


def test_every_registered_architecture_has_a_row():
    from engine.loading.registry import supported

    table = markdown()
    for arch in supported():
        assert f"| `{arch}` |" in table
