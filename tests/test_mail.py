"""Emailing a brief: message building, rendering, and delivery against a real aiosmtpd.

Every SMTP test talks to an aiosmtpd ``Controller`` on 127.0.0.1 (a free port,
started and stopped per test); nothing leaves the machine.
"""

from __future__ import annotations

import email
import email.policy
import json
import logging
import shutil
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from click.testing import CliRunner

from briefing import mail, settings
from briefing.errors import MailError
from briefing.mail import MailJob, SmtpSettings
from tests.helpers import without_completions

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
TWO_SEEDS = [str(p) for p in sorted(SEEDS.glob("*.txt"))[:2]]
SENDER = "Daily Brief <brief@example.com>"
USER = "briefing"
PASSWORD = "pw-Zq7!never-printed"  # distinctive, so a leak cannot hide
HOSTILE = '{{ 7*7 }} {% for x in y %} <script>alert(1)</script> <img src="file:///etc/hostname">'

# --------------------------------------------------------------------------- fixtures

BRIEF: dict[str, Any] = {
    "title": "Blinken meets Xi in Beijing as US and China try to steady ties",
    "date": "2023-06-19",
    "schema": 1,
    "sources": [
        {
            "id": "s1",
            "name": "AP News",
            "title": "Blinken and Xi agree to stabilize deteriorating US-China ties",
            "url": "https://apnews.com/article/blinken-china-xi-jinping-5f7d2b0f",
            "path": None,
            "published": "2023-06-19",
        },
        {
            "id": "s2",
            "name": "GulfToday",
            "title": "Blinken to wrap up talks in China, may meet Xi before leaving",
            "url": None,
            "path": "seeds/002_842f3594d3a9ffad.txt",
            "published": None,
        },
        {
            "id": "s3",
            "name": "Malay Mail",
            "title": "Blinken, Qin hold 'candid' talks",
            "url": "javascript:alert(1)",
            "path": None,
            "published": "2023-06-18",
        },
        {
            "id": "s4",
            "name": "The Epoch Times",
            "title": "",
            "url": "http://www.theepochtimes.com/blinken-beijing_5324201.html",
            "path": None,
            "published": None,
        },
    ],
    "sections": [
        {
            "key": "background",
            "title": "Background",
            "items": [
                {
                    "text": "Blinken’s visit is the first by a US secretary of state to China "
                    "since 2018, and it comes amid heightened tensions between the rival powers.",
                    "source": "s1",
                    "citations": ["s1", "s3", "s4"],
                    "support": 3,
                    "score": 0.91,
                }
            ],
        },
        {
            "key": "meetings",
            "title": "Meetings",
            "items": [
                {
                    "text": "Blinken engaged in over seven hours of “frank” and “constructive” "
                    "discussions with Chinese Foreign Minister Qin Gang.",
                    "source": "s2",
                    "citations": ["s2", "s1", "s3"],
                    "support": 3,
                    "score": 0.84,
                },
                {
                    "text": f"A placard outside the hotel read {HOSTILE}.",
                    "source": "s4",
                    "citations": ["s4"],
                    "support": 1,
                    "score": 0.12,
                },
            ],
        },
        {"key": "open_issues", "title": "Open issues", "items": []},
        {
            "key": "outlook",
            "title": "Outlook",
            "items": [
                {
                    "text": "Blinken also invited Qin to visit Washington, and they agreed to "
                    "arrange a reciprocal visit but did not specify a date.",
                    "source": "s3",
                    "citations": ["s3", "s1"],
                    "support": 2,
                    "score": 0.66,
                }
            ],
        },
    ],
    "discrepancies": [
        {
            "topic": "length of the talks with Qin Gang",
            "claims": [
                {
                    "text": "On Sunday, Blinken spoke with Qin for seven and a half hours.",
                    "citations": ["s1", "s2"],
                    "value": "7½ hours",
                },
                {
                    "text": "The two men talked for more than five hours on Sunday.",
                    "citations": ["s4"],
                    "value": "more than 5 hours",
                },
            ],
        }
    ],
    "stats": {"sources": 4, "sentences": 88, "claims": 51, "seconds": 0.4},
}

BRIEF_MD = """# Blinken meets Xi in Beijing as US and China try to steady ties

2023-06-19 · 4 sources · every sentence is quoted verbatim from the outlets cited

## Background

- Blinken’s visit is the first by a US secretary of state to China since 2018. [1, 3, 4]

## Sources

1. AP News — Blinken and Xi agree to stabilize deteriorating US-China ties
"""


@pytest.fixture(scope="session")
def pdf_bytes() -> bytes:
    """A real one-page PDF (WeasyPrint), made once per session."""
    from weasyprint import HTML

    return bytes(HTML(string="<h1>Blinken meets Xi</h1><p>One page.</p>").write_pdf())


def write_brief(folder: Path, pdf: bytes, brief: dict[str, Any] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "brief.json").write_text(json.dumps(brief or BRIEF, ensure_ascii=False), "utf-8")
    (folder / "brief.md").write_text(BRIEF_MD, "utf-8")
    (folder / "brief.pdf").write_bytes(pdf)
    return folder


