"""Email a built brief: an HTML + plain-text message with the PDF attached, sent over SMTP.

Everything here works from the files of a built brief directory (``brief.json``,
``brief.pdf``); nothing re-runs the pipeline. The pieces:

- :class:`SmtpSettings` says where and how to send (``from_env``/``from_mapping``);
- :func:`validate_address` and :func:`validate_subject` refuse header injection and
  non-addresses before anything touches the network;
- :func:`render_email_html` turns ``brief.json`` into email-safe HTML, and
  :func:`render_email_text` into the plain-text part (72 columns);
- :func:`build_message` assembles the MIME message, :func:`write_eml` saves it;
- :func:`send_message` delivers it and returns a :class:`SendReport`;
- :class:`MailJob` ties them together for the CLI: validate first, then run.

The SMTP password is only ever read from the environment variable named by
``SmtpSettings.password_env``, at send time, and never appears in a message,
exception or log line.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import ipaddress
import json
import logging
import os
import re
import smtplib
import socket
import ssl
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path
from typing import Any, Literal, cast

import css_inline
from email_validator import EmailNotValidError, validate_email

from briefing.display import (
    complete_page_names,
    dated_outlet,
    dates_every_item,
    display_text,
    earliest_source_date,
    later_source_date,
    number_sources,
    relative_dates_resolved,
    reported_note,
    shorten,
)
from briefing.errors import (
    EXIT_FAILED,
    EXIT_PARTIAL,
    EXIT_USAGE,
    DeliveryUnknownError,
    MailError,
    OutputError,
)
from briefing.output import folder_lock, write_files
from briefing.render import (
    COMPLETED_NAMES_NOTE,
    html_environment,
    independent_note,
    names_a_place,
    names_an_outlet,
    pooled_note,
    quote_sentence,
    safe_link,
    support_label,
    unnamed_pooled,
)
from briefing.settings import (
    DROPPED_SHOWN,
    EMAIL_HTML_LIMIT,
    SMTP_PORTS,
    SMTP_TIMEOUT,
    SUBJECT_TITLE_CHARS,
    TEXT_WIDTH,
)

logger = logging.getLogger(__name__)

Security = Literal["starttls", "tls", "none"]
SECURITY_MODES: tuple[Security, ...] = ("starttls", "tls", "none")
DEFAULT_PASSWORD_ENV = "BRIEFING_SMTP_PASSWORD"  # noqa: S105 - a variable name, not a secret

# Environment variable -> SmtpSettings field. The password variable is not here:
# it is read at send time through SmtpSettings.password_env.
ENV_VARS: dict[str, str] = {
    "BRIEFING_SMTP_HOST": "host",
    "BRIEFING_SMTP_PORT": "port",
    "BRIEFING_SMTP_SECURITY": "security",
    "BRIEFING_SMTP_USER": "user",
    "BRIEFING_SMTP_TIMEOUT": "timeout",
    "BRIEFING_SMTP_CAFILE": "cafile",
    "BRIEFING_MAIL_FROM": "sender",
}
ENV_MAIL_FROM = "BRIEFING_MAIL_FROM"


#: Exit codes of ``send`` (the table is in briefing/errors.py): 1 not delivered, 2 bad request, 3 some refused.
EXIT_DELIVERY = EXIT_FAILED


#: Called with the Message-ID and the envelope recipients just before the message
#: itself is sent (SMTP DATA): the last moment to record the attempt.
BeforeData = Callable[[str, Sequence[str]], None]


# --------------------------------------------------------------------------- settings


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send. Holds the *name* of the password variable, never the password."""

    host: str
    port: int
    security: Security = "starttls"
    user: str | None = None
    password_env: str = DEFAULT_PASSWORD_ENV
    timeout: float = SMTP_TIMEOUT
    cafile: str | None = None
    sender: str | None = None

    def __post_init__(self) -> None:
        if not self.host or any(c.isspace() for c in self.host):
            raise MailError(f"invalid SMTP host {self.host!r}", exit_code=EXIT_USAGE)
        if self.security not in SECURITY_MODES:
            raise MailError(
                f"invalid SMTP security {self.security!r}: use one of {', '.join(SECURITY_MODES)}",
                exit_code=EXIT_USAGE,
            )
        if not 0 < self.port < 65536:
            raise MailError(f"invalid SMTP port {self.port}", exit_code=EXIT_USAGE)
        if not 0 < self.timeout <= 600:
            raise MailError(
                f"invalid SMTP timeout {self.timeout:g}: use 0 < seconds <= 600",
                exit_code=EXIT_USAGE,
            )
        if not self.password_env:
            raise MailError("password_env must name an environment variable", exit_code=EXIT_USAGE)
        if self.cafile is not None and not Path(self.cafile).is_file():
            raise MailError(f"SMTP cafile not found: {self.cafile}", exit_code=EXIT_USAGE)
        if self.sender is not None:
            object.__setattr__(self, "sender", validate_address(self.sender, allow_display_name=True))

    @classmethod
    def from_mapping(cls, values: Mapping[str, object], *, where: str = "SMTP settings") -> SmtpSettings:
        """Build settings from typed values, e.g. the ``[smtp]`` table of a TOML config.

        Unknown keys and wrong types are errors naming the key (``where`` says
        which file/table). ``port`` defaults from ``security`` (587/465/25).
        """
        known = {f.name for f in fields(cls)}
        for key in values:
            if key not in known:
                raise MailError(f"{where}: unknown key {key!r}", exit_code=EXIT_USAGE)
        expected: dict[str, tuple[type, ...]] = {
            "host": (str,),
            "port": (int,),
            "security": (str,),
            "user": (str,),
            "password_env": (str,),
            "timeout": (int, float),
            "cafile": (str,),
            "sender": (str,),
        }
        for key, value in values.items():
            # bool is an int subclass; "port = true" is a mistake, not port 1.
            if isinstance(value, bool) or not isinstance(value, expected[key]):
                wanted = " or ".join(t.__name__ for t in expected[key])
                raise MailError(
                    f"{where}: {key} must be {wanted}, not {type(value).__name__}",
                    exit_code=EXIT_USAGE,
                )
        if "host" not in values:
            raise MailError(f"{where}: no SMTP host set", exit_code=EXIT_USAGE)
        security = cast(Security, values.get("security", "starttls"))
        kwargs: dict[str, Any] = dict(values)
        kwargs["security"] = security
        kwargs.setdefault("port", SMTP_PORTS.get(security, SMTP_PORTS["starttls"]))
        if "timeout" in kwargs:
            kwargs["timeout"] = float(kwargs["timeout"])
        return cls(**kwargs)

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str],
        *,
        base: Mapping[str, object] | None = None,
        sender: str | None = None,
    ) -> SmtpSettings:
        """Build settings from ``BRIEFING_SMTP_*`` / ``BRIEFING_MAIL_FROM`` variables.

        ``base`` holds typed values from a config file; a non-empty variable
        overrides the same key. ``sender`` (e.g. ``--from``) overrides both.
        """
        values: dict[str, object] = dict(base or {})
        for name, key in ENV_VARS.items():
            raw = environ.get(name, "").strip()
            if not raw:
                continue
            if key == "port":
                values[key] = _parse_number(name, raw, int)
            elif key == "timeout":
                values[key] = _parse_number(name, raw, float)
            else:
                values[key] = raw.lower() if key == "security" else raw
        if sender:
            values["sender"] = sender
        if "host" not in values:
            raise MailError("no SMTP server configured: set BRIEFING_SMTP_HOST", exit_code=EXIT_USAGE)
        return cls.from_mapping(values, where="environment")

    @property
    def where(self) -> str:
        """``host:port``, as used in messages."""
        return f"{self.host}:{self.port}"


