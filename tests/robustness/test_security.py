"""Hostile article text, the PDF fetcher, templates, shells and secrets (RELIABILITY rows 1-3).

Article text must never become markup, never pull a local file into the PDF,
and never run as a template. The local files the payloads point at hold
unique markers, so a leak shows up in ``pdftotext`` whatever the machine.
"""

from __future__ import annotations

import ast
import html
import http.server
import json
import re
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import pytest

from briefing.mail import render_email_html
from briefing.render import (
    AssetsOnlyFetcher,
    assets_dir,
    html_environment,
    render_pdf,
    templates_dir,
    text_environment,
)
from tests.robustness.support import (
    ROOT,
    invoke,
    items_of,
    load_brief,
    squash,
    write_articles,
)

TEMPLATE_PAYLOADS = ("{{ 7*7 }}", "{% for x in y %}", "<script>alert(1)</script>")


@dataclass(frozen=True)
class Secrets:
    """Local files an attacker would like in the PDF, each with a marker that must never show."""

    css: Path  # a stylesheet that would print its marker on the page
    text: Path  # a file that would become a PDF attachment
    image: Path

    @property
    def markers(self) -> tuple[str, ...]:
        return ("LEAKED-BY-CSS-7f3a", "LEAKED-BY-ATTACHMENT-7f3a")


@pytest.fixture(scope="module")
def secrets(tmp_path_factory: pytest.TempPathFactory) -> Secrets:
    folder = tmp_path_factory.mktemp("secrets")
    css = folder / "secret.css"
    css.write_text('body::before { content: "LEAKED-BY-CSS-7f3a"; }\n')
    text = folder / "secret.txt"
    text.write_text("LEAKED-BY-ATTACHMENT-7f3a\n")
    image = folder / "pixel.svg"
    image.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><rect width="9" height="9"/></svg>')
    return Secrets(css, text, image)


def _payload_sentences(s: Secrets) -> list[str]:
    # Few shared words: sentences that look alike would be dropped from the brief as repeats.
    # Each can stand alone ("The union leaflet ..." would be a back-reference, never an item).
    return [
        'Protesters at the gate held a sign reading <img src="file:///etc/hostname">'
        " while farmers blocked tractors near the grain silos on Tuesday.",
        'Union officials linked <a rel="attachment" href="file:///etc/passwd">the rules of the union</a>'
        " for members voting in the ballot.",
        f'A banner on the crane showed <link rel=stylesheet href="{s.css.as_uri()}"> and'
        f" <style>@import url({s.css.as_uri()});</style> in red letters above the shipping office.",
        "Strike committee members printed {{ 7*7 }} and {% for x in y %} and <script>alert(1)</script> on posters.",
    ]


def _hostile_text(s: Secrets) -> str:
    return (
        f'Port strike ends <img src="{s.image.as_uri()}"> after pay deal {{{{ 7*7 }}}}\n\n'
        + "\n".join(_payload_sentences(s))
        + "\nDock workers at the northern port ended a nine-day strike on Tuesday after a revised pay offer.\n"
    )


def _hostile_html(s: Secrets) -> str:
    """The same sentences as text (escaped in the page), plus live hostile tags that extraction must drop."""
    paragraphs = "\n".join(f"<p>{html.escape(sentence)}</p>" for sentence in _payload_sentences(s))
    return f"""<!DOCTYPE html><html><head><title>Harbour news {html.escape('<script>alert(1)</script>')}</title>
<link rel="stylesheet" href="{s.css.as_uri()}"><style>@import url({s.css.as_uri()});</style></head>
<body><article><h1>Harbour news</h1>
<p>Cranes at the northern terminal restarted on Wednesday morning, the port authority said.</p>
<img src="{s.image.as_uri()}"><a rel="attachment" href="{s.text.as_uri()}">notes</a>
{paragraphs}
<script>document.title = "{{{{ 7*7 }}}}"</script>
</article></body></html>"""


@dataclass(frozen=True)
class HostileBuild:
    out: Path
    secrets: Secrets


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory, secrets: Secrets) -> HostileBuild:
    folder = tmp_path_factory.mktemp("hostile")
    sources = write_articles(folder / "in", {"a.txt": _hostile_text(secrets), "b.html": _hostile_html(secrets)})
    out = folder / "out"
    result = invoke("build", str(sources), "--out", str(out), "--date", "2024-03-05", "--max-items", "30")
    assert result.exit_code == 0, result.stderr
    return HostileBuild(out, secrets)


