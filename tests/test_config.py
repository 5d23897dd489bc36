"""The daily-run config: schema, one-line errors (exit 2), `config check` and `init`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from briefing import mail
from briefing.cli import cli
from briefing.config import example_config, load_config, parse_config
from briefing.errors import ConfigError
from briefing.sections import default_rules
from tests.helpers import ROOT

MINIMAL = """
[topics.china-us]
sources = ["articles/{date}/china-us/"]
"""

#: Cleared for every CLI call: SMTP settings of the machine must not leak in.
CLEAN_ENV: dict[str, str | None] = {name: None for name in [*mail.ENV_VARS, mail.DEFAULT_PASSWORD_ENV]}


def invoke(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), env=CLEAN_ENV)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "briefing.toml"
    path.write_text(text, "utf-8")
    return path


# ------------------------------------------------------------------------ the schema


def test_minimal_config_takes_the_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, MINIMAL))
    (topic,) = config.topics
    assert (topic.slug, topic.page, topic.max_items, topic.recipients) == ("china-us", "a4", 16, ())
    assert topic.since_days is None and topic.title is None
    assert config.output_root == tmp_path / "out"
    assert config.sections is None and dict(config.smtp) == {}


def test_relative_paths_are_anchored_at_the_config_folder_and_urls_are_kept(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, """
output_root = "/srv/briefs"
[fetch]
cache_dir = "cache"
[topics.a]
sources = ["in/{date}/", "/abs/feed.rss", "https://example.com/rss?d={date}"]
"""))
    topic = config.topics[0]
    assert topic.sources_for(dt.date(2023, 6, 20)) == (
        str(tmp_path / "in/2023-06-20"), "/abs/feed.rss", "https://example.com/rss?d=2023-06-20",
    )
    assert config.output_root == Path("/srv/briefs")
    assert config.fetch.cache_dir == tmp_path / "cache"


def test_topics_inherit_defaults_unless_they_set_their_own(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, """
[defaults]
page = "letter"
max_items = 9
since_days = 1
[topics.a]
sources = ["a/"]
[topics.b]
sources = ["b/"]
page = "A4"
max_items = 5
since_days = 0
recipients = ["Desk@Example.com", "desk@example.com"]
"""))
    a, b = config.topics
    assert (a.page, a.max_items, a.since_days) == ("letter", 9, 1)
    assert (b.page, b.max_items, b.since_days) == ("a4", 5, 0)
    assert b.recipients == ("Desk@example.com", "desk@example.com")  # domain normalised, local part kept
    assert a.feed_window(dt.date(2023, 6, 20)) == (dt.date(2023, 6, 19), dt.date(2023, 6, 20))
    assert b.feed_window(dt.date(2023, 6, 20)) == (dt.date(2023, 6, 20), dt.date(2023, 6, 20))


def test_section_overrides_replace_only_the_sections_named(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, MINIMAL + '[sections]\noutlook = ["will", "vows"]\n'))
    assert config.sections is not None
    assert config.sections.cues["outlook"] == ("will", "vows")
    assert config.sections.cues["background"] == default_rules().cues["background"]


def test_smtp_table_is_kept_for_the_environment_to_override(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, MINIMAL + """
[smtp]
host = "smtp.example.com"
port = 2525
security = "none"
sender = "Daily Brief <brief@example.com>"
"""))
    settings = mail.SmtpSettings.from_env({"BRIEFING_SMTP_PORT": "2626"}, base=config.smtp)
    assert (settings.host, settings.port, settings.security) == ("smtp.example.com", 2626, "none")
    assert settings.sender == "Daily Brief <brief@example.com>"


def test_the_shipped_example_is_valid_and_matches_examples_folder() -> None:
    config = parse_config(example_config(), path="example.toml", base_dir=Path("/etc/briefing"))
    assert [t.slug for t in config.topics] == ["china-us", "heatwave"]
    assert (ROOT / "examples" / "briefing.toml").read_text("utf-8") == example_config()


# ------------------------------------------------------------------ one-line errors

ERRORS = [
    pytest.param(MINIMAL + "sorces = 1\n", "unknown key 'sorces' in [topics.china-us]", id="unknown-key-topic"),
    pytest.param("colour = 1\n" + MINIMAL, "unknown key 'colour' in the top level", id="unknown-key-top"),
    pytest.param(MINIMAL + "[smtp]\nhots = 'x'\n", "unknown key 'hots' in [smtp]", id="unknown-key-smtp"),
    pytest.param("[topics.china-us]\ntitle = 'x'\n",
                 "[topics.china-us] needs sources: a non-empty list of files, folders, URLs or feeds",
                 id="missing-sources"),
    pytest.param("[topics.china-us]\nsources = []\n",
                 "[topics.china-us] needs sources: a non-empty list of files, folders, URLs or feeds",
                 id="empty-sources"),
    pytest.param("[topics.china-us]\nsources = 'seeds/'\n",
                 "[topics.china-us] sources must be a list of strings, not a string", id="sources-not-list"),
    pytest.param("[topics.china-us]\nsources = ['a', 3]\n",
                 "[topics.china-us] sources must be a list of strings; item 2 is an integer", id="sources-item"),
    pytest.param(MINIMAL + "[smtp]\nport = \"25\"\n", "[smtp] port must be an integer, not a string",
                 id="port-string"),
    pytest.param(MINIMAL + "max_items = true\n", "[topics.china-us] max_items must be an integer, not true or false",
                 id="bool-for-int"),
    pytest.param(MINIMAL + "max_items = 0\n", "[topics.china-us] max_items must be at least 1, not 0",
                 id="max-items-zero"),
    pytest.param(MINIMAL + "page = 'a3'\n", "[topics.china-us] page must be 'a4' or 'letter', not 'a3'",
                 id="page-choice"),
    pytest.param("[defaults]\nsince_days = -1\n" + MINIMAL, "[defaults] since_days must be at least 0, not -1",
                 id="since-days"),
    pytest.param(MINIMAL + "[fetch]\ntimeout = 'fast'\n", "[fetch] timeout must be a number, not a string",
                 id="fetch-timeout"),
    pytest.param(MINIMAL + "[smtp]\npassword = 'hunter2'\n",
                 "[smtp] password is not read from the file: put it in the environment variable named by "
                 "password_env (default BRIEFING_SMTP_PASSWORD)", id="password-in-file"),
    pytest.param(MINIMAL + "[smtp]\nsecurity = 'ssl'\n",
                 "briefing.toml [smtp]: invalid SMTP security 'ssl': use one of starttls, tls, none",
                 id="smtp-security"),
    pytest.param(MINIMAL + "recipients = ['not an address']\n",
                 "[topics.china-us] recipients item 1: not an email address: 'not an address'", id="recipient"),
    pytest.param(MINIMAL + 'recipients = ["a@example.com\\nBcc: x@example.com"]\n',
                 "[topics.china-us] recipients item 1: refused address", id="recipient-injection"),
    pytest.param("[topics.'China US']\nsources = ['a/']\n",
                 "[topics.China US]: a topic name is a folder name", id="slug"),
    pytest.param("[[topics]]\nsources = ['a/']\n", "write each topic as a table [topics.<slug>], not as [[topics]]",
                 id="array-of-tables"),
    pytest.param("output_root = 'out'\n", "no topics: add at least one [topics.<slug>] table with sources",
                 id="no-topics"),
    pytest.param(MINIMAL + "[sections]\noutlok = ['will']\n",
                 "unknown section 'outlok' in [sections] (choose from background, developments, meetings, open_issues, outlook)",
                 id="unknown-section"),
    pytest.param("[topics.china-us]\nsources = [\"a/\"\ntitle = 'x'\n",
                 ":3:1: invalid TOML: Unclosed array", id="bad-toml"),
    pytest.param("output_root = \n" + MINIMAL, ":1:15: invalid TOML: Invalid value", id="bad-toml-value"),
]


@pytest.mark.parametrize(("text", "message"), ERRORS)
def test_config_errors_are_one_line_naming_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(str(path))
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
    assert caught.value.exit_code == 2


@pytest.mark.parametrize("command", ["config-check", "daily"])
@pytest.mark.parametrize(("text", "message"), [ERRORS[0], ERRORS[3], ERRORS[7], ERRORS[-2]])
def test_cli_config_errors_exit_2_with_one_line(tmp_path: Path, command: str, text: str, message: str) -> None:
    path = write(tmp_path, text)
    args = ["config", "check", str(path)] if command == "config-check" else [
        "daily", "--config", str(path), "--date", "2023-06-19"]
    result = invoke(*args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {path}") and message in lines[0]
    assert result.stdout == ""
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("date", ["2023-13-45", "19/06/2023", "yesterday"])
def test_daily_bad_date_exits_2_before_reading_anything(tmp_path: Path, date: str) -> None:
    result = invoke("daily", "--config", str(write(tmp_path, MINIMAL)), "--date", date)
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: --date must be a date as YYYY-MM-DD, got {date!r}"
    assert not (tmp_path / "out").exists()


def test_missing_config_file(tmp_path: Path) -> None:
    result = invoke("config", "check", str(tmp_path / "nope.toml"))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: cannot read config {tmp_path / 'nope.toml'}: No such file or directory"


def test_daily_unknown_topic_in_only_exits_2(tmp_path: Path) -> None:
    result = invoke("daily", "--config", str(write(tmp_path, MINIMAL)), "--date", "2023-06-19", "--only", "sport")
    assert result.exit_code == 2
    assert "no topic 'sport' (topics: china-us)" in result.stderr
    assert not (tmp_path / "out").exists()


def test_daily_with_recipients_but_no_smtp_server_exits_2_before_building(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL + "recipients = ['desk@example.com']\n")
    result = invoke("daily", "--config", str(path), "--date", "2023-06-19")
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: no SMTP server configured: set BRIEFING_SMTP_HOST"
    assert not (tmp_path / "out").exists()


# --------------------------------------------------------------------- check and init


def test_config_check_prints_one_line_per_topic(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL + """title = "China–US relations"
recipients = ["desk@example.com"]
since_days = 1
[topics.heatwave]
sources = ["https://example.com/europe/feed.atom"]
topic = "heatwave Europe"
page = "letter"
""")
    result = invoke("config", "check", str(path))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "china-us (China–US relations): 1 source; page a4; max 16 items; since 1 day before;"
        " email to desk@example.com",
        "heatwave: 1 source; page letter; max 16 items; feed entries about 'heatwave Europe'; no email",
        f"{path}: 3 warnings to fix, 2 topics, output under {tmp_path / 'out'}",
    ]


def test_config_check_warns_on_missing_dated_folders_and_example_hosts(tmp_path: Path) -> None:
    (tmp_path / "articles" / "2023-06-19" / "china-us").mkdir(parents=True)
    path = write(tmp_path, MINIMAL.replace('"]', '", "https://news.example.org/rss", "notes/"]') + """