def _parse_number(name: str, raw: str, kind: type[int] | type[float]) -> int | float:
    try:
        return kind(raw)
    except ValueError:
        raise MailError(f"{name} must be a number, not {raw!r}", exit_code=EXIT_USAGE) from None


def sender_from_env(environ: Mapping[str, str], explicit: str | None = None) -> str:
    """The From address: ``explicit`` if given, else ``BRIEFING_MAIL_FROM``; validated."""
    text = explicit or environ.get(ENV_MAIL_FROM, "").strip()
    if not text:
        raise MailError(f"no sender address: set {ENV_MAIL_FROM} or pass --from", exit_code=EXIT_USAGE)
    return validate_address(text, allow_display_name=True)


# ------------------------------------------------------------------------- validation


def _refuse_control_chars(what: str, text: str) -> None:
    # A CR or LF in a header value is how "Bcc: victim" gets smuggled in; other
    # control characters have no business in an address or subject either.
    # U+0085 (NEL), U+2028 and U+2029 are line breaks too, to some mail software.
    if any(c in "\r\n\x85\u2028\u2029\x0b\x0c" for c in text):
        raise MailError(f"refused {what} {text!r}: line breaks are not allowed", exit_code=EXIT_USAGE)
    if any(ord(c) < 32 or 127 <= ord(c) < 160 for c in text):
        raise MailError(f"refused {what} {text!r}: control characters are not allowed", exit_code=EXIT_USAGE)


def validate_address(text: str, *, allow_display_name: bool = False) -> str:
    """Return ``text`` as a normalised email address, or raise :class:`MailError` (exit 2).

    Refuses CR/LF and other control characters, lists ("a@x, b@y"), and anything
    ``email_validator`` does not accept (no DNS lookups are made). With
    ``allow_display_name``, ``"Daily Brief <brief@example.com>"`` is accepted
    and returned in header form.
    """
    _refuse_control_chars("address", text)
    try:
        valid = validate_email(
            text.strip(),
            check_deliverability=False,
            allow_display_name=allow_display_name,
        )
    except EmailNotValidError as exc:
        raise MailError(f"not an email address: {text!r} ({exc})", exit_code=EXIT_USAGE) from None
    # An internationalised domain goes in its ASCII (IDNA) form: a header cannot
    # hold "desk@bücher.example" (the stdlib would write an invalid encoded word
    # inside the address). A non-ASCII local part needs SMTPUTF8, not supported here.
    if valid.ascii_email is None:
        raise MailError(
            f"refused address {text!r}: a non-ASCII name before the @ needs SMTPUTF8, which is not supported",
            exit_code=EXIT_USAGE,
        )
    if allow_display_name and valid.display_name:
        local, _, domain = valid.ascii_email.rpartition("@")
        return str(Address(display_name=valid.display_name, username=local, domain=domain))
    return str(valid.ascii_email)


def validate_subject(text: str) -> str:
    """Return the subject with outer whitespace stripped; refuse line breaks and empties."""
    _refuse_control_chars("subject", text)
    # Bidi overrides and zero-width characters would show the subject reversed or hide words.
    subject = display_text(text)
    if not subject:
        raise MailError("refused subject: it is empty", exit_code=EXIT_USAGE)
    return subject


