"""Issue 14, email: non-ASCII passwords, lost replies after DATA, servers echoing AUTH, IDN.

The SMTP servers are scripted ones on 127.0.0.1 (tests/robustness/servers.py),
started and stopped by each test.
"""

from __future__ import annotations

import base64
import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from briefing import mail
from briefing.cli import cli
from briefing.errors import DeliveryUnknownError, MailError
from briefing.mail import SmtpSettings, send_message
from tests.robustness.servers import ScriptedSMTP
from tests.robustness.support import PORT_A, PORT_B, ROOT, briefing_command, one_error_line, write_articles

DAY = "2024-03-05"
PASSWORD = "pässwörd-ünïcode"
CLEAN_ENV: dict[str, str | None] = {name: None for name in [*mail.ENV_VARS, mail.DEFAULT_PASSWORD_ENV]}


def invoke(*args: str, env: dict[str, str | None]) -> Result:
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def _config(tmp_path: Path, port: int, *, timeout: float = 5, user: bool = True) -> Path:
    write_articles(tmp_path / "port", {"a.txt": PORT_A, "b.txt": PORT_B})
    login = 'user = "brief"\n' if user else ""
    config = tmp_path / "briefing.toml"
    config.write_text(f"""
output_root = "out"

[smtp]
host = "127.0.0.1"
port = {port}
security = "none"
timeout = {timeout}
sender = "brief@example.com"
{login}
[topics.port]
sources = ["port/"]
recipients = ["desk@example.com"]

[topics.quay]
sources = ["port/"]
""", "utf-8")
    return config


def _daily(config: Path, *args: str, password: str = PASSWORD) -> Result:
    env = {**CLEAN_ENV, mail.DEFAULT_PASSWORD_ENV: password}
    return invoke("daily", "--config", str(config), "--date", DAY, "--json", *args, env=env)


def _settings(port: int, *, timeout: float = 5) -> SmtpSettings:
    return SmtpSettings(host="127.0.0.1", port=port, security="none", user="brief", timeout=timeout,
                        sender="brief@example.com")


def _message() -> Any:
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"] = "brief@example.com"
    message["To"] = "desk@example.com"
    message["Subject"] = "Test"
    message["Message-ID"] = "<test-1@example.com>"
    message.set_content("Hello.")
    return message


# --------------------------------------------------------------------------- 4. non-ASCII password


def test_a_non_ascii_password_logs_in_with_utf8_auth_plain_and_every_topic_is_built(tmp_path: Path) -> None:
    with ScriptedSMTP(credentials=("brief", PASSWORD)) as server:
        config = _config(tmp_path, server.port)
        result = _daily(config)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.stderr
    report = json.loads(result.stdout)
    assert [(t["slug"], t["status"]) for t in report["topics"]] == [("port", "ok"), ("quay", "ok")]
    assert report["topics"][0]["email"]["status"] == "sent"
    assert len(server.messages) == 1
    blob = server.auth_lines[0].split(" ")[2]
    assert base64.b64decode(blob) == b"\0brief\0" + PASSWORD.encode("utf-8")


def test_a_wrong_non_ascii_password_is_one_line_and_the_other_topics_still_run(tmp_path: Path) -> None:
    with ScriptedSMTP(credentials=("brief", PASSWORD)) as server:
        config = _config(tmp_path, server.port)
        result = _daily(config, password="wröng")
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.stderr and "wröng" not in result.output
    report = json.loads(result.stdout)
    port, quay = report["topics"]
    assert port["status"] == "failed" and port["email"]["error"] == "SMTP login refused (535)"
    assert quay["status"] == "ok"
    assert json.loads((tmp_path / "out" / DAY / "run.json").read_text("utf-8"))["exit_code"] == 3


def test_a_non_ascii_password_without_auth_plain_on_offer_is_one_line() -> None:
    with ScriptedSMTP(mechanisms="LOGIN CRAM-MD5") as server:
        with pytest.raises(MailError, match=r"non-ASCII characters and .* does not offer AUTH PLAIN") as caught:
            send_message(_message(), _settings(server.port), recipients=["desk@example.com"],
                         environ={mail.DEFAULT_PASSWORD_ENV: PASSWORD})
        assert server.auth_lines == [] and server.messages == []
    assert PASSWORD not in str(caught.value)


# --------------------------------------------------------------------------- 5. lost replies


def test_a_reply_lost_after_data_is_unknown_and_recorded_before_data(tmp_path: Path) -> None:
    seen_by_server: list[int] = []
    server = ScriptedSMTP(credentials=("brief", PASSWORD), data_delay=3)
    with server, pytest.raises(DeliveryUnknownError, match="may have been delivered"):
        send_message(_message(), _settings(server.port, timeout=1), recipients=["desk@example.com"],
                     environ={mail.DEFAULT_PASSWORD_ENV: PASSWORD},
                     before_data=lambda mid, to: seen_by_server.append(len(server.messages)))
    # The hook ran before the message reached the server: the record precedes DATA.
    assert seen_by_server == [0] and len(server.messages) == 1


def _message_ids(server: ScriptedSMTP) -> list[str]:
    return [re.search(rb"Message-ID: (<[^>]+>)", m, re.IGNORECASE).group(1).decode()  # type: ignore[union-attr]
            for m in server.messages]


