"""Put a suite's summary table into a Markdown file (the README) between the markers
``<!-- benchmark:NAME -->`` and ``<!-- /benchmark:NAME -->``, so the published tables are the
harness's own output, never typed by hand."""
import re

__all__ = ['markers', 'update_section']


def markers(name: str):
    """The opening and closing marker of suite ``name``'s section."""
    return f'<!-- benchmark:{name} -->', f'<!-- /benchmark:{name} -->'


def update_section(path: str, name: str, text: str) -> None:
    """Replace what lies between suite ``name``'s markers in ``path`` by ``text``.

    Raises:
        ValueError: naming the file and the missing marker when the section does not exist.
    """
    with open(path) as f:
        content = f.read()
    start, end = markers(name)
    pattern = re.compile(re.escape(start) + r'\n.*?' + re.escape(end), re.S)
    if not pattern.search(content):
        raise ValueError(f'{path}: no section for suite {name!r}; add the lines {start} and '
                         f'{end} where its table belongs')
    section = f'{start}\n{text.rstrip()}\n{end}'
    with open(path, 'w') as f:
        f.write(pattern.sub(lambda _: section, content, count=1))