def validate_recipients(to: Iterable[str], cc: Iterable[str] = ()) -> tuple[list[str], list[str]]:
    """Validate every To and Cc address; at least one To is required. Duplicates dropped."""
    seen: set[str] = set()
    out: tuple[list[str], list[str]] = ([], [])
    for bucket, addresses in zip(out, (to, cc), strict=True):
        for text in addresses:
            _refuse_control_chars("address", text)  # a smuggled header first: it is not a second address
            if len(parts := [p for p in re.split(r"[,;\s]+", text) if "@" in p]) > 1:
                # The validator's own words ("invalid characters: ',', '@'") do not say what to do.
                raise MailError(f"{text!r} is {len(parts)} addresses: give one address per --to (or --cc)",
                                exit_code=EXIT_USAGE)
            address = validate_address(text)
            if address.lower() not in seen:
                seen.add(address.lower())
                bucket.append(address)
    if not out[0]:
        raise MailError("no recipient: give at least one To address", exit_code=EXIT_USAGE)
    return out


# -------------------------------------------------------------------------- rendering


@dataclass(frozen=True)
class _Cite:
    number: int
    anchor: str


@dataclass(frozen=True)
class _Item:
    text: str
    cites: tuple[_Cite, ...]
    support_label: str
    new: bool = False
    #: With --known: "“what a known article said” (outlet, date)".
    earlier: str = ""


def _earlier(item: Mapping[str, Any]) -> str:
    """The known article's earlier sentence of an item, quoted with its outlet and date, or ""."""
    earlier = item.get("earlier")
    if not isinstance(earlier, Mapping) or not earlier.get("text"):
        return ""
    where = dated_outlet(earlier.get("outlet"), earlier.get("published"))
    return f"“{earlier['text']}”" + (f" ({where})" if where else "")


@dataclass(frozen=True)
class _Section:
    title: str
    items: tuple[_Item, ...]


@dataclass(frozen=True)
class _Claim:
    text: str
    cites: tuple[_Cite, ...]
    #: The figure this version gives ("7½ hours"), as the PDF shows it.
    value: str | None = None


@dataclass(frozen=True)
class _Discrepancy:
    topic: str
    claims: tuple[_Claim, ...]


@dataclass(frozen=True)
class _Source:
    number: int
    anchor: str
    name: str
    title: str
    url: str | None
    location: str
    published: str | None
    #: "editorial" or "opinion" (brief.json's ``opinion``), shown after the outlet.
    opinion: str | None = None


def _location(src: Mapping[str, Any]) -> str:
    """Where a source came from when it has no web link: its file name, unless the name says it.

    Only the name: the folder is a path on the server, which tells a reader nothing.
    """
    # A javascript:/file: URL is neither linked nor shown.
    path = str(src.get("path") or "")
    if safe_link(src.get("url")) or not path or Path(path).stem == src.get("name"):
        return ""
    return display_text(Path(path).name)


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _email_context(brief: Mapping[str, Any]) -> dict[str, Any]:
    """Turn brief.json into the small typed structures the template reads."""
    sources: list[_Source] = []
    numbers: dict[str, int] = {}
    # Numbered as on the page: by outlet name, so a daily reader's [1] is the same outlet every day.
    numbers.update(number_sources((str(src["id"]), str(src.get("name") or src["id"])) for src in brief["sources"]))
    for src in sorted(brief["sources"], key=lambda src: numbers[str(src["id"])]):
        number = numbers[str(src["id"])]
        sources.append(
            _Source(
                number=number,
                anchor=f"src-{number}",
                name=shorten(display_text(str(src.get("name") or src["id"])), 60),
                title=shorten(display_text(str(src.get("title") or "")), 140),
                url=safe_link(src.get("url")),
                # A web link when there is one, else the file it came from;
                # a javascript:/file: URL is neither shown nor linked.
                location=_location(src),
                published=str(src["published"]) if src.get("published") else None,
                opinion=str(src["opinion"]) if src.get("opinion") in ("editorial", "opinion") else None,
            )
        )

    # Each source's date: an item that says "Friday" is shown with its report's date (every item is,
    # when the sources span more than a week).
    published = {str(src["id"]): str(src["published"]) if src.get("published") else None
                 for src in brief["sources"]}
    always_dated = dates_every_item(published.values())
    outlet_of = {str(src["id"]): str(src.get("name") or "") for src in brief["sources"]}
    outlets_named = names_an_outlet(outlet_of.values())

    def cites(ids: Sequence[str]) -> tuple[_Cite, ...]:
        try:
            return tuple(_Cite(numbers[i], f"src-{numbers[i]}") for i in ids)
        except KeyError as exc:
            raise MailError(f"brief.json cites unknown source {exc.args[0]!r}") from None

    stats = brief.get("stats") or {}
    # "k of n": n counts independent sources (syndicated copies count once);
    # items carry it as "of", older briefs only in stats.
    total = int(stats.get("independent_sources") or len(sources))
    # Surnames used alone are completed at their first use, top down, as on the page.
    line = brief.get("bottom_line")
    order = ([line] if line else []) + [item for section in brief["sections"] for item in section["items"]
                                        if not _is_bottom_line(item, line)]
    texts = complete_page_names([(str(item["text"]), _names(item)) for item in order])
    # ... and relative dates ("last year") given their year or month, as on the page.
    texts = [relative_dates_resolved(text, published.get(str(item.get("source"))), str(brief.get("date") or ""))
             for item, text in zip(order, texts, strict=True)]
    shown_text = {id(item): text for item, text in zip(order, texts, strict=True)}
    completed = [text != str(item["text"]) for item, text in zip(order, texts, strict=True)]

    def shown(item: Mapping[str, Any]) -> str:
        return shown_text[id(item)]

    line_text = shown(line) if line else ""
    sections = tuple(
        _Section(
            title=str(section["title"]),
            items=tuple(
                _Item(
                    text=shown(item),
                    cites=cites(item["citations"]),
                    support_label=support_label(int(item["support"]), int(item.get("of") or total))
                    + pooled_note([str(c) for c in item["citations"]], outlet_of, outlets_named=outlets_named,
                                  support=int(item["support"]))
                    + reported_note(str(item["text"]), published.get(str(item.get("source"))), always=always_dated),
                    new=bool(item.get("new")),
                    earlier=_earlier(item),
                )
                for item in section["items"]
                if not _is_bottom_line(item, brief.get("bottom_line"))  # shown once, at the top
            ),
        )
        for section in brief["sections"]
        if any(not _is_bottom_line(item, brief.get("bottom_line")) for item in section["items"])
    )
    discrepancies = tuple(
        _Discrepancy(
            # Topics are labels the pipeline makes, not quotes: capitalise for a heading.
            topic=_capitalise(str(disc["topic"])),
            claims=tuple(_Claim(text=str(c["text"]), cites=cites(c["citations"]),
                                value=str(c["value"]) if c.get("value") else None)
                         for c in disc["claims"]),
        )
        for disc in brief.get("discrepancies") or ()
    )
    n_items = sum(len(s.items) for s in sections)
    preheader = (f"{n_items} point{'s' if n_items != 1 else ''} from {len(sources)}"
                 f" source{'s' if len(sources) != 1 else ''}")
    if discrepancies:
        preheader += f", {len(discrepancies)} where they disagree"
    # The item behind the bottom line is not repeated below: its "Earlier" line goes up with it.
    bottom_earlier = next((_earlier(item) for section in brief.get("sections") or ()
                           for item in section.get("items") or ()
                           if _is_bottom_line(item, brief.get("bottom_line"))), "")
    return {
        # Every item counts, the one shown as the bottom line too.
        "changes": _changes(brief.get("changes"), new=sum(
            bool(item.get("new")) for section in brief["sections"] for item in section["items"])),
        "title": shorten(display_text(str(brief["title"])), SUBJECT_TITLE_CHARS),
        "date": str(brief["date"]),
        # The news date is the latest cited source's; a later source is named beside it, as on the page.
        "latest_source": later_source_date(published.values(), str(brief["date"])),
        "earliest_source": earliest_source_date(published.values(), str(brief["date"])),
        "sources": sources,
        "n_independent": total,
        "n_unnamed_pooled": unnamed_pooled(list(outlet_of.values())),
        "sections": sections,
        "discrepancies": discrepancies,
        "preheader": preheader,
        "completed_names": COMPLETED_NAMES_NOTE if any(completed) or any(map(names_a_place, texts)) else "",
        "bottom_line": _bottom_line(line, cites, total, published, outlet_of, outlets_named,
                                    always_dated=always_dated, earlier=bottom_earlier, text=line_text),
    }