class _Markup(HTMLParser):
    """Tags, attributes and visible text of an HTML document."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []
        self.text: list[str] = []
        self.styles: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._in.append(tag)
        self.attributes.extend((name, value or "") for name, value in attrs)

    def handle_endtag(self, tag: str) -> None:
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        if self._in and self._in[-1] == "style":
            self.styles.append(data)
        elif not (self._in and self._in[-1] == "title"):
            self.text.append(data)


def _parse(html: str) -> _Markup:
    parser = _Markup()
    parser.feed(html)
    parser.close()
    return parser


def _pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _embedded_files(pdf: Path) -> str:
    return subprocess.run(["pdfdetach", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout


def _assert_no_leak(pdf: Path, secrets: Secrets) -> None:
    assert _embedded_files(pdf).strip() == "0 embedded files"
    text = _pdf_text(pdf)
    for marker in (*secrets.markers, "root:x:0:0"):
        assert marker not in text
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else ""
    if hostname:  # the hostname file's content on a line of its own would be the image or a text leak
        assert hostname not in [line.strip() for line in text.splitlines()]


# --- row 1: local files never reach the PDF, markup never reaches the HTML -------------------------


def test_hostile_markup_in_txt_and_html_sources_is_inert(hostile_build: HostileBuild) -> None:
    out, secrets = hostile_build.out, hostile_build.secrets
    brief = load_brief(out)
    texts = "\n".join(item["text"] for item in items_of(brief))
    # Every payload reached the brief as text, from both the .txt and the .html source.
    for sentence in _payload_sentences(secrets):
        assert sentence in texts
    assert {item["source"] for item in items_of(brief)} == {"s1", "s2"}
    _assert_no_leak(out / "brief.pdf", secrets)
    html = (out / "brief.html").read_text("utf-8")
    markup = _parse(html)
    assert "img" not in markup.tags and "link" not in markup.tags and "script" not in markup.tags
    assert markup.tags.count("style") == 1  # ours, with our stylesheet only
    assert "@import" not in "".join(markup.styles) and "file:" not in "".join(markup.styles)
    # No attribute that loads or links anything names a local file; a tooltip (title)
    # may quote the article's text, escaped, as the page's own text does.
    assert not [value for name, value in markup.attributes if name != "title" and "file:" in value.lower()]
    assert all(not value.lower().startswith("file:") for _, value in markup.attributes)
    assert "<img" not in html and "<link" not in html and "<a rel" not in html
    # The payloads are there as escaped text.
    assert '&lt;img src=&#34;file:///etc/hostname&#34;&gt;' in html


def test_the_fetcher_stops_local_files_even_if_markup_got_through(secrets: Secrets, tmp_path: Path) -> None:
    """Defence in depth: raw hostile HTML straight into the renderer leaks nothing."""
    from weasyprint import HTML

    raw = f"""<html><head><link rel=stylesheet href="{secrets.css.as_uri()}">