@pytest.fixture
def brief_dir(tmp_path: Path, pdf_bytes: bytes) -> Path:
    return write_brief(tmp_path / "brief", pdf_bytes)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings on the developer's machine must not leak into the tests."""
    for name in [*mail.ENV_VARS, mail.DEFAULT_PASSWORD_ENV]:
        monkeypatch.delenv(name, raising=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    def message(self) -> EmailMessage:
        parsed = email.message_from_bytes(self.data, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class Recorder:
    """aiosmtpd handler: keeps every message; answers 550 for addresses in ``refuse``."""

    refuse: set[str] = field(default_factory=set)
    received: list[Received] = field(default_factory=list)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any) -> str:
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content)))
        return "250 Message accepted for delivery"


class CountingController(Controller):
    """Counts SMTP sessions (one protocol instance per TCP connection)."""

    sessions = 0

    def factory(self) -> Any:
        self.sessions += 1
        return super().factory()  # type: ignore[no-untyped-call]


@contextmanager
def smtp_server(handler: Recorder, **kwargs: Any) -> Iterator[CountingController]:
    controller = CountingController(handler, hostname="127.0.0.1", port=free_port(), **kwargs)
    controller.start()
    # start() opens (and finishes) one probe connection of its own; don't count it.
    controller.sessions = 0
    try:
        yield controller
    finally:
        controller.stop()


def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == USER.encode()
        and auth_data.password == PASSWORD.encode()
    )
    # handled=False makes aiosmtpd answer 535 itself; without it the client hangs.
    return AuthResult(success=ok, handled=False) if not ok else AuthResult(success=True)


def refuse_everyone(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
    return AuthResult(success=False, handled=False)


@dataclass(frozen=True)
class Certificate:
    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, self.key)
        return context


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    """A self-signed certificate for 127.0.0.1/localhost (openssl; no cryptography here)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl not installed")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
            "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return Certificate(cert, key)


def settings_for(server: CountingController, **changes: Any) -> SmtpSettings:
    values: dict[str, Any] = {
        "host": "127.0.0.1",
        "port": server.port,
        "security": "none",
        "sender": SENDER,
        "timeout": 5.0,
    }
    values.update(changes)
    return SmtpSettings(**values)


def send(brief_dir: Path, settings: SmtpSettings, *to: str) -> mail.SendReport:
    job = MailJob(sender=SENDER, to=to or ("desk@example.com",), settings=settings)
    return job.run(brief_dir, environ={mail.DEFAULT_PASSWORD_ENV: PASSWORD})


class _Text(HTMLParser):
    """Visible text of an HTML document, whitespace collapsed, plus every href."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "title"):
            self._skip += 1
        for name, value in attrs:
            if name == "href" and value is not None:
                self.hrefs.append(value)
            if name == "id" and value is not None:
                self.ids.add(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "title"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def parse_html(html: str) -> _Text:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return parser


def visible_text(html: str) -> str:
    return " ".join("".join(parse_html(html).parts).split())


def all_items(brief: dict[str, Any]) -> list[dict[str, Any]]:
    return [item for section in brief["sections"] for item in section["items"]]


# ------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("desk@example.com", "desk@example.com"),
        ("  desk@example.com ", "desk@example.com"),
        ("Desk@Example.COM", "Desk@example.com"),
    ],
)
def test_validate_address_normalises(text: str, expected: str) -> None:
    assert mail.validate_address(text) == expected


def test_validate_address_keeps_a_display_name_when_allowed() -> None:
    assert mail.validate_address(SENDER, allow_display_name=True) == SENDER
    with pytest.raises(MailError):
        mail.validate_address(SENDER)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("a@example.com\nBcc: x@evil.example", "line breaks"),
        ("a@example.com\r\nBcc: x@evil.example", "line breaks"),
        ("a@example.com\r", "line breaks"),
        ("a@example.com\x00", "control characters"),
        ("not an address", "@-sign"),
        ("a@b", "after the @-sign"),
        ("a@example.com, b@example.com", "not an email address"),
        ("", "not an email address"),
    ],
)
def test_validate_address_refuses(text: str, reason: str) -> None:
    with pytest.raises(MailError) as caught:
        mail.validate_address(text)
    assert caught.value.exit_code == 2
    assert reason in str(caught.value)
    assert "\n" not in str(caught.value) and "\r" not in str(caught.value)


@pytest.mark.parametrize("text", ["a@example.com, b@example.com", "a@example.com;b@example.com",
                                  "a@example.com b@example.com"])
def test_two_addresses_in_one_to_say_one_address_per_to(text: str) -> None:
    with pytest.raises(MailError) as caught:
        mail.validate_recipients([text])
    assert caught.value.exit_code == 2
    assert str(caught.value) == f"{text!r} is 2 addresses: give one address per --to (or --cc)"


@pytest.mark.parametrize("subject", ["Brief\r\nBcc: x@evil.example", "Brief\nX: y", "   "])
def test_validate_subject_refuses(subject: str) -> None:
    with pytest.raises(MailError) as caught:
        mail.validate_subject(subject)
    assert caught.value.exit_code == 2
    assert "\n" not in str(caught.value)