def _names(item: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """An item's "names" (surname → full name, :attr:`briefing.model.Item.names`) as pairs; none in older briefs."""
    names = item.get("names")
    if not isinstance(names, Mapping):
        return ()
    return tuple((str(surname), str(full)) for surname, full in names.items())


def _is_bottom_line(item: Mapping[str, Any], line: Mapping[str, Any] | None) -> bool:
    return bool(line) and item.get("source") == line["source"] and item.get("text") == line["text"]  # type: ignore[index]


def _bottom_line(line: Mapping[str, Any] | None, cites: Any, total: int, published: Mapping[str, str | None],
                 outlet_of: Mapping[str, str], outlets_named: bool, *, earlier: str = "",
                 always_dated: bool = False, text: str = "") -> dict[str, Any] | None:
    """brief.json's bottom line (the most widely supported item) for the top of the email, with its
    item's "Earlier" line (the item itself is not repeated below); ``text``: as shown, names completed."""
    if not line:
        return None
    return {"text": text or str(line["text"]), "cites": cites(line["citations"]),
            "support_label": support_label(int(line["support"]), total)
            + pooled_note([str(c) for c in line["citations"]], outlet_of, outlets_named=outlets_named,
                          support=int(line["support"]))
            + reported_note(str(line["text"]), published.get(str(line.get("source"))), always=always_dated),
            "earlier": earlier}


def _changes(changes: Mapping[str, Any] | None, *, new: int) -> dict[str, Any] | None:
    """brief.json's "changes" (daily briefs): since when, how many items are new, the first dropped claims."""
    if not changes:
        return None
    dropped = list(changes.get("dropped") or ())
    shown = [
        {"text": str(d["text"]), "outlets": ", ".join(d.get("outlets") or d.get("citations") or ())}
        for d in dropped[:DROPPED_SHOWN]
    ]
    return {"since": str(changes["since"]), "new": new, "dropped": shown, "more": len(dropped) - len(shown)}


def render_email_html(brief: Mapping[str, Any]) -> str:
    """Render a loaded ``brief.json`` as email HTML with the CSS inlined.

    Table layout at most 600 px wide, no remote resources, no ``<script>`` or
    ``<link>``; article text is autoescaped. Raises :class:`MailError` if the
    brief does not follow the brief.json contract.
    """
    try:
        context = _email_context(brief)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise MailError(f"brief.json does not match the brief contract: {exc!r}") from None
    # The same environment as the page render: autoescape on, StrictUndefined.
    html = html_environment().get_template("email.html.j2").render(**context)
    inliner = css_inline.CSSInliner(
        # Never fetch anything while rendering; keep @media rules for phones.
        load_remote_stylesheets=False,
        keep_at_rules=True,
    )
    return inliner.inline(html)


#: Plain-text lines are wrapped at this many columns (RFC 3676's recommended 72).


def render_email_text(brief: Mapping[str, Any]) -> str:
    """The plain-text part: the same content as the HTML part, wrapped at 72 columns.

    Numbered citations (``[1, 3]``) point into the numbered source list at the
    end; URLs are never broken across lines. Raises :class:`MailError` if the
    brief does not follow the brief.json contract.
    """
    import textwrap

    try:
        context = _email_context(brief)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise MailError(f"brief.json does not match the brief contract: {exc!r}") from None

    def para(text: str, first: str = "", rest: str = "") -> str:
        return textwrap.fill(" ".join(text.split()), TEXT_WIDTH, initial_indent=first, subsequent_indent=rest,
                             break_long_words=False, break_on_hyphens=False)

    def numbers(cites: Sequence[_Cite]) -> str:
        return "[" + ", ".join(str(c.number) for c in cites) + "]"

    sources = context["sources"]
    meta = (f"Reports of {context['earliest_source']} to " if context["earliest_source"] else "") + context["date"]
    meta += f" (latest source {context['latest_source']})" if context["latest_source"] else ""
    meta += f" · {len(sources)} source{'s' if len(sources) != 1 else ''}"
    if context["n_independent"] != len(sources):
        meta += f" ({independent_note(context['n_independent'], context)})"
    changes = context["changes"]
    if changes:
        meta += f" · {changes['new']} new since {changes['since']}"
    blocks = [para(context["title"]), para(meta), para(
        "Every sentence is quoted word for word from the sources in brackets; the list is at the end."
        " The one-page PDF is attached.")]
    line = context.get("bottom_line")
    if line:
        blocks.append(para(f"BOTTOM LINE: {line['text']} {numbers(line['cites'])} ({line['support_label']})"))
        if line.get("earlier"):
            blocks.append(para(f"Earlier: {line['earlier']}", "  ", "  "))
    for section in context["sections"]:
        blocks.append(section.title.upper())
        for item in section.items:
            new = "New: " if item.new else ""
            blocks.append(para(f"{new}{item.text} {numbers(item.cites)} ({item.support_label})", "- ", "  "))
            if item.earlier:
                blocks.append(para(f"Earlier: {item.earlier}", "  ", "  "))
    if context["discrepancies"]:
        blocks.append("WHERE SOURCES DIFFER")
        for disc in context["discrepancies"]:
            figures = " vs ".join(f"{c.value or ''} {numbers(c.cites)}".strip() for c in disc.claims)
            lines = [para(f"{disc.topic}: {figures}" if any(c.value for c in disc.claims) else disc.topic, "- ", "  ")]
            lines += [para(f"{quote_sentence(c.text)} {numbers(c.cites)}", "  - ", "    ") for c in disc.claims]
            blocks.append("\n".join(lines))
    if changes and changes["dropped"]:
        blocks.append(f"DROPPED SINCE {changes['since']}")
        lines = [para(f"{quote_sentence(d['text'])} ({d['outlets']})", "- ", "  ") for d in changes["dropped"]]
        if changes["more"]:
            lines.append(para(f"and {changes['more']} more no source reports any longer."))
        blocks.append("\n".join(lines))
    blocks.append("SOURCES")
    lines = []
    for src in sources:
        entry = src.name + (f" — {src.title}" if src.title else "") + (f" ({src.published})" if src.published else "")
        lines.append(para(entry, f"[{src.number}] ", " " * (len(str(src.number)) + 3)))
        where = src.url or src.location
        if where:
            lines.append(" " * (len(str(src.number)) + 3) + where)
    blocks.append("\n".join(lines))
    blocks.append(para("Extractive brief: nothing here is paraphrased or generated. Where sources disagree,"
                       " each version is shown with its citations."
                       + (f" {context['completed_names']}" if context["completed_names"] else "")))
    return "\n\n".join(blocks) + "\n"


# --------------------------------------------------------------------------- messages


def load_brief(brief_dir: Path) -> dict[str, Any]:
    """Read ``brief.json`` from a built brief directory (usage error if absent or broken)."""
    path = Path(brief_dir) / "brief.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MailError(f"{brief_dir} holds no brief.json: build the brief first", exit_code=EXIT_USAGE) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MailError(f"cannot read {path}: {exc}", exit_code=EXIT_USAGE) from None
    except RecursionError:
        raise MailError(f"cannot read {path}: nested too deeply to be a brief", exit_code=EXIT_USAGE) from None
    if not isinstance(data, dict):
        raise MailError(f"{path} is not a brief (expected a JSON object)", exit_code=EXIT_USAGE)
    return data


def _read_part(brief_dir: Path, name: str) -> bytes:
    path = Path(brief_dir) / name
    try:
        return path.read_bytes()
    except OSError as exc:
        raise MailError(f"cannot read {path}: {exc.strerror or exc}", exit_code=EXIT_USAGE) from None


def _addr_spec(address: str) -> str:
    """The bare ``local@domain`` of a validated address, for the SMTP envelope."""
    return parseaddr(address)[1]


def build_message(
    brief_dir: Path | str,
    *,
    sender: str,
    to: Sequence[str],
    cc: Sequence[str] = (),
    subject: str | None = None,
    now: dt.datetime | None = None,
) -> EmailMessage:
    """Build the email for the brief in ``brief_dir``.

    Structure: ``multipart/mixed`` > [``multipart/alternative`` > (text/plain
    rendered from brief.json, text/html), ``application/pdf`` named ``brief-YYYY-MM-DD.pdf``].
    Every address and the subject are validated first (:class:`MailError`, exit 2).
    ``subject`` defaults to ``"<title> — <date>"``; ``now`` sets the Date header.
    """
    brief_dir = Path(brief_dir)
    sender = validate_address(sender, allow_display_name=True)
    to_list, cc_list = validate_recipients(to, cc)
    if subject is not None:
        subject = validate_subject(subject)

    brief = load_brief(brief_dir)
    try:
        day = dt.date.fromisoformat(str(brief["date"]))
    except (KeyError, ValueError):
        # The date names the attachment, so it must be a plain date.
        raise MailError(f"{brief_dir}/brief.json has no valid date (YYYY-MM-DD)") from None
    if subject is None:
        # Titles come from articles: no line break, bidi override or zero-width
        # character, and short enough for a subject line (issue 14).
        title = shorten(display_text(str(brief.get("title") or "")), SUBJECT_TITLE_CHARS) or "Brief"
        subject = validate_subject(f"{title} — {day.isoformat()}")
    text = render_email_text(brief)
    pdf = _read_part(brief_dir, "brief.pdf")
    if not pdf.startswith(b"%PDF-"):
        raise MailError(f"{brief_dir}/brief.pdf is not a PDF", exit_code=EXIT_USAGE)
    html = render_email_html(brief)
    if len(html.encode("utf-8")) > EMAIL_HTML_LIMIT:
        logger.warning(
            "email HTML is %d bytes; some clients (Gmail) clip bodies over ~100 KB",
            len(html.encode("utf-8")),
        )

    message = EmailMessage()  # policy=email.policy.default: refuses CR/LF in headers
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = ", ".join(to_list)
    if cc_list:
        message["Cc"] = ", ".join(cc_list)
    message["Date"] = format_datetime(now or dt.datetime.now(dt.UTC))
    # make_msgid() would otherwise call socket.getfqdn(): slow, and it leaks the
    # host name; the sender's domain is stable and ours to use.
    message["Message-ID"] = make_msgid(domain=_addr_spec(sender).rpartition("@")[2])
    # Quoted-printable keeps the wire 7-bit (the stdlib would pick 8bit for short lines).
    message.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_alternative(html, subtype="html", charset="utf-8")
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=f"brief-{day.isoformat()}.pdf")
    # The bodies are encoded by now (quoted-printable at 76 columns). Serialise
    # headers with RFC 5322's hard limit instead of the 78-column soft one: the
    # stdlib folds "ties — 2023" as "ties \n =?utf-8?b?4oCU?=", which unfolds to a
    # double space in the subject.
    message.policy = message.policy.clone(max_line_length=998)
    return message


