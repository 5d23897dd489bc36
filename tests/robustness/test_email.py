"""Email requests (RELIABILITY rows 5, 6 and 8) beyond tests/test_mail.py.

tests/test_mail.py runs every SMTP case against aiosmtpd on 127.0.0.1; here
the CLI is checked for what those tests leave out: a refused request also
leaves the built brief byte-identical, and the password shows nowhere.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing import mail
from tests.robustness.support import assert_no_partial_output, copy_brief, invoke, one_error_line
from tests.test_mail import Recorder, free_port, smtp_env, smtp_server

PASSWORD = "pw-robust-Zq7!never-shown"


@pytest.fixture(autouse=True)
def no_smtp_settings_from_the_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [*mail.ENV_VARS, mail.DEFAULT_PASSWORD_ENV]:
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--to", "desk@example.com", "--subject", "Brief\r\nBcc: x@evil.test"], "line breaks are not allowed"),
        (["--to", "a@example.com\nBcc: x@y.example"], "line breaks are not allowed"),
        (["--to", "desk@example.com", "--cc", "chief@example.com\rBcc: x@evil.test"], "line breaks are not allowed"),
        (["--to", "not an address"], "not an email address"),
        (["--to", "desk@localhost"], "not an email address"),
    ],
    ids=["subject-crlf", "to-lf", "cc-cr", "no-at-sign", "no-domain"],
)
def test_a_bad_request_is_refused_before_connecting_and_the_brief_untouched(
    tmp_path: Path, previous_brief: Path, args: list[str], reason: str
) -> None:
    brief_dir = tmp_path / "brief"
    before = copy_brief(previous_brief, brief_dir)
    recorder = Recorder()
    with smtp_server(recorder) as server:
        result = invoke("send", str(brief_dir), *args, env=smtp_env(server.port))
        assert server.sessions == 0
    assert result.exit_code == 2
    assert reason in one_error_line(result.stderr)
    assert len(result.stderr.splitlines()) == 1 and result.stdout == ""
    assert recorder.received == []
    assert_no_partial_output(brief_dir, before)


def test_the_smtp_password_is_never_printed_written_or_logged(tmp_path: Path, previous_brief: Path) -> None:
    """A verbose dry run and a verbose failed send, with the password set: it shows nowhere."""
    brief_dir = tmp_path / "brief"
    before = copy_brief(previous_brief, brief_dir)
    env = smtp_env(free_port(), BRIEFING_SMTP_USER="brief", BRIEFING_SMTP_PASSWORD=PASSWORD)
    env["BRIEFING_SMTP_HOST"] = "localhost"  # loopback: a login without TLS is allowed to be tried
    eml = tmp_path / "mail" / "brief.eml"
    dry = invoke("send", str(brief_dir), "--to", "desk@example.com", "--dry-run", str(eml), "-v", env=env)
    assert dry.exit_code == 0, dry.stderr
    failed = invoke("send", str(brief_dir), "--to", "desk@example.com", "-v", env=env)
    assert failed.exit_code == 1 and "connection refused" in one_error_line(failed.stderr)
    helps = [invoke(*command, "--help").output for command in (["send"], ["build"], [])]
    for text in (dry.output, failed.output, eml.read_text("utf-8", errors="replace"), *helps):
        assert PASSWORD not in text
    assert_no_partial_output(brief_dir, before)
