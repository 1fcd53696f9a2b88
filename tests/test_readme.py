"""The README's Python example runs as written (documentation that cannot rot silently)."""

from tests.conftest import REPO


def test_readme_python_example_runs(monkeypatch):
    text = (REPO / "README.md").read_text()
    block = text[text.index("## Python"):].split("```python", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(REPO)
    exec(compile(block, "README.md", "exec"), {})