def write_eml(message: EmailMessage, path: Path | str) -> Path:
    """Write ``message`` as an ``.eml`` file atomically (temp file + rename); return the path."""
    path = Path(path)
    try:
        # CRLF line ends, as on the wire, so the file replays byte for byte.
        data = message.as_bytes(policy=message.policy.clone(linesep="\r\n"))
        return write_files(path.parent, {path.name: data})[0]
    except OutputError as exc:
        raise MailError(str(exc)) from None


# ---------------------------------------------------------------------------- sending


@dataclass(frozen=True)
class RefusedRecipient:
    """A recipient the server would not take, with its SMTP reply."""

    address: str
    code: int
    reply: str

    def __str__(self) -> str:
        return f"{self.address} ({self.code} {self.reply})".replace("  ", " ")


@dataclass(frozen=True)
class SendReport:
    """What happened to one message: who got it, who was refused, and its Message-ID."""

    message_id: str
    server: str | None
    accepted: tuple[str, ...]
    refused: tuple[RefusedRecipient, ...] = ()
    #: Where a dry run wrote the message (nothing was sent then).
    saved_to: Path | None = None

    @property
    def exit_code(self) -> int:
        """0 when every recipient was accepted, 3 when some were refused."""
        return EXIT_PARTIAL if self.refused else 0


