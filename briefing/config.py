"""Config: the TOML file a daily run reads, validated into frozen dataclasses.

``tomllib`` parses; this module checks. Every problem is one line naming the
file and the key or the line:col, raised as :class:`ConfigError` (exit 2):

    briefing.toml: unknown key 'sorces' in [topics.china-us]
    briefing.toml: [smtp] port must be an integer, not a string
    briefing.toml:7:12: invalid TOML: Expected '=' after a key in a key/value pair

The schema is documented in docs/config.md; ``briefing init`` writes a
commented example (``briefing/data/briefing.example.toml``).
"""

from __future__ import annotations

import datetime as dt
import re
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from briefing.errors import ConfigError, MailError
from briefing.mail import SmtpSettings, validate_address
from briefing.sections import SECTION_KEYS, CueRules, default_rules
from briefing.settings import FETCH_TIMEOUT, MAX_ITEMS, OUTPUT_ROOT, PAGE, PAGE_SIZES

#: The placeholder in a source that a daily run replaces with its date (YYYY-MM-DD).
DATE_PLACEHOLDER = "{date}"
#: Topic names become folder names: keep them plain.
SLUG_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")

# "scheme://" at the start: a URL, never resolved against the config's folder.
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


# --------------------------------------------------------------------------- schema


@dataclass(frozen=True)
class Defaults:
    """``[defaults]``: values a topic takes unless it sets its own."""

    page: str = PAGE
    max_items: int = MAX_ITEMS
    since_days: int | None = None
    max_sources: int | None = None


@dataclass(frozen=True)
class FetchSettings:
    """``[fetch]``: how URLs and feeds are downloaded during a daily run."""

    timeout: float = FETCH_TIMEOUT
    allow_private: bool = False
    #: Root of the per-date download cache; ``None``: ``<output_root>/<date>/.cache``.
    cache_dir: Path | None = None


@dataclass(frozen=True)
class Topic:
    """One ``[topics.<slug>]`` table, with the defaults already applied."""

    slug: str
    sources: tuple[str, ...]
    title: str | None = None
    #: Words that choose feed entries (``briefing build --topic``).
    topic: str | None = None
    recipients: tuple[str, ...] = ()
    page: str = PAGE
    max_items: int = MAX_ITEMS
    #: Feed entries published within this many days before the run date (and on it).
    since_days: int | None = None
    max_sources: int | None = None

    def sources_for(self, date: dt.date) -> tuple[str, ...]:
        """The sources of one run: ``{date}`` replaced by the run's date (YYYY-MM-DD)."""
        return tuple(source.replace(DATE_PLACEHOLDER, date.isoformat()) for source in self.sources)

    def feed_window(self, date: dt.date) -> tuple[dt.date | None, dt.date | None]:
        """``(since, until)`` for feed entries; both ``None`` when ``since_days`` is unset."""
        if self.since_days is None:
            return None, None
        return date - dt.timedelta(days=self.since_days), date


@dataclass(frozen=True)
class Config:
    """A validated config file. Relative paths are already resolved against its folder."""

    path: Path
    topics: tuple[Topic, ...]
    output_root: Path
    defaults: Defaults = Defaults()
    fetch: FetchSettings = FetchSettings()
    #: The ``[smtp]`` table as typed values (checked by ``SmtpSettings.from_mapping``),
    #: for ``SmtpSettings.from_env(environ, base=config.smtp)``; empty when absent.
    smtp: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    #: Section cue rules with the ``[sections]`` overrides applied; ``None``: the defaults.
    sections: CueRules | None = None

    def topic(self, slug: str) -> Topic:
        """The topic named ``slug``; :class:`ConfigError` naming the choices if none is."""
        for topic in self.topics:
            if topic.slug == slug:
                return topic
        known = ", ".join(t.slug for t in self.topics)
        raise ConfigError(f"{self.path}: no topic {slug!r} (topics: {known})")


# ------------------------------------------------------------------------ validation

_TYPE_NAMES: dict[type, str] = {
    str: "a string", int: "an integer", float: "a number", bool: "true or false",
    list: "a list", dict: "a table", dt.date: "a date", dt.datetime: "a date-time", dt.time: "a time",
}


def _type_name(value: object) -> str:
    return next((name for kind, name in _TYPE_NAMES.items() if type(value) is kind), type(value).__name__)


