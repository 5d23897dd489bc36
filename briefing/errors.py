"""Every error class and exit code of Briefing, in one place (issue 17).

Errors are raised deep in the pipeline and turned into one ``error:`` line and
an exit code by the CLI (``briefing.cli.handle_errors``). Each class carries
its ``exit_code``; :data:`EXIT_CODES` is the one table of what each code means
(README "Exit codes" prints it; a test checks they agree).
"""

from __future__ import annotations

#: Done: the brief was written (skipped sources are warnings), every topic ok, every recipient reached.
EXIT_OK = 0
#: Could not write, render or send; a daily run with no topic ok. Nothing partial is left behind.
EXIT_FAILED = 1
#: Usage: a bad option or config, a missing path, no usable source; nothing was written or sent.
EXIT_USAGE = 2
#: Partly done: some daily topics failed (others ok), or some email recipients were refused.
EXIT_PARTIAL = 3
#: ``daily``: another run for the same date holds the lock; nothing was touched.
EXIT_LOCKED = 5
#: Interrupted (Ctrl-C, 128 + SIGINT); outputs are written atomically, so no brief is half-written.
EXIT_INTERRUPTED = 130
#: Terminated (SIGTERM, 128 + 15); as for Ctrl-C.
EXIT_TERMINATED = 143

#: The one table of exit codes: code -> meaning, for every command.
EXIT_CODES: dict[int, str] = {
    EXIT_OK: "brief written (some sources may have been skipped, each with a warning); "
             "`daily`: every topic ok; `send`: sent to every recipient",
    EXIT_FAILED: "could not write, render or send the brief (nothing partial was left behind); "
                 "`daily`: no topic is ok",
    EXIT_USAGE: "usage error, bad config, missing path, or no usable source at all; nothing was written or sent",
    EXIT_PARTIAL: "`daily`: some topics failed, others are ok; `send`/`--email`: some recipients refused",
    EXIT_LOCKED: "`daily`: another run for the same date is in progress; nothing was touched",
    EXIT_INTERRUPTED: "interrupted (Ctrl-C); no partial brief was written",
    EXIT_TERMINATED: "terminated (SIGTERM); no partial brief was written",
}


class BriefingError(Exception):
    """Base class; ``exit_code`` is what the CLI exits with."""

    exit_code = EXIT_FAILED


class UsageError(BriefingError):
    """The caller asked for something impossible (bad option value, missing path)."""

    exit_code = EXIT_USAGE


class SourceError(BriefingError):
    """One source cannot be used. The batch skips it with a warning naming it."""

    def __init__(self, where: str, reason: str) -> None:
        from briefing.display import safe_name

        # File names and feed links may hold newlines, terminal escapes or undecodable bytes.
        where, reason = safe_name(where), safe_name(reason)
        super().__init__(f"skipped {where}: {reason}")
        self.where = where
        self.reason = reason


class NoUsableSourceError(BriefingError):
    """Every source was skipped, or none was given."""

    exit_code = EXIT_USAGE

    @classmethod
    def all_skipped(cls, count: int) -> NoUsableSourceError:
        """Every one of ``count`` named inputs was skipped (the warnings say why)."""
        return cls(f"no usable source: all {count} input{'s were' if count != 1 else ' was'} skipped")


class EmptyBriefError(NoUsableSourceError):
    """The sources were read but not one sentence could be an item (headlines only, fragments)."""

    @classmethod
    def no_items(cls, count: int) -> EmptyBriefError:
        return cls(
            f"no usable sentence: the brief from {count} source{'s' if count != 1 else ''} would have"
            " 0 items (nothing but headlines or fragments?); nothing was written"
        )


class OutputError(BriefingError):
    """An output file could not be written; earlier outputs are left untouched."""

    exit_code = EXIT_FAILED


class RenderError(BriefingError):
    """The brief could not be rendered (e.g. nothing fits on one page)."""

    exit_code = EXIT_FAILED


class ConfigError(BriefingError):
    """The config file cannot be read or does not follow the schema (one line, exit 2)."""

    exit_code = EXIT_USAGE


class PreviousBriefError(BriefingError):
    """A previous brief.json cannot be read or is not a brief (exit 2 for ``build --previous``)."""

    exit_code = EXIT_USAGE


class LockedError(BriefingError):
    """Another daily run for the same date holds the lock (exit 5); nothing was touched."""

    exit_code = EXIT_LOCKED


class MailError(BriefingError):
    """A brief could not be emailed; the message is one line, ``exit_code`` says why.

    2: the request is unusable (bad address, missing setting, no brief), nothing sent;
    1: delivery failed (connection, TLS, login, every recipient refused).
    Partial delivery is not an error: see ``briefing.mail.SendReport.refused`` (exit 3).
    """

    def __init__(self, message: str, *, exit_code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class DeliveryUnknownError(MailError):
    """The message was sent (DATA) but no answer came: it may or may not have been delivered.

    Sending again could deliver it twice, so callers record the attempt and do
    not resend on their own (``daily`` needs ``--resend``).
    """