<style>@import url({secrets.css.as_uri()});</style></head><body><p>Port news
<img src="{secrets.image.as_uri()}"> <img src="file:///etc/hostname">
<a rel="attachment" href="{secrets.text.as_uri()}">notes</a>
<a rel="attachment" href="file:///etc/passwd">passwd</a></p></body></html>"""
    rendered = render_pdf(raw)
    ours = tmp_path / "ours.pdf"
    ours.write_bytes(rendered.pdf)
    _assert_no_leak(ours, secrets)
    assert all("blocked resource" in w for w in rendered.warnings)
    for url in (secrets.css.as_uri(), secrets.image.as_uri(), "file:///etc/hostname"):
        assert any(url in w for w in rendered.warnings), url
    # The control: WeasyPrint's default fetcher does leak, so the check above can fail.
    control = tmp_path / "control.pdf"
    control.write_bytes(bytes(HTML(string=raw).write_pdf()))
    assert "LEAKED-BY-CSS-7f3a" in _pdf_text(control)
    assert _embedded_files(control).strip() != "0 embedded files"


# --- row 2: AssetsOnlyFetcher beyond tests/test_render.py ------------------------------------------


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self) -> None:
        type(self).hits += 1
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def web_server() -> Iterator[tuple[str, type[_CountingHandler]]]:
    handler = type("Handler", (_CountingHandler,), {"hits": 0})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/brief.css", handler
    finally:
        server.shutdown()
        server.server_close()


def test_fetcher_refuses_every_way_out_of_its_root(
    tmp_path: Path, web_server: tuple[str, type[_CountingHandler]]
) -> None:
    url, handler = web_server
    root = tmp_path / "assets"
    root.mkdir()
    (root / "brief.css").write_text("p { margin: 0 }")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.css").write_text("secret")
    sibling = tmp_path / "assets-evil"  # shares the root's name as a prefix
    sibling.mkdir()
    (sibling / "x.css").write_text("secret")
    (root / "link.css").symlink_to(outside / "x.css")
    (root / "dir").symlink_to(outside, target_is_directory=True)
    fetcher = AssetsOnlyFetcher(root)
    blocked = [
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "file:/etc/passwd",
        "file://localhost/etc/passwd",
        f"file://evil.example{root}/brief.css",
        root.as_uri() + "/../outside/x.css",
        root.as_uri() + "/%2e%2e/outside/x.css",
        root.as_uri() + "/%2E%2E%2Foutside%2Fx.css",
        root.as_uri() + "/..%2foutside/x.css",
        (root / "link.css").as_uri(),
        (root / "dir" / "x.css").as_uri(),
        (sibling / "x.css").as_uri(),
        root.as_uri(),  # the folder itself
        (root / "missing.css").as_uri(),
        url,
        "https://127.0.0.1/x.css",
        "ftp://127.0.0.1/x",
        "javascript:alert(1)",
    ]
    for bad in blocked:
        with pytest.raises(ValueError, match="blocked resource"):
            fetcher.fetch(bad)
    assert handler.hits == 0, "the fetcher made a request"
    # A double-encoded dot-dot is a literal file name inside the root: not found, so refused too.
    with pytest.raises(ValueError, match="blocked resource"):
        fetcher.fetch(root.as_uri() + "/%252e%252e/outside/x.css")
    loaded = fetcher.fetch((root / "brief.css").as_uri())
    assert loaded.read() == b"p { margin: 0 }"
    loaded.close()
    assert fetcher.fetch("data:text/css,p%7Bmargin:0%7D").read() == b"p{margin:0}"
    packaged = AssetsOnlyFetcher().fetch((assets_dir() / "brief.css").as_uri())
    assert packaged.read() == (assets_dir() / "brief.css").read_bytes()
    packaged.close()


# --- row 3: template syntax and script in article text ---------------------------------------------


# "{{ 7*7 }}" evaluated would print 49 as a number of its own; pytest's temporary folders
# ("pytest-249") hold the digits too, in the paths the hostile articles name.
_SEVEN_TIMES_SEVEN = re.compile(r"(?<![\w-])49(?!\d)")


def test_template_syntax_and_script_stay_text_in_html_pdf_markdown_and_email(hostile_build: HostileBuild) -> None:
    out = hostile_build.out
    brief = load_brief(out)
    html = (out / "brief.html").read_text("utf-8")
    email = render_email_html(json.loads((out / "brief.json").read_text("utf-8")))
    for rendered in (html, email):
        markup = _parse(rendered)
        visible = squash("".join(markup.text))
        assert "script" not in markup.tags
        for payload in TEMPLATE_PAYLOADS:
            assert payload in visible, payload
        assert not _SEVEN_TIMES_SEVEN.search(visible)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    pdf = squash(_pdf_text(out / "brief.pdf"))
    for payload in TEMPLATE_PAYLOADS:
        assert payload in pdf, payload
    assert not _SEVEN_TIMES_SEVEN.search(pdf)
    md = (out / "brief.md").read_text("utf-8")
    for payload in TEMPLATE_PAYLOADS:
        assert payload in md  # Markdown is text: not escaped, not evaluated
    assert "&lt;" not in md and not _SEVEN_TIMES_SEVEN.search(md)
    assert "{{ 7*7 }}" in brief["title"] or any("{{ 7*7 }}" in s["title"] for s in brief["sources"])


# --- templates: autoescape and StrictUndefined everywhere -----------------------------------------


def test_every_template_autoescapes_as_it_should_and_fails_on_undefined_names() -> None:
    names = sorted(p.name for p in templates_dir().glob("*.j2"))
    assert {"brief.html.j2", "brief.md.j2", "email.html.j2"} <= set(names)
    for name in names:
        env = text_environment() if name.endswith(".md.j2") else html_environment()
        assert env.undefined is jinja2.StrictUndefined
        assert callable(env.autoescape) and env.autoescape(name) is (not name.endswith(".md.j2")), name
        with pytest.raises(jinja2.UndefinedError):
            env.get_template(name).render()  # every template needs context: a missing name raises
    # Strings rendered through either environment behave the same way.
    assert html_environment().from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"
    assert text_environment().from_string("{{ x }}").render(x="<b>") == "<b>"


def _package_sources() -> list[Path]:
    return sorted((ROOT / "briefing").rglob("*.py"))


def test_templates_are_made_only_by_the_two_safe_environments() -> None:
    """No other jinja2.Environment/Template/from_string in the package: nothing skips autoescape."""
    calls = []
    for path in _package_sources():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call):
                name = ast.unparse(node.func)
                if re.search(r"(^|\.)(Environment|Template|from_string)$", name):
                    calls.append((path.relative_to(ROOT).as_posix(), name))
    # The one jinja2.Environment is render._environment, behind html_ and text_environment().
    assert calls == [("briefing/render.py", "jinja2.Environment")]


def test_nothing_in_the_package_reaches_a_shell() -> None:
    """No subprocess, os.system, os.popen, os.exec*/spawn* or shell=True anywhere in briefing/."""
    found = []
    for path in _package_sources():
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Import | ast.ImportFrom):
                modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                found += [f"{where}: import {m}" for m in modules if m.split(".")[0] in ("subprocess", "pty")]
            elif isinstance(node, ast.Call):
                name = ast.unparse(node.func)
                if re.fullmatch(r"os\.(system|popen|exec\w*|spawn\w*|posix_spawn\w*)", name):
                    found.append(f"{where}: {name}")
                found += [f"{where}: shell=True" for kw in node.keywords if kw.arg == "shell"]
    assert found == []