def test_settings_from_env_parses_and_defaults_port_from_security(tmp_path: Path) -> None:
    ca = tmp_path / "ca.pem"
    ca.write_text("x")
    settings = SmtpSettings.from_env(
        {
            "BRIEFING_SMTP_HOST": "smtp.example.com",
            "BRIEFING_SMTP_SECURITY": "TLS",
            "BRIEFING_SMTP_USER": "brief",
            "BRIEFING_SMTP_TIMEOUT": "2.5",
            "BRIEFING_SMTP_CAFILE": str(ca),
            "BRIEFING_MAIL_FROM": "brief@example.com",
            "BRIEFING_SMTP_PASSWORD": PASSWORD,
        }
    )
    assert settings == SmtpSettings(
        host="smtp.example.com",
        port=465,
        security="tls",
        user="brief",
        timeout=2.5,
        cafile=str(ca),
        sender="brief@example.com",
    )
    assert PASSWORD not in repr(settings)


def test_settings_env_overrides_config_and_from_overrides_env() -> None:
    base = {"host": "relay.example.com", "port": 2525, "sender": "config@example.com"}
    env = {"BRIEFING_SMTP_PORT": "587", "BRIEFING_MAIL_FROM": "env@example.com"}
    settings = SmtpSettings.from_env(env, base=base, sender="cli@example.com")
    assert (settings.host, settings.port, settings.sender) == (
        "relay.example.com",
        587,
        "cli@example.com",
    )


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({}, "BRIEFING_SMTP_HOST"),
        ({"BRIEFING_SMTP_HOST": "h.example.com", "BRIEFING_SMTP_PORT": "25a"}, "BRIEFING_SMTP_PORT"),
        ({"BRIEFING_SMTP_HOST": "h.example.com", "BRIEFING_SMTP_PORT": "70000"}, "port"),
        ({"BRIEFING_SMTP_HOST": "h.example.com", "BRIEFING_SMTP_SECURITY": "ssl"}, "security"),
        ({"BRIEFING_SMTP_HOST": "h.example.com", "BRIEFING_SMTP_TIMEOUT": "0"}, "timeout"),
        ({"BRIEFING_SMTP_HOST": "h.example.com", "BRIEFING_SMTP_CAFILE": "/nope.pem"}, "cafile"),
        ({"BRIEFING_SMTP_HOST": "h.example.com", "BRIEFING_MAIL_FROM": "x\nBcc: y"}, "line"),
    ],
)
def test_settings_from_env_refuses(environ: dict[str, str], message: str) -> None:
    with pytest.raises(MailError) as caught:
        SmtpSettings.from_env(environ)
    assert caught.value.exit_code == 2
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"host": "h.example.com", "prot": 25}, "unknown key 'prot'"),
        ({"host": "h.example.com", "port": "25"}, "port must be int, not str"),
        ({"host": "h.example.com", "port": True}, "port must be int, not bool"),
        ({"port": 25}, "no SMTP host"),
    ],
)
def test_settings_from_mapping_names_the_key(values: dict[str, object], message: str) -> None:
    with pytest.raises(MailError, match=message) as caught:
        SmtpSettings.from_mapping(values, where="briefing.toml [smtp]")
    assert str(caught.value).startswith("briefing.toml [smtp]") or "host" in message


# -------------------------------------------------------------------------- rendering


def test_email_html_has_every_item_citation_and_source() -> None:
    html = mail.render_email_html(BRIEF)
    text = visible_text(html)
    for item in all_items(BRIEF):
        assert " ".join(item["text"].split()) in text
    # Citations as numbers into the source list, source first, as in the PDF.
    assert "[1, 3, 4] · 3 of 4 sources" in text
    assert "[2, 1, 3] · 3 of 4 sources" in text
    assert "[4] · 1 of 4 sources" in text
    assert "[3, 1] · 2 of 4 sources" in text
    for number, source in enumerate(BRIEF["sources"], start=1):
        assert f"{number}. {source['name']}" in text
    # Empty sections are left out rather than shown as bare headings.
    assert "Open issues" not in text
    # Every citation link lands on an anchor in the source list.
    parsed = parse_html(html)
    internal = {h[1:] for h in parsed.hrefs if h.startswith("#")}
    assert internal == {"src-1", "src-2", "src-3", "src-4"} and internal <= parsed.ids


def test_email_html_shows_discrepancies() -> None:
    text = visible_text(mail.render_email_html(BRIEF))
    # The PDF's name and figures: "Where sources differ", "7½ hours [1, 2] vs ...".
    assert "Where sources differ" in text and "Sources disagree" not in text
    assert "Length of the talks with Qin Gang: 7½ hours [1, 2] vs more than 5 hours [4]" in text
    assert "seven and a half hours.” [1, 2]" in text
    assert "more than five hours on Sunday.” [4]" in text
    without = dict(BRIEF, discrepancies=[])
    assert "Where sources differ" not in visible_text(mail.render_email_html(without))


def test_the_plain_text_part_is_a_text_rendering_wrapped_at_72_columns() -> None:
    text = mail.render_email_text(BRIEF)
    lines = text.splitlines()
    # Only a line holding nothing but a URL may be longer.
    assert all(len(line) <= 72 for line in lines if not line.strip().startswith("http"))
    assert not any(line.startswith(("#", "**")) or "**" in line for line in lines)
    flat = " ".join(text.split())
    assert "BACKGROUND - Blinken’s visit is the first" in flat and "[1, 3, 4] (3 of 4 sources" in flat
    assert "WHERE SOURCES DIFFER - Length of the talks with Qin Gang: 7½ hours [1, 2] vs more than 5 hours [4]" in flat
    assert "[1] AP News — Blinken and Xi agree to stabilize deteriorating US-China ties (2023-06-19)" in flat
    assert "    https://apnews.com/article/blinken-china-xi-jinping-5f7d2b0f" in lines
    # A local source shows its file name, never the folder it sits in on the server.
    assert "    002_842f3594d3a9ffad.txt" in lines and "seeds/" not in text
    assert "javascript:" not in text