def test_killed_during_the_wait_then_a_rerun_does_not_send_twice_without_resend(tmp_path: Path) -> None:
    with ScriptedSMTP(credentials=("brief", PASSWORD), data_delay=60) as server:
        config = _config(tmp_path, server.port, timeout=60)
        env = {k: v for k, v in os.environ.items() if k not in CLEAN_ENV}
        env.update({mail.DEFAULT_PASSWORD_ENV: PASSWORD, "PYTHONPATH": str(ROOT)})
        process = subprocess.Popen([*briefing_command(), "daily", "--config", str(config), "--date", DAY],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=tmp_path)
        try:
            deadline = time.monotonic() + 60
            while not server.messages and time.monotonic() < deadline and process.poll() is None:
                time.sleep(0.05)
            assert server.messages, process.communicate(timeout=5)
            process.send_signal(signal.SIGKILL)  # kill -9 while the server sits on its answer
            process.wait(10)
        finally:
            if process.poll() is None:
                process.kill()
        sent = json.loads((tmp_path / "out" / DAY / "port" / "sent.json").read_text("utf-8"))
        assert sent["attempt"]["message_id"] == _message_ids(server)[0]
        assert sent["attempt"]["to"] == ["desk@example.com"]

        server.data_delay = 0
        rerun = _daily(config)
        assert len(server.messages) == 1, "sent twice"
        assert rerun.exit_code == 3, rerun.output
        topic = json.loads(rerun.stdout)["topics"][0]
        assert topic["email"]["status"] == "unknown"
        assert "may have been delivered; not sent again (--resend sends it)" in topic["error"]
        assert "not sent again (--resend sends it)" in rerun.stderr

        again = _daily(config, "--resend")
    assert again.exit_code == 0, again.output
    assert len(server.messages) == 2
    sent = json.loads((tmp_path / "out" / DAY / "port" / "sent.json").read_text("utf-8"))
    assert "attempt" not in sent and sent["delivered"] == ["desk@example.com"]


# --------------------------------------------------------------------------- 10. echoed AUTH, IDN


@pytest.mark.parametrize("behaviour", ["echo", "echo334"])
def test_a_server_echoing_the_auth_line_never_gets_credentials_into_the_error(behaviour: str) -> None:
    for password in ("s3cret-ascii", PASSWORD):
        with ScriptedSMTP(auth=behaviour) as server, pytest.raises(MailError) as caught:
            send_message(_message(), _settings(server.port), recipients=["desk@example.com"],
                         environ={mail.DEFAULT_PASSWORD_ENV: password})
        assert server.auth_lines, "the client never tried to log in"
        text = str(caught.value)
        assert text.startswith(("SMTP login refused", "SMTP login failed")), text
        blobs = [line.split(" ")[-1] for line in server.auth_lines if line]
        for secret in (password, *blobs, base64.b64encode(password.encode()).decode()):
            assert secret not in text


def test_send_cli_with_an_echoing_server_keeps_credentials_out_of_stderr(previous_brief: Path) -> None:
    with ScriptedSMTP(auth="echo") as server:
        env = {**CLEAN_ENV, "BRIEFING_SMTP_HOST": "127.0.0.1", "BRIEFING_SMTP_PORT": str(server.port),
               "BRIEFING_SMTP_SECURITY": "none", "BRIEFING_SMTP_USER": "brief",
               "BRIEFING_MAIL_FROM": "brief@example.com", mail.DEFAULT_PASSWORD_ENV: "s3cret-ascii"}
        result = invoke("send", str(previous_brief), "--to", "desk@example.com", env=env)
    assert result.exit_code == 1
    line = one_error_line(result.stderr)
    blob = base64.b64encode(b"\0brief\0s3cret-ascii").decode()
    assert "SMTP login" in line and "s3cret" not in result.output and blob not in result.output


@pytest.mark.parametrize(("address", "header"), [
    ("desk@bücher.example", "desk@xn--bcher-kva.example"),
    ("desk@xn--bcher-kva.example", "desk@xn--bcher-kva.example"),
])
def test_an_idn_domain_gets_its_ascii_form_in_the_header(address: str, header: str, previous_brief: Path) -> None:
    message = mail.build_message(previous_brief, sender="brief@example.com", to=[address])
    assert message["To"] == header
    assert f"To: {header}".encode() in message.as_bytes()


def test_a_non_ascii_local_part_is_refused_clearly() -> None:
    with pytest.raises(MailError, match="non-ASCII name before the @ needs SMTPUTF8") as caught:
        mail.validate_address("dösk@example.org")
    assert caught.value.exit_code == 2


@pytest.mark.parametrize("subject", ["Brief\u2028Bcc: x@evil.test", "Brief\x85Bcc: x@evil.test"])
def test_unicode_line_breaks_in_the_subject_are_one_line_errors(subject: str, previous_brief: Path) -> None:
    result = invoke("send", str(previous_brief), "--to", "desk@example.com", "--subject", subject,
                    "--dry-run", str(previous_brief.parent / "x.eml"), env=CLEAN_ENV)
    assert result.exit_code == 2
    assert "line breaks are not allowed" in one_error_line(result.stderr)
