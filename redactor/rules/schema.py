"""The rule file's schema (version 1): strict pydantic models, unknown keys refused.

Validation only; :mod:`redactor.rules.parse` turns a validated file into compiled values and
maps validation errors back to YAML lines and columns.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from redactor.rules.selectors import schema_fields


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class DocumentModel(_Strict):
    """Identity of the source, printed on the cover sheet."""

    number: str
    dated: str | dt.date
    classification: str = ""
    subject: str
    codes: list[str] = Field(default_factory=list)


class ReleaseModel(_Strict):
    """The decision the rule file records."""

    extract: int = Field(ge=1)
    date: str | dt.date
    place: str
    issuer: str
    new_status: str = "Public"
    language: str = "en"


class MarkingModel(_Strict):
    """A find/replace applied to every kept page."""

    find: str = Field(min_length=1)
    replace: str = ""


class PlaceholdersModel(_Strict):
    """Placeholder wording; None means the language's default."""

    per: Literal["block", "run"] = "block"
    conceal: Literal["line"] | None = None  # for every withhold rule, as the top-level key
    inline: str | None = None
    page: str | None = None
    pages: str | None = None
    tail: str | None = None


class HeadingModel(_Strict):
    """A heading declaration."""

    match: str
    level: int = Field(ge=1, le=9)
    ignore_case: bool = False


if TYPE_CHECKING:

    class SelectorModel(_Strict):
        """The keys of a release:/withhold: selector."""

else:
    #: The keys of a release:/withhold: selector: every selector kind's own fields.
    SelectorModel = create_model("SelectorModel", __base__=_Strict, **schema_fields())


class CondenseModel(_Strict):
    """A page range whose released parts are laid out again."""

    pages: str | int


class RuleModel(_Strict):
    """One rule."""

    id: str = Field(min_length=1)
    release: SelectorModel | None = None
    withhold: SelectorModel | None = None
    condense: CondenseModel | None = None
    reason: str | None = None
    optional: bool = False
    ignore_case: bool = False
    conceal: Literal["line"] | None = None
    placeholder: Literal["inline"] | None = None  # withheld page runs shown as one inline mark
    note: str | None = None


class RuleFileModel(_Strict):
    """The whole file."""

    version: Literal[1]
    document: DocumentModel
    release: ReleaseModel
    markings: list[MarkingModel] = Field(default_factory=list)
    placeholders: PlaceholdersModel = Field(default_factory=PlaceholdersModel)
    reasons: dict[str, str] = Field(default_factory=dict)
    headings: list[HeadingModel] = Field(default_factory=list)
    default: Literal["withhold"] = "withhold"
    conceal: Literal["line"] | None = None
    rules: list[RuleModel] = Field(min_length=1)