def _reply_text(reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    return " ".join(text.split())


def _refused(items: Mapping[str, tuple[int, bytes]]) -> tuple[RefusedRecipient, ...]:
    return tuple(RefusedRecipient(addr, int(code), _reply_text(reply)) for addr, (code, reply) in items.items())


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _tls_context(settings: SmtpSettings) -> ssl.SSLContext:
    # create_default_context verifies the chain and the host name; a private CA
    # is added with cafile, never by turning verification off.
    try:
        return ssl.create_default_context(cafile=settings.cafile)
    except (OSError, ssl.SSLError) as exc:
        raise MailError(f"cannot load SMTP cafile {settings.cafile}: {exc}", exit_code=EXIT_USAGE) from None


def _connect(settings: SmtpSettings, context: ssl.SSLContext | None) -> smtplib.SMTP:
    """Open the connection, with TLS as configured, and say EHLO."""
    if settings.security == "tls":
        return smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout, context=context)
    smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    if settings.security != "starttls":
        return smtp
    try:
        smtp.ehlo()
        if not smtp.has_extn("starttls"):
            # Never fall back to clear text silently: the password and the brief
            # would cross the network readable by anyone on the path.
            raise MailError(
                f"{settings.where} does not offer STARTTLS; refusing to send in clear text"
                " (use security = tls, or none for a local relay)"
            )
        smtp.starttls(context=context)
        smtp.ehlo()
    except BaseException:
        smtp.close()
        raise
    return smtp


