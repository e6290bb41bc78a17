"""A griffe extension for the API reference: docstrings' ``>>>`` examples become code blocks.

minitorch's docstrings hold their examples as plain doctest paragraphs (``>>> code``, ``...``
continuations, the expected output, up to a blank line), which markdown would read as nested
quotes. This wraps each such paragraph in a ``pycon`` fence, at its own indentation, before
mkdocstrings renders the docstring.
"""
import griffe


def fence_doctests(text):
    """``text`` with every doctest paragraph (from a ``>>>`` line to the next blank line) fenced."""
    lines, out, i = text.splitlines(), [], 0
    while i < len(lines):
        stripped = lines[i].lstrip()
        if not stripped.startswith(">>>"):
            out.append(lines[i])
            i += 1
            continue
        indent = lines[i][: len(lines[i]) - len(stripped)]
        if out and out[-1].strip():
            out.append("")                          # a fence opens after a blank line
        out.append(f"{indent}```pycon")
        while i < len(lines) and lines[i].strip():
            out.append(lines[i])
            i += 1
        out.append(f"{indent}```")
    return "\n".join(out)


class DoctestBlocks(griffe.Extension):
    """Fences the doctest paragraphs of every docstring griffe loads."""

    def on_instance(self, *, obj, **kwargs):
        """Called once per object (module, class, function, attribute) that griffe visits."""
        if obj.docstring is not None and ">>>" in obj.docstring.value:
            obj.docstring.value = fence_doctests(obj.docstring.value)