def test_a_daily_email_says_what_is_new_and_points_at_nothing_on_the_server() -> None:
    daily = json.loads(json.dumps(BRIEF))
    daily["sections"][1]["items"][0]["new"] = True
    daily["sources"][1]["path"] = "/srv/briefing/articles/2023-06-19/china-us/002_842f3594d3a9ffad.txt"
    daily["changes"] = {"since": "2023-06-18", "new": 1, "dropped": [
        {"text": f"Dropped claim number {k} about “talks.”", "citations": ["s1"], "outlets": ["AP News"]}
        for k in range(6)]}
    for shown in (visible_text(mail.render_email_html(daily)), mail.render_email_text(daily)):
        flat = " ".join(shown.split())
        assert "1 new since 2023-06-18" in flat
        assert "Dropped claim number 0 about ‘talks.’”" in flat and "and 2 more no source reports any longer." in flat
        assert "brief.json" not in shown and "/srv/" not in shown and "articles/" not in shown
        assert "002_842f3594d3a9ffad.txt" in shown


def test_email_html_links_only_web_urls() -> None:
    hrefs = parse_html(mail.render_email_html(BRIEF)).hrefs
    external = [h for h in hrefs if not h.startswith("#")]
    assert external == [
        "https://apnews.com/article/blinken-china-xi-jinping-5f7d2b0f",
        "http://www.theepochtimes.com/blinken-beijing_5324201.html",
    ]
    assert not any(h.lower().startswith(("javascript:", "file:")) for h in hrefs)


def test_article_text_never_becomes_markup() -> None:
    html = mail.render_email_html(BRIEF)
    assert HOSTILE in visible_text(html)
    assert "49" not in visible_text(html)
    lowered = html.lower()
    assert "<script" not in lowered
    assert "<img" not in lowered
    assert "file:///etc" not in " ".join(parse_html(html).hrefs)


def test_email_html_is_self_contained_and_inlined() -> None:
    html = mail.render_email_html(BRIEF)
    lowered = html.lower()
    for forbidden in ("<link", "<script", 'src="http', "src='http", "@import", "url("):
        assert forbidden not in lowered
    assert "max-width: 600px" in html
    assert 'role="presentation"' in html
    # Inlined: rules became style attributes; only the phone @media rule is kept.
    assert 'class="title"' in html and "font-size: 24px" in html
    assert "@media only screen and (max-width: 480px)" in html
    assert len(html.encode()) < settings.EMAIL_HTML_LIMIT


def test_broken_brief_json_is_one_clear_error() -> None:
    broken = dict(BRIEF, sections=[{"title": "X", "items": [{"text": "t", "citations": ["s9"]}]}])
    with pytest.raises(MailError, match="unknown source 's9'"):
        mail.render_email_html(broken)


# --------------------------------------------------------------------------- messages


def test_message_structure(brief_dir: Path, pdf_bytes: bytes) -> None:
    message = mail.build_message(brief_dir, sender=SENDER, to=["desk@example.com"], cc=["chief@example.com"])
    parsed = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    assert parsed.get_content_type() == "multipart/mixed"
    alternative, attachment = parsed.iter_parts()
    assert alternative.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in alternative.iter_parts()] == [
        "text/plain",
        "text/html",
    ]
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "brief-2023-06-19.pdf"
    assert attachment.get_content() == pdf_bytes
    plain = parsed.get_body(("plain",))
    assert plain is not None and plain.get_content() == mail.render_email_text(BRIEF)
    assert str(parsed["Subject"]) == f"{BRIEF['title']} — 2023-06-19"
    assert str(parsed["To"]) == "desk@example.com"
    assert str(parsed["Cc"]) == "chief@example.com"
    assert str(parsed["From"]) == SENDER
    assert parsed["Date"] is not None
    assert str(parsed["Message-ID"]).endswith("@example.com>")
    # The wire form is 7-bit safe: the em dash and curly quotes are encoded.
    raw = message.as_bytes()
    assert raw.isascii()
    # Bodies stay folded at the default policy's 78 columns; only headers run longer.
    assert max(len(line) for line in raw.splitlines()) <= 998
    for part in parsed.walk():
        if not part.is_multipart():
            encoded = part.get_payload()
            assert isinstance(encoded, str)
            # 78 is what the stdlib's default policy produces for bodies.
            assert max(len(line) for line in encoded.splitlines()) <= 78


def test_a_long_unicode_subject_round_trips_exactly(brief_dir: Path) -> None:
    # The stdlib's 78-column folding turned "ties — 2023" into "ties  — 2023".
    subject = "Blinken meets Xi in Beijing as US and China try to steady “ties” — 2023-06-19"
    message = mail.build_message(brief_dir, sender=SENDER, to=["desk@example.com"], subject=subject)
    parsed = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
    assert str(parsed["Subject"]) == subject