class _Table:
    """One TOML table being checked; every error names the file, the table and the key."""

    def __init__(self, file: str, name: str, data: Mapping[str, Any]) -> None:
        self.file = file
        self.name = name
        self.data = data

    @property
    def label(self) -> str:
        return f"[{self.name}] " if self.name else ""

    def error(self, message: str) -> ConfigError:
        return ConfigError(f"{self.file}: {message}")

    def only(self, *allowed: str) -> None:
        for key in self.data:
            if key not in allowed:
                where = f"[{self.name}]" if self.name else "the top level"
                raise self.error(f"unknown key {key!r} in {where}{_did_you_mean(key, allowed)}")

    def _typed(self, key: str, kinds: tuple[type, ...], wanted: str) -> Any:
        value = self.data[key]
        # bool is an int subclass in Python; "max_items = true" is a mistake, not 1.
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            raise self.error(f"{self.label}{key} must be {wanted}, not {_type_name(value)}")
        return value

    def string(self, key: str, default: str | None = None) -> str | None:
        if key not in self.data:
            return default
        value = str(self._typed(key, (str,), "a string"))
        if not value.strip():
            raise self.error(f"{self.label}{key} must not be empty")
        return value

    def integer(self, key: str, default: int | None = None, *, minimum: int = 0) -> int | None:
        if key not in self.data:
            return default
        value = int(self._typed(key, (int,), "an integer"))
        if value < minimum:
            raise self.error(f"{self.label}{key} must be at least {minimum}, not {value}")
        return value

    def number(self, key: str, default: float) -> float:
        if key not in self.data:
            return default
        value = float(self._typed(key, (int, float), "a number"))
        if value <= 0:
            raise self.error(f"{self.label}{key} must be more than 0, not {value:g}")
        return value

    def boolean(self, key: str, default: bool) -> bool:
        if key not in self.data:
            return default
        return bool(self._typed(key, (bool,), "true or false"))

    def strings(self, key: str) -> tuple[str, ...] | None:
        if key not in self.data:
            return None
        values = self._typed(key, (list,), "a list of strings")
        for position, value in enumerate(values):
            if not isinstance(value, str):
                raise self.error(
                    f"{self.label}{key} must be a list of strings; item {position + 1} is {_type_name(value)}"
                )
        return tuple(values)

    def choice(self, key: str, choices: tuple[str, ...], default: str) -> str:
        value = self.string(key, default) or default
        if value.lower() not in choices:
            options = " or ".join(repr(c) for c in choices)
            raise self.error(f"{self.label}{key} must be {options}, not {value!r}")
        return value.lower()

    def table(self, key: str) -> _Table | None:
        if key not in self.data:
            return None
        value = self._typed(key, (dict,), "a table")
        return _Table(self.file, f"{self.name}.{key}" if self.name else key, value)