def _login(smtp: smtplib.SMTP, user: str, password: str, where: str) -> None:
    if not (user + password).isascii():
        _login_utf8(smtp, user, password, where)
        return
    try:
        smtp.login(user, password)
    except smtplib.SMTPAuthenticationError as exc:
        raise MailError(f"SMTP login refused ({exc.smtp_code})") from None
    except smtplib.SMTPNotSupportedError:
        raise MailError(f"{where} does not offer SMTP AUTH; cannot log in") from None
    except smtplib.SMTPException as exc:
        # Never the server's reply: a server may echo the AUTH line, credentials and all.
        code = getattr(exc, "smtp_code", None)
        reason = f"reply {code}" if code else type(exc).__name__
        raise MailError(f"SMTP login failed ({reason})") from None


def _login_utf8(smtp: smtplib.SMTP, user: str, password: str, where: str) -> None:
    """AUTH PLAIN with UTF-8 credentials (RFC 4616); smtplib encodes them as ASCII and crashes."""
    smtp.ehlo_or_helo_if_needed()
    mechanisms = smtp.esmtp_features.get("auth", "").upper().split() if smtp.has_extn("auth") else []
    if "PLAIN" not in mechanisms:
        raise MailError(
            f"the SMTP user name or password has non-ASCII characters and {where} does not offer"
            " AUTH PLAIN, the one way to send them (UTF-8); use an ASCII password"
        )
    blob = base64.b64encode(b"\0" + user.encode("utf-8") + b"\0" + password.encode("utf-8")).decode("ascii")
    code, _ = smtp.docmd("AUTH", f"PLAIN {blob}")
    if code == 235:
        return
    if code in (535, 534, 454):
        raise MailError(f"SMTP login refused ({code})")
    raise MailError(f"SMTP login failed (reply {code})")


def _delivery_error(exc: BaseException, settings: SmtpSettings) -> MailError:
    """One clear line for every way a connection or transaction can fail."""
    where = settings.where
    # smtplib turns a read timeout into SMTPServerDisconnected; the cause tells.
    timed_out = isinstance(exc, TimeoutError) or isinstance(exc.__context__, TimeoutError)
    if timed_out:
        return MailError(f"timed out after {settings.timeout:g} s waiting for {where}")
    if isinstance(exc, ssl.SSLCertVerificationError):
        reason = exc.verify_message or "certificate verify failed"
        return MailError(
            f"certificate verify failed for {settings.host}: {reason}"
            " (set cafile / BRIEFING_SMTP_CAFILE to trust a private CA)"
        )
    if isinstance(exc, ssl.SSLError):
        return MailError(f"TLS with {where} failed: {exc.reason or exc}")
    if isinstance(exc, ConnectionRefusedError):
        return MailError(f"cannot connect to {where}: connection refused")
    if isinstance(exc, socket.gaierror):
        return MailError(f"cannot connect to {where}: unknown host")
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        refused = ", ".join(str(r) for r in _refused(exc.recipients))
        return MailError(f"all recipients refused: {refused}")
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return MailError(f"sender refused: {exc.sender} ({exc.smtp_code} {_reply_text(exc.smtp_error)})")
    if isinstance(exc, smtplib.SMTPResponseException):
        return MailError(f"{where} refused the message ({exc.smtp_code} {_reply_text(exc.smtp_error)})")
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return MailError(f"{where} closed the connection unexpectedly")
    if isinstance(exc, smtplib.SMTPException):
        return MailError(f"SMTP error with {where}: {exc}")
    if isinstance(exc, OSError):
        return MailError(f"cannot connect to {where}: {exc.strerror or exc}")
    return MailError(f"SMTP error with {where}: {exc}")


def _redact(error: MailError, secret: str, user: str = "") -> MailError:
    # Belt and braces: no code path above formats the password, but a server
    # could echo it back in a reply we quote, plain or as the base64 of an AUTH line.
    text = str(error)
    if not secret:
        return error
    forms = {secret, base64.b64encode(secret.encode("utf-8")).decode("ascii")}
    forms.add(base64.b64encode(f"\0{user}\0{secret}".encode()).decode("ascii"))
    redacted = text
    for form in sorted(forms, key=len, reverse=True):
        redacted = redacted.replace(form, "***")
    if redacted == text:
        return error
    return type(error)(redacted, exit_code=error.exit_code)