def test_custom_subject_and_unicode(brief_dir: Path) -> None:
    message = mail.build_message(
        brief_dir, sender="brief@example.com", to=["desk@example.com"], subject="Brief: Xi–Blinken ✓"
    )
    parsed = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
    assert str(parsed["Subject"]) == "Brief: Xi–Blinken ✓"
    html = parsed.get_body(("html",))
    assert html is not None and "Blinken’s visit" in html.get_content()


def test_default_subject_collapses_line_breaks_in_the_title(tmp_path: Path, pdf_bytes: bytes) -> None:
    folder = write_brief(tmp_path / "b", pdf_bytes, dict(BRIEF, title="Talks\r\nBcc: x@evil.example"))
    message = mail.build_message(folder, sender="brief@example.com", to=["desk@example.com"])
    assert str(message["Subject"]) == "Talks Bcc: x@evil.example — 2023-06-19"
    assert "Bcc" not in message


@pytest.mark.parametrize(
    ("remove", "message"),
    [("brief.json", "no brief.json"), ("brief.pdf", "brief.pdf")],
)
def test_missing_files_are_a_usage_error(brief_dir: Path, remove: str, message: str) -> None:
    (brief_dir / remove).unlink()
    with pytest.raises(MailError, match=message) as caught:
        mail.build_message(brief_dir, sender="brief@example.com", to=["desk@example.com"])
    assert caught.value.exit_code == 2


def test_write_eml_is_atomic_and_parses(brief_dir: Path, tmp_path: Path) -> None:
    message = mail.build_message(brief_dir, sender=SENDER, to=["desk@example.com"])
    target = tmp_path / "out" / "brief.eml"
    assert mail.write_eml(message, target) == target
    parsed = email.message_from_bytes(target.read_bytes(), policy=email.policy.default)
    assert parsed["Message-ID"] == message["Message-ID"]
    assert [p.name for p in target.parent.iterdir()] == ["brief.eml"]
    # Under a regular file (ENOTDIR): one-line error, exit 1, nothing left behind.
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(MailError, match="cannot") as caught:
        mail.write_eml(message, blocker / "brief.eml")
    assert caught.value.exit_code == 1


# ---------------------------------------------------------------------------- sending


def test_delivers_text_html_and_pdf(brief_dir: Path, pdf_bytes: bytes) -> None:
    recorder = Recorder()
    with smtp_server(recorder) as server:
        report = send(brief_dir, settings_for(server), "desk@example.com", "chief@example.com")
    assert report.exit_code == 0 and report.refused == ()
    assert report.accepted == ("desk@example.com", "chief@example.com")
    assert report.server == f"127.0.0.1:{server.port}"
    (received,) = recorder.received
    assert received.mail_from == "brief@example.com"
    assert received.rcpt_tos == ["desk@example.com", "chief@example.com"]
    message = received.message()
    assert str(message["Message-ID"]) == report.message_id
    assert message.get_content_type() == "multipart/mixed"
    assert [p.get_content_type() for p in message.walk()] == [
        "multipart/mixed",
        "multipart/alternative",
        "text/plain",
        "text/html",
        "application/pdf",
    ]
    html_part = message.get_body(("html",))
    assert html_part is not None
    html = html_part.get_content()
    assert len(html.encode()) < 100_000
    for forbidden in ("<link", "<script", 'src="http'):
        assert forbidden not in html
    text = visible_text(html)
    for item in all_items(BRIEF):
        assert " ".join(item["text"].split()) in text
    for label in ("[1, 3, 4]", "[2, 1, 3]", "[4]", "[3, 1]"):
        assert label in text
    pdf = [p for p in message.iter_attachments() if p.get_content_type() == "application/pdf"]
    assert [p.get_filename() for p in pdf] == ["brief-2023-06-19.pdf"]
    assert pdf[0].get_content() == pdf_bytes


def test_starttls_refuses_an_untrusted_certificate(brief_dir: Path, certificate: Certificate) -> None:
    recorder = Recorder()
    with smtp_server(recorder, tls_context=certificate.server_context(), require_starttls=True) as server:
        with pytest.raises(MailError) as caught:
            send(brief_dir, settings_for(server, security="starttls"))
        assert server.sessions == 1
    assert str(caught.value).startswith("certificate verify failed for 127.0.0.1")
    assert caught.value.exit_code == 1
    assert recorder.received == []


def test_starttls_with_cafile_and_login(brief_dir: Path, certificate: Certificate) -> None:
    recorder = Recorder()
    with smtp_server(
        recorder,
        tls_context=certificate.server_context(),
        require_starttls=True,
        authenticator=authenticator,
        auth_required=True,
    ) as server:
        settings = settings_for(server, security="starttls", cafile=str(certificate.cert), user=USER)
        report = send(brief_dir, settings)
    assert report.accepted == ("desk@example.com",)
    assert len(recorder.received) == 1


@pytest.mark.parametrize("trusted", [True, False])
def test_implicit_tls(brief_dir: Path, certificate: Certificate, trusted: bool) -> None:
    recorder = Recorder()
    with smtp_server(
        recorder,
        ssl_context=certificate.server_context(),
        authenticator=authenticator,
        # aiosmtpd only counts STARTTLS as TLS for AUTH; the whole session is TLS here.
        auth_require_tls=False,
    ) as server:
        settings = settings_for(server, security="tls", user=USER, cafile=str(certificate.cert) if trusted else None)
        if trusted:
            assert send(brief_dir, settings).accepted == ("desk@example.com",)
        else:
            with pytest.raises(MailError, match=r"^certificate verify failed for 127\.0\.0\.1"):
                send(brief_dir, settings)
    assert len(recorder.received) == (1 if trusted else 0)