def _did_you_mean(key: str, allowed: tuple[str, ...]) -> str:
    """``" (did you mean 'recipients'?)"`` for a near miss, else nothing."""
    import difflib

    close = difflib.get_close_matches(key.lower(), allowed, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _resolve(base: Path, text: str) -> str:
    """A path relative to the config's folder (cron's working directory is not yours); URLs unchanged."""
    if _URL.match(text):
        return text
    return str(base / Path(text).expanduser())


def _defaults(root: _Table) -> Defaults:
    table = root.table("defaults")
    if table is None:
        return Defaults()
    table.only("page", "max_items", "since_days", "max_sources")
    return Defaults(
        page=table.choice("page", tuple(PAGE_SIZES), PAGE),
        max_items=table.integer("max_items", MAX_ITEMS, minimum=1) or MAX_ITEMS,
        since_days=table.integer("since_days"),
        max_sources=table.integer("max_sources", minimum=1),
    )


def _fetch(root: _Table, base: Path) -> FetchSettings:
    table = root.table("fetch")
    if table is None:
        return FetchSettings()
    table.only("timeout", "allow_private", "cache_dir")
    cache_dir = table.string("cache_dir")
    return FetchSettings(
        timeout=table.number("timeout", FETCH_TIMEOUT),
        allow_private=table.boolean("allow_private", False),
        cache_dir=Path(_resolve(base, cache_dir)) if cache_dir else None,
    )


def _smtp(root: _Table, base: Path) -> Mapping[str, object]:
    table = root.table("smtp")
    if table is None:
        return MappingProxyType({})
    if "password" in table.data:
        # A password in a file ends up in backups and version control.
        raise table.error(
            "[smtp] password is not read from the file: put it in the environment variable"
            " named by password_env (default BRIEFING_SMTP_PASSWORD)"
        )
    table.only("host", "port", "security", "user", "password_env", "timeout", "cafile", "sender")
    values: dict[str, object] = {}
    for key in ("host", "security", "user", "password_env", "cafile", "sender"):
        if key in table.data:
            values[key] = table.string(key)
    if "port" in table.data:
        values["port"] = table.integer("port", minimum=1)
    if "timeout" in table.data:
        values["timeout"] = table.number("timeout", 0.0)
    if "cafile" in values:
        values["cafile"] = _resolve(base, str(values["cafile"]))
    try:
        # The host may come from BRIEFING_SMTP_HOST at send time; a stand-in
        # lets from_mapping check every other value now.
        SmtpSettings.from_mapping({"host": "localhost", **values}, where=f"{root.file} [smtp]")
    except MailError as exc:
        where = f"{root.file} [smtp]"
        message = str(exc)
        raise ConfigError(message if message.startswith(where) else f"{where}: {message}") from None
    return MappingProxyType(values)


def _sections(root: _Table) -> CueRules | None:
    table = root.table("sections")
    if table is None:
        return None
    cues = dict(default_rules().cues)
    for key in table.data:
        if key not in SECTION_KEYS:
            raise table.error(f"unknown section {key!r} in [sections] (choose from {', '.join(SECTION_KEYS)})")
        values = table.strings(key) or ()
        if not values or not all(v.strip() for v in values):
            raise table.error(f"[sections] {key} must be a non-empty list of cue words")
        # A listed section replaces its default cues; the others keep theirs.
        cues[key] = values
    return CueRules.from_mapping(cues)


_TOPIC_KEYS = ("title", "sources", "topic", "recipients", "page", "max_items", "since_days", "max_sources")


def _topic(root: _Table, slug: str, defaults: Defaults, base: Path) -> Topic:
    name = f"topics.{slug}"
    if not SLUG_PATTERN.fullmatch(slug):
        raise root.error(
            f"[{name}]: a topic name is a folder name: lower-case letters, digits, '-' and '_' (e.g. china-us)"
        )
    data = root.data["topics"][slug]
    if not isinstance(data, dict):
        raise root.error(f"[topics] {slug} must be a table [{name}], not {_type_name(data)}")
    table = _Table(root.file, name, data)
    table.only(*_TOPIC_KEYS)
    sources = table.strings("sources")
    if not sources:
        raise table.error(f"[{name}] needs sources: a non-empty list of files, folders, URLs or feeds")
    if not all(s.strip() for s in sources):
        raise table.error(f"[{name}] sources must not contain an empty string")
    recipients: list[str] = []
    for position, address in enumerate(table.strings("recipients") or ()):
        try:
            recipients.append(validate_address(address))
        except MailError as exc:
            raise table.error(f"[{name}] recipients item {position + 1}: {exc}") from None
    since_days = table.integer("since_days")
    max_sources = table.integer("max_sources", minimum=1)
    return Topic(
        slug=slug,
        sources=tuple(_resolve(base, s.strip()) for s in sources),
        title=table.string("title"),
        topic=table.string("topic"),
        recipients=tuple(dict.fromkeys(recipients)),
        page=table.choice("page", tuple(PAGE_SIZES), defaults.page),
        max_items=table.integer("max_items", defaults.max_items, minimum=1) or defaults.max_items,
        since_days=since_days if since_days is not None else defaults.since_days,
        max_sources=max_sources if max_sources is not None else defaults.max_sources,
    )


def _toml_error(file: str, exc: tomllib.TOMLDecodeError) -> ConfigError:
    """``file:line:col: invalid TOML: reason`` from tomllib's message."""
    message = str(exc)
    match = _TOML_POSITION.search(message)
    if match:
        reason = message[: match.start()]
        return ConfigError(f"{file}:{match.group(1)}:{match.group(2)}: invalid TOML: {reason}")
    return ConfigError(f"{file}: invalid TOML: {message}")


def parse_config(text: str, *, path: Path | str = "briefing.toml", base_dir: Path | None = None) -> Config:
    """Validate config ``text``; ``path`` names it in messages, ``base_dir`` anchors relative paths.

    Raises :class:`ConfigError` with one line naming the file and the key (or line:col).
    """
    file = str(path)
    base = (base_dir if base_dir is not None else Path(path).parent).absolute()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _toml_error(file, exc) from None
    root = _Table(file, "", data)
    root.only("output_root", "defaults", "fetch", "smtp", "sections", "topics")
    defaults = _defaults(root)
    topics_data = data.get("topics")
    if isinstance(topics_data, list):
        raise root.error("write each topic as a table [topics.<slug>], not as [[topics]]")
    if not topics_data:
        raise root.error("no topics: add at least one [topics.<slug>] table with sources")
    root.table("topics")  # a wrong type ("topics = 3") is named here
    output_root = root.string("output_root", OUTPUT_ROOT) or OUTPUT_ROOT
    return Config(
        path=Path(path),
        topics=tuple(_topic(root, slug, defaults, base) for slug in topics_data),
        output_root=Path(_resolve(base, output_root)),
        defaults=defaults,
        fetch=_fetch(root, base),
        smtp=_smtp(root, base),
        sections=_sections(root),
    )


def load_config(path: Path | str) -> Config:
    """Read and validate a config file (see docs/config.md). Raises :class:`ConfigError`."""
    path = Path(path)
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            # A FIFO would block the run until someone writes to it; a device might never end.
            raise ConfigError(f"cannot read config {path}: not a regular file")
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read config {path}: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    try:
        return parse_config(text, path=path, base_dir=path.parent)
    except RecursionError:
        # tomllib parses nested arrays and inline tables recursively.
        raise ConfigError(f"{path}: nested too deeply to be a config") from None


def describe(config: Config) -> list[str]:
    """One line per topic, for ``briefing config check``."""
    lines: list[str] = []
    for topic in config.topics:
        parts = [
            f"{len(topic.sources)} source{'s' if len(topic.sources) != 1 else ''}",
            f"page {topic.page}",
            f"max {topic.max_items} items",
        ]
        if topic.topic:
            parts.append(f"feed entries about {topic.topic!r}")
        if topic.since_days is not None:
            parts.append(f"since {topic.since_days} day{'s' if topic.since_days != 1 else ''} before")
        parts.append(
            f"email to {', '.join(topic.recipients)}" if topic.recipients else "no email"
        )
        title = f" ({topic.title})" if topic.title else ""
        lines.append(f"{topic.slug}{title}: {'; '.join(parts)}")
    return lines


_EXAMPLE_DOMAINS = ("example.com", "example.org", "example.net", "example")


def _is_example_host(host: str) -> bool:
    host = host.lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in _EXAMPLE_DOMAINS)