def send_message(
    message: EmailMessage,
    settings: SmtpSettings,
    *,
    recipients: Sequence[str],
    environ: Mapping[str, str] | None = None,
    before_data: BeforeData | None = None,
) -> SendReport:
    """Deliver ``message`` to ``recipients`` (envelope addresses) over SMTP.

    STARTTLS and implicit TLS verify the server certificate (``settings.cafile``
    adds a private CA). Logs in only when ``settings.user`` is set, with the
    password from ``environ[settings.password_env]`` (default ``os.environ``).
    Returns a :class:`SendReport`; if some recipients are refused the rest still
    get the message and the report lists the refused ones. Raises
    :class:`MailError` when nothing was delivered, and
    :class:`DeliveryUnknownError` when the message was sent but its answer never
    came (a timeout or a dropped connection after DATA). ``before_data`` is
    called just before DATA, so a caller can record the attempt first.
    """
    environ = os.environ if environ is None else environ
    envelope_to = [_addr_spec(validate_address(r)) for r in recipients]
    if not envelope_to:
        raise MailError("no recipient: give at least one To address", exit_code=EXIT_USAGE)
    sender_header = message.get("From")
    sender = settings.sender or (str(sender_header) if sender_header else "")
    if not sender:
        raise MailError("no sender address: set BRIEFING_MAIL_FROM", exit_code=EXIT_USAGE)
    envelope_from = _addr_spec(validate_address(sender, allow_display_name=True))

    password = ""
    if settings.user:
        password = environ.get(settings.password_env, "")
        if not password:
            raise MailError(
                f"SMTP user {settings.user} is set but {settings.password_env} is empty",
                exit_code=EXIT_USAGE,
            )
        if settings.security == "none" and not _is_loopback(settings.host):
            raise MailError(
                f"refusing to send the SMTP password to {settings.where} without TLS (security = none)",
                exit_code=EXIT_USAGE,
            )
    context = _tls_context(settings) if settings.security != "none" else None
    message_id = str(message.get("Message-ID", ""))

    smtp: smtplib.SMTP | None = None
    data_sent = False
    try:
        smtp = _connect(settings, context)
        if settings.user:
            _login(smtp, settings.user, password, settings.where)
        send_data = smtp.data

        def data(msg: Any) -> tuple[int, bytes]:
            nonlocal data_sent
            if before_data is not None:
                before_data(message_id, envelope_to)
            data_sent = True
            return send_data(msg)

        smtp.data = data  # type: ignore[method-assign]
        refused_map = smtp.send_message(message, from_addr=envelope_from, to_addrs=envelope_to)
    except MailError as exc:
        raise _redact(exc, password, settings.user or "") from None
    except (OSError, smtplib.SMTPException) as exc:
        # "from None": the chained smtplib exception can carry server replies
        # into tracebacks; our one line says what matters.
        error = _delivery_error(exc, settings)
        if data_sent and not isinstance(exc, smtplib.SMTPResponseException):
            # The message went out; whether the server kept it is unknown.
            error = DeliveryUnknownError(
                f"{error}; the message ({message_id}) was sent but not confirmed, so it may have been"
                " delivered: not sending it again on its own"
            )
        raise _redact(error, password, settings.user or "") from None
    finally:
        if smtp is not None:
            # The message is already accepted (or not); a failing QUIT changes nothing.
            with contextlib.suppress(OSError, smtplib.SMTPException):
                smtp.quit()
            smtp.close()

    refused = _refused(refused_map)
    refused_set = {r.address for r in refused}
    report = SendReport(
        message_id=message_id,
        server=settings.where,
        accepted=tuple(a for a in envelope_to if a not in refused_set),
        refused=refused,
    )
    logger.info(
        "sent %s via %s to %d recipient(s), %d refused",
        message_id,
        settings.where,
        len(report.accepted),
        len(report.refused),
    )
    return report


REQUIRED_FILES = ("brief.json", "brief.pdf")


@dataclass(frozen=True)
class MailJob:
    """A request to email a brief, fully validated before any file is read or socket opened.

    Build one with :meth:`from_options` (this is where bad addresses, subjects
    and settings are refused), then :meth:`run` it on a built brief directory.
    ``settings`` is ``None`` for a dry run, which writes ``dry_run`` instead.
    """

    sender: str
    to: tuple[str, ...]
    cc: tuple[str, ...] = ()
    subject: str | None = None
    settings: SmtpSettings | None = None
    dry_run: Path | None = None

    @classmethod
    def from_options(
        cls,
        *,
        to: Sequence[str],
        cc: Sequence[str] = (),
        subject: str | None = None,
        sender: str | None = None,
        dry_run: Path | str | None = None,
        environ: Mapping[str, str],
        base: Mapping[str, object] | None = None,
    ) -> MailJob:
        """Validate a request; SMTP settings come from ``environ`` (and ``base``) unless dry-run.

        Raises :class:`MailError` (exit 2) for anything wrong with the request.
        """
        to_list, cc_list = validate_recipients(to, cc)
        checked_subject = validate_subject(subject) if subject is not None else None
        if dry_run is not None:
            return cls(
                sender=sender_from_env(environ, sender),
                to=tuple(to_list),
                cc=tuple(cc_list),
                subject=checked_subject,
                dry_run=Path(dry_run),
            )
        settings = SmtpSettings.from_env(environ, base=base, sender=sender)
        if not settings.sender:
            raise MailError(f"no sender address: set {ENV_MAIL_FROM} or pass --from", exit_code=EXIT_USAGE)
        return cls(
            sender=settings.sender,
            to=tuple(to_list),
            cc=tuple(cc_list),
            subject=checked_subject,
            settings=settings,
        )

    def run(
        self, brief_dir: Path | str, *, environ: Mapping[str, str] | None = None,
        before_data: BeforeData | None = None,
    ) -> SendReport:
        """Build the message from ``brief_dir`` and send it (or write the .eml for a dry run).

        ``before_data`` is passed to :func:`send_message`.
        """
        # Shared lock: a build writing into the folder meanwhile cannot give us half its files.
        with folder_lock(Path(brief_dir), shared=True):
            message = build_message(brief_dir, sender=self.sender, to=self.to, cc=self.cc, subject=self.subject)
        message_id = str(message["Message-ID"])
        if self.settings is None:
            target = write_eml(message, self.dry_run or Path(brief_dir) / "brief.eml")
            return SendReport(message_id=message_id, server=None, accepted=(), saved_to=target)
        return send_message(message, self.settings, recipients=[*self.to, *self.cc], environ=environ,
                            before_data=before_data)