def test_starttls_required_but_not_offered(brief_dir: Path) -> None:
    recorder = Recorder()
    refused = pytest.raises(MailError, match="does not offer STARTTLS; refusing to send in clear")
    with smtp_server(recorder) as server, refused:
        send(brief_dir, settings_for(server, security="starttls"))
    assert recorder.received == []


def test_login_refused_never_shows_the_password(
    brief_dir: Path,
    certificate: Certificate,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    recorder = Recorder()
    with smtp_server(
        recorder,
        tls_context=certificate.server_context(),
        require_starttls=True,
        authenticator=refuse_everyone,
    ) as server:
        settings = settings_for(server, security="starttls", cafile=str(certificate.cert), user=USER)
        with pytest.raises(MailError) as caught:
            send(brief_dir, settings)
    assert str(caught.value) == "SMTP login refused (535)"
    assert caught.value.exit_code == 1
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    captured = capsys.readouterr()
    for text in (str(caught.value), repr(caught.value), caplog.text, captured.out, captured.err):
        assert PASSWORD not in text
    assert recorder.received == []


def test_login_needs_the_password_variable(brief_dir: Path) -> None:
    recorder = Recorder()
    with smtp_server(recorder) as server:
        job = MailJob(sender=SENDER, to=("desk@example.com",), settings=settings_for(server, user=USER))
        with pytest.raises(MailError, match="BRIEFING_SMTP_PASSWORD is empty") as caught:
            job.run(brief_dir, environ={})
        assert caught.value.exit_code == 2
        assert server.sessions == 0


def test_password_is_never_sent_in_clear_to_a_remote_host(brief_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("tried to connect")

    monkeypatch.setattr("smtplib.SMTP", no_network)
    settings = SmtpSettings(host="smtp.example.com", port=25, security="none", user=USER)
    with pytest.raises(MailError, match="without TLS") as caught:
        send(brief_dir, settings)
    assert caught.value.exit_code == 2


def test_server_down(brief_dir: Path) -> None:
    port = free_port()  # bound and released: nothing listens there now
    settings = SmtpSettings(host="127.0.0.1", port=port, security="none", sender=SENDER)
    with pytest.raises(MailError) as caught:
        send(brief_dir, settings)
    assert str(caught.value) == f"cannot connect to 127.0.0.1:{port}: connection refused"
    assert caught.value.exit_code == 1


@pytest.mark.parametrize(("security", "timeout"), [("none", 2), ("tls", 1)])
def test_a_silent_server_times_out(brief_dir: Path, security: mail.Security, timeout: int) -> None:
    with socket.socket() as listener:
        # Listening but never accepting: the kernel completes the TCP handshake,
        # then nothing ever says "220" (nor answers a TLS hello).
        listener.bind(("127.0.0.1", 0))
        listener.listen(4)
        port = listener.getsockname()[1]
        settings = SmtpSettings(host="127.0.0.1", port=port, security=security, timeout=timeout, sender=SENDER)
        started = time.monotonic()
        with pytest.raises(MailError) as caught:
            send(brief_dir, settings)
        elapsed = time.monotonic() - started
    assert str(caught.value) == f"timed out after {timeout} s waiting for 127.0.0.1:{port}"
    assert caught.value.exit_code == 1
    assert timeout - 0.5 < elapsed < timeout + 1.5


def test_partial_delivery_reports_the_refused(brief_dir: Path) -> None:
    recorder = Recorder(refuse={"gone@example.com"})
    with smtp_server(recorder) as server:
        report = send(brief_dir, settings_for(server), "gone@example.com", "desk@example.com")
    assert report.exit_code == 3
    assert report.accepted == ("desk@example.com",)
    assert [(r.address, r.code) for r in report.refused] == [("gone@example.com", 550)]
    assert str(report.refused[0]) == "gone@example.com (550 5.1.1 mailbox unavailable)"
    (received,) = recorder.received
    assert received.rcpt_tos == ["desk@example.com"]


def test_all_recipients_refused(brief_dir: Path) -> None:
    recorder = Recorder(refuse={"gone@example.com"})
    with smtp_server(recorder) as server, pytest.raises(MailError) as caught:
        send(brief_dir, settings_for(server), "gone@example.com")
    assert str(caught.value) == ("all recipients refused: gone@example.com (550 5.1.1 mailbox unavailable)")
    assert caught.value.exit_code == 1
    assert recorder.received == []


@pytest.mark.parametrize(
    "request_",
    [
        {"to": ["desk@example.com"], "subject": "Brief\r\nBcc: x@evil.example"},
        {"to": ["desk@example.com\nBcc: x@evil.example"]},
        {"to": ["desk@example.com"], "cc": ["chief@example.com\r\nBcc: x@evil.example"]},
        {"to": ["not an address"]},
        {"to": []},
        {"to": ["desk@example.com"], "sender": "brief@example.com\nBcc: x@evil.example"},
    ],
)
def test_bad_requests_are_refused_before_any_connection(brief_dir: Path, request_: dict[str, Any]) -> None:
    recorder = Recorder()
    with smtp_server(recorder) as server:
        environ = {
            "BRIEFING_SMTP_HOST": "127.0.0.1",
            "BRIEFING_SMTP_PORT": str(server.port),
            "BRIEFING_SMTP_SECURITY": "none",
            "BRIEFING_MAIL_FROM": "brief@example.com",
        }
        with pytest.raises(MailError) as caught:
            MailJob.from_options(environ=environ, **request_).run(brief_dir, environ=environ)
        assert server.sessions == 0
    assert caught.value.exit_code == 2
    assert "\n" not in str(caught.value)


def test_dry_run_job_writes_eml_without_settings(brief_dir: Path, tmp_path: Path) -> None:
    job = MailJob.from_options(
        to=["desk@example.com"],
        dry_run=tmp_path / "brief.eml",
        environ={"BRIEFING_MAIL_FROM": "brief@example.com"},
    )
    report = job.run(brief_dir)
    assert report.saved_to == tmp_path / "brief.eml" and report.server is None
    parsed = email.message_from_bytes(report.saved_to.read_bytes(), policy=email.policy.default)
    assert str(parsed["Message-ID"]) == report.message_id
    assert str(parsed["To"]) == "desk@example.com"


# -------------------------------------------------------------------------------- CLI


def smtp_env(port: int, **extra: str) -> dict[str, str]:
    return {
        "BRIEFING_SMTP_HOST": "127.0.0.1",
        "BRIEFING_SMTP_PORT": str(port),
        "BRIEFING_SMTP_SECURITY": "none",
        "BRIEFING_SMTP_TIMEOUT": "5",
        "BRIEFING_MAIL_FROM": SENDER,
        **extra,
    }


def run_cli(args: list[str], env: dict[str, str] | None = None) -> Any:
    from briefing.cli import cli

    return CliRunner().invoke(cli, args, env=env, catch_exceptions=False)


def test_send_help_has_a_summary_and_example() -> None:
    result = run_cli(["send", "--help"])
    assert result.exit_code == 0
    assert "Email a built brief" in result.output
    assert "Example:" in result.output and "briefing send out/ --to" in result.output
    assert "--email ADDR" in run_cli(["build", "--help"]).output


def test_cli_send_delivers(brief_dir: Path) -> None:
    recorder = Recorder()
    with smtp_server(recorder) as server:
        result = run_cli(
            ["send", str(brief_dir), "--to", "desk@example.com", "--cc", "chief@example.com",
             "--subject", "Morning brief: Blinken in Beijing"],
            env=smtp_env(server.port),
        )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    (received,) = recorder.received
    assert received.rcpt_tos == ["desk@example.com", "chief@example.com"]
    message = received.message()
    assert str(message["Subject"]) == "Morning brief: Blinken in Beijing"
    assert f"sent {message['Message-ID']} via 127.0.0.1:{server.port}" in result.stderr


def test_cli_send_partial_delivery_exits_3(brief_dir: Path) -> None:
    recorder = Recorder(refuse={"gone@example.com"})
    with smtp_server(recorder) as server:
        result = run_cli(
            ["send", str(brief_dir), "--to", "desk@example.com", "--to", "gone@example.com"],
            env=smtp_env(server.port),
        )
    assert result.exit_code == 3
    assert "warning: not delivered to gone@example.com (550 5.1.1 mailbox unavailable)" in (result.stderr)
    assert recorder.received[0].rcpt_tos == ["desk@example.com"]


def test_cli_login_refused_never_prints_the_password(brief_dir: Path, certificate: Certificate) -> None:
    recorder = Recorder()
    with smtp_server(
        recorder,
        tls_context=certificate.server_context(),
        require_starttls=True,
        authenticator=refuse_everyone,
    ) as server:
        env = smtp_env(
            server.port,
            BRIEFING_SMTP_SECURITY="starttls",
            BRIEFING_SMTP_CAFILE=str(certificate.cert),
            BRIEFING_SMTP_USER=USER,
            BRIEFING_SMTP_PASSWORD=PASSWORD,
        )
        result = run_cli(["send", str(brief_dir), "--to", "desk@example.com", "-v"], env=env)
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1] == "error: SMTP login refused (535)"
    assert PASSWORD not in result.output


def test_cli_send_server_down(brief_dir: Path) -> None:
    port = free_port()
    result = run_cli(["send", str(brief_dir), "--to", "desk@example.com"], env=smtp_env(port))
    assert result.exit_code == 1
    assert result.stderr == f"error: cannot connect to 127.0.0.1:{port}: connection refused\n"


@pytest.mark.parametrize(
    "args",
    [
        ["--to", "desk@example.com\nBcc: x@evil.example"],
        ["--to", "desk@example.com", "--subject", "Brief\r\nBcc: x@evil.example"],
        ["--to", "not an address"],
        ["--to", "desk@example.com", "--from", "not an address"],
    ],
)
def test_cli_send_refuses_bad_requests_before_connecting(brief_dir: Path, args: list[str]) -> None:
    recorder = Recorder()
    with smtp_server(recorder) as server:
        result = run_cli(["send", str(brief_dir), *args], env=smtp_env(server.port))
        assert server.sessions == 0
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("error: ")


def test_cli_send_needs_a_server(brief_dir: Path) -> None:
    result = run_cli(["send", str(brief_dir), "--to", "desk@example.com"])
    assert result.exit_code == 2
    assert "BRIEFING_SMTP_HOST" in result.stderr


def test_cli_dry_run_writes_eml_without_smtp_settings(brief_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "mail" / "brief.eml"
    result = run_cli(
        ["send", str(brief_dir), "--to", "desk@example.com", "--from", "brief@example.com",
         "--dry-run", str(target)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"wrote {target} (not sent)" in result.stderr
    parsed = email.message_from_bytes(target.read_bytes(), policy=email.policy.default)
    assert str(parsed["From"]) == "brief@example.com"
    assert parsed.get_content_type() == "multipart/mixed"


def test_cli_build_email_sends_the_built_brief(tmp_path: Path) -> None:
    out = tmp_path / "out"
    recorder = Recorder()
    with smtp_server(recorder) as server:
        result = run_cli(
            ["build", str(SEEDS), "--out", str(out), "--email", "desk@example.com", "-q"],
            env=smtp_env(server.port),
        )
    assert result.exit_code == 0, result.output
    built = json.loads((out / "brief.json").read_text("utf-8"))
    (received,) = recorder.received
    message = received.message()
    (pdf,) = [p for p in message.iter_attachments() if p.get_content_type() == "application/pdf"]
    assert pdf.get_filename() == f"brief-{built['date']}.pdf"
    assert pdf.get_content() == (out / "brief.pdf").read_bytes()
    html_part = message.get_body(("html",))
    assert html_part is not None
    text = without_completions(visible_text(html_part.get_content()))  # names completed: "Qin [Gang]"
    assert all(" ".join(item["text"].split()) in text for item in all_items(built))
    assert str(message["Subject"]) == f"{built['title']} — {built['date']}"


def test_cli_build_keeps_the_brief_when_sending_fails(tmp_path: Path) -> None:
    out, port = tmp_path / "out", free_port()
    result = run_cli(
        # Two articles are enough here: only the send step is under test.
        ["build", *TWO_SEEDS, "--out", str(out), "--email", "desk@example.com", "-q"],
        env=smtp_env(port),
    )
    assert result.exit_code == 1
    assert f"cannot connect to 127.0.0.1:{port}: connection refused" in result.stderr
    assert "was written but not emailed" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "brief.html",
        "brief.json",
        "brief.md",
        "brief.pdf",
    ]


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["--email", "desk@example.com\r\nBcc: x@evil.example"], True),
        (["--email", "desk@example.com"], False),  # no SMTP server configured
        (["--email", "desk@example.com", "--format", "html,json"], True),
    ],
)
def test_cli_build_checks_email_options_before_building(tmp_path: Path, args: list[str], env: bool) -> None:
    out = tmp_path / "out"
    result = run_cli(["build", str(SEEDS), "--out", str(out), *args], env=smtp_env(free_port()) if env else None)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and len(result.stderr.splitlines()) == 1
    assert not out.exists()