def check_config(config: Config, *, date: dt.date) -> list[str]:
    """What a valid config still gets wrong for a run on ``date``, one warning per line.

    A local source that does not exist (``{date}`` filled in), and hosts and
    addresses left at the example domains (example.com, .org, .net), which
    no run can fetch from or deliver to.
    """
    from urllib.parse import urlsplit

    warnings: list[str] = []
    for topic in config.topics:
        where = f"[topics.{topic.slug}]"
        for given, source in zip(topic.sources, topic.sources_for(date), strict=True):
            if _URL.match(source):
                if _is_example_host(urlsplit(source).hostname or ""):
                    warnings.append(f"{where} source {source} is an example host: put a real feed or page")
            elif not Path(source).exists():
                dated = f" (for a run on {date.isoformat()})" if DATE_PLACEHOLDER in given else ""
                warnings.append(f"{where} source {source} does not exist{dated}")
        examples = [r for r in topic.recipients if _is_example_host(r.rpartition("@")[2])]
        if examples:
            warnings.append(f"{where} recipients at an example domain get no mail: {', '.join(examples)}")
    for key in ("host", "sender"):
        value = str(config.smtp.get(key) or "")
        if value and _is_example_host(value.rstrip(">").rpartition("@")[2] or value):
            real = "mail server" if key == "host" else "address"
            warnings.append(f"[smtp] {key} {value} is an example, not a real {real}")
    return warnings


def example_config() -> str:
    """The commented example config that ``briefing init`` writes."""
    return resources.files("briefing.data").joinpath("briefing.example.toml").read_text("utf-8")


def write_example(path: Path, *, force: bool = False) -> Path:
    """Write :func:`example_config` to ``path``; an existing file is kept unless ``force``."""
    from briefing.output import write_files

    if path.is_dir():
        raise ConfigError(f"{path} is a folder; name the config file to write")
    if path.exists() and not force:
        raise ConfigError(f"{path} already exists (use --force to overwrite it)")
    return write_files(path.parent, {path.name: example_config().encode("utf-8")})[0]