recipients = ["desk@example.com", "desk@newsroom.co.uk"]
[smtp]
host = "smtp.example.com"
""")
    ok_day = invoke("config", "check", str(path), "--date", "2023-06-19")
    assert ok_day.exit_code == 0
    assert ok_day.stderr.splitlines() == [
        f"warning: {path}: [topics.china-us] source https://news.example.org/rss is an example host:"
        " put a real feed or page",
        f"warning: {path}: [topics.china-us] source {tmp_path / 'notes'} does not exist",
        f"warning: {path}: [topics.china-us] recipients at an example domain get no mail: desk@example.com",
        f"warning: {path}: [smtp] host smtp.example.com is an example, not a real mail server",
    ]
    other_day = invoke("config", "check", str(path), "--date", "2023-06-20")
    assert f"warning: {path}: [topics.china-us] source {tmp_path / 'articles/2023-06-20/china-us'} does not" \
        " exist (for a run on 2023-06-20)" in other_day.stderr.splitlines()
    assert other_day.stdout.splitlines()[-1] == f"{path}: 5 warnings to fix, 1 topic, output under {tmp_path / 'out'}"


def test_config_check_says_ok_when_nothing_is_left_to_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "articles" / "2023-06-19" / "china-us").mkdir(parents=True)
    write(tmp_path, MINIMAL)
    monkeypatch.chdir(tmp_path)
    result = invoke("config", "check", "--date", "2023-06-19")  # ./briefing.toml by default
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout.splitlines()[-1] == f"briefing.toml: ok, 1 topic, output under {tmp_path / 'out'}"


@pytest.mark.parametrize(
    ("text", "hint"),
    [(MINIMAL + "recipient = ['a@b.org']\n", "unknown key 'recipient' in [topics.china-us] (did you mean 'recipients'?)"),
     (MINIMAL + "[smtp]\nhots = 'x'\n", "unknown key 'hots' in [smtp] (did you mean 'host'?)"),
     ("colour = 1\n" + MINIMAL, "unknown key 'colour' in the top level\n")],
)
def test_an_unknown_key_names_the_nearest_known_one(tmp_path: Path, text: str, hint: str) -> None:
    result = invoke("config", "check", str(write(tmp_path, text)))
    assert result.exit_code == 2
    assert (result.stderr.strip() + "\n").endswith(hint if hint.endswith("\n") else hint + "\n")


def test_init_writes_the_example_and_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "etc" / "briefing.toml"
    result = invoke("init", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_text("utf-8") == example_config()
    assert invoke("config", "check", str(target)).exit_code == 0

    target.write_text("# mine\n", "utf-8")
    again = invoke("init", str(target))
    assert again.exit_code == 2
    assert again.stderr.strip() == f"error: {target} already exists (use --force to overwrite it)"
    assert target.read_text("utf-8") == "# mine\n"

    assert invoke("init", str(target), "--force").exit_code == 0
    assert target.read_text("utf-8") == example_config()


def test_init_defaults_to_briefing_toml_in_the_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert invoke("init").exit_code == 0
    assert (tmp_path / "briefing.toml").read_text("utf-8") == example_config()


@pytest.mark.parametrize("command", [["daily"], ["config"], ["config", "check"], ["init"]])
def test_new_commands_have_a_summary_and_an_example(command: list[str]) -> None:
    result = invoke(*command, "--help")
    assert result.exit_code == 0
    summary = result.output.split("\n\n")[1].strip()
    assert summary and "\n" not in summary
    assert "Example:" in result.output and "briefing " + command[0] in result.output.split("Example:")[1]
