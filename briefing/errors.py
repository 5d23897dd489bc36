"""Domain errors. Raised deep in the pipeline, turned into one-line messages by the CLI."""

from __future__ import annotations


class BriefingError(Exception):
    """Base class; ``exit_code`` is what the CLI exits with."""

    exit_code = 1


class UsageError(BriefingError):
    """The caller asked for something impossible (bad option value, missing path)."""

    exit_code = 2


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

    exit_code = 2

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

    exit_code = 1


class RenderError(BriefingError):
    """The brief could not be rendered (e.g. nothing fits on one page)."""

    exit_code = 1