def test_email_names_a_source_dated_after_the_news_date() -> None:
    import copy

    brief = copy.deepcopy(BRIEF)
    brief["date"] = "2023-06-18"  # the latest cited source's date; a 2023-06-19 source is read too
    assert "(latest source 2023-06-19)" in visible_text(mail.render_email_html(brief))
    assert "(latest source 2023-06-19)" in mail.render_email_text(brief)
    assert "latest source" not in mail.render_email_text(BRIEF)  # dated by its latest source already


def test_email_of_sources_over_months_names_the_span() -> None:
    import copy

    brief = copy.deepcopy(BRIEF)
    brief["sources"][0]["published"] = "2023-01-05"  # five months before the news date
    assert "reports of 2023-01-05 to" in visible_text(mail.render_email_html(brief))
    assert "Reports of 2023-01-05 to" in mail.render_email_text(brief)
    assert "Reports of" not in mail.render_email_text(BRIEF)


def test_the_email_says_that_sources_naming_no_outlet_count_as_one() -> None:
    extra = [{"id": f"u{k}", "name": "unnamed source", "title": f"Story {k}", "url": None, "path": f"u{k}.txt",
              "published": "2023-06-19"} for k in range(2)]
    brief = dict(BRIEF, sources=[*BRIEF["sources"], *extra], stats=dict(BRIEF["stats"], independent_sources=5))
    assert "6 sources (5 independent; 2 unnamed count as one)" in visible_text(
        mail.render_email_html(brief))
    assert "6 sources (5 independent; 2 unnamed count as one)" in " ".join(
        mail.render_email_text(brief).split())
    # an item both unnamed sources state says so beside its count, as the page does
    import copy

    brief = copy.deepcopy(brief)
    item = brief["sections"][0]["items"][0]
    item["citations"] = ["u0", "u1"]
    item["support"] = 1
    assert "single source · 2 unnamed count as one" in visible_text(mail.render_email_html(brief))
    assert "single source · 2 unnamed count as one" in " ".join(mail.render_email_text(brief).split())


def test_the_email_gives_relative_dates_of_older_reports_their_year() -> None:
    import copy

    brief = copy.deepcopy(BRIEF)
    brief["sources"][0]["published"] = "2021-05-02"
    brief["sections"][0]["items"][0]["text"] = "Last year, the port authority opposed the merger of two ferry lines."
    assert "Last year [2020], the port authority" in visible_text(mail.render_email_html(brief))
    assert "Last year [2020], the port authority" in mail.render_email_text(brief)
    assert "[2020]" not in mail.render_email_text(BRIEF)
