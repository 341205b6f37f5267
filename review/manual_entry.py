"""Enter a model no scraper found: a validated form appended to `seeds/decisions/manual_models.csv`.

The estimation models read the seed through int_model_specs_joined (a person's entry wins
over the curated specs for the same model; a later entry for the same model supersedes an
earlier one). Nothing a person entered may vanish: a name the identity rule would drop (a
placeholder, a bare family name, no letters at all) or merge with another developer's entry is
refused when it is typed and when the seed is read before a build. Every value is validated by
the pydantic model below, whether it came from the interactive form (a bad answer is explained
and asked again) or from flags.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import questionary
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from kernel.model_names import Resolution, resolve_names
from kernel.paths import curated_seeds_dir, decisions_dir
from review.decisions import now_utc
from review.seedfile import SeedFileError, describe_error, parse_seed, read_seed
from review.store import locked_append

COLUMNS = [
    "model_name",
    "developer",
    "release_date",
    "total_parameters",
    "active_parameters",
    "training_tokens",
    "hardware_type",
    "hardware_count",
    "training_time_hours",
    "training_precision",
    "disclosed_training_flop",
    "training_cost_usd",
    "architecture",
    "source_url",
    "notes",
    "entered_by",
    "entered_at",
]
SUFFIXES = {"k": 1e3, "m": 1e6, "b": 1e9, "g": 1e9, "t": 1e12}
_QUANTITY = re.compile(r"^([+-]?[0-9]*\.?[0-9]+(?:e[+-]?[0-9]+)?)\s*([kmbgt]?)$", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")
REQUIRED = ("model_name", "developer", "source_url", "entered_by", "entered_at")
# Upper bounds that catch a unit slip (parameters typed in units instead of billions, ...).
LIMITS = {
    "total_parameters": 1e15,
    "active_parameters": 1e15,
    "training_tokens": 1e17,
    "hardware_count": 10_000_000,
    "training_time_hours": 100_000,
    "disclosed_training_flop": 1e30,
    "training_cost_usd": 1e12,
}


class ManualEntryError(SeedFileError):
    """manual_models.csv is malformed; the message names the line."""


def parse_quantity(value: object) -> object:
    """'405B' -> 4.05e11, '15T' -> 1.5e13, '3.8e25', '70,000,000' -> numbers; '' -> None."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace("_", "")
        if not text:
            return None
        match = _QUANTITY.match(text)
        if not match:
            raise ValueError("not a number (write e.g. 405B, 1.8T, 3.8e25 or 70000000000)")
        return float(match.group(1)) * SUFFIXES.get(match.group(2).lower(), 1.0)
    return value


class ManualModel(BaseModel):
    """A model entered by hand, with what is known about its training."""

    model_config = ConfigDict(str_strip_whitespace=True, frozen=True)

    model_name: str = Field(min_length=1, max_length=200)
    developer: str = Field(min_length=1, max_length=200)
    release_date: date | None = None
    total_parameters: float | None = Field(default=None, gt=0)
    active_parameters: float | None = Field(default=None, gt=0)
    training_tokens: float | None = Field(default=None, gt=0)
    hardware_type: str | None = Field(default=None, max_length=200)
    hardware_count: int | None = Field(default=None, gt=0)
    training_time_hours: float | None = Field(default=None, gt=0)
    training_precision: Literal["fp32", "tf32", "fp16", "bf16", "fp8"] | None = None
    disclosed_training_flop: float | None = Field(default=None, gt=0)
    training_cost_usd: float | None = Field(default=None, gt=0)
    architecture: Literal["dense", "moe"] | None = None
    source_url: str = Field(min_length=1, max_length=2000)
    notes: str | None = Field(default=None, max_length=2000)
    entered_by: str = Field(min_length=1)
    entered_at: datetime

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object, info: ValidationInfo) -> object:
        if isinstance(value, str) and not value.strip():
            if info.field_name in REQUIRED:
                raise ValueError("is required")
            return None
        return value

    @field_validator("model_name", "developer", "hardware_type", "notes", "entered_by", "source_url")
    @classmethod
    def _printable(cls, value: str | None) -> str | None:
        if value is not None and _CONTROL.search(value):
            raise ValueError("contains control characters")
        return value

    @field_validator(
        "total_parameters",
        "active_parameters",
        "training_tokens",
        "hardware_count",
        "training_time_hours",
        "disclosed_training_flop",
        "training_cost_usd",
        mode="before",
    )
    @classmethod
    def _quantity(cls, value: object, info: ValidationInfo) -> object:
        number = parse_quantity(value)
        if isinstance(number, int | float) and number <= 0:
            raise ValueError("must be greater than zero")
        if info.field_name == "hardware_count" and isinstance(number, float):
            if number != int(number):
                raise ValueError("must be a whole number of accelerators")
            number = int(number)
        return number

    @field_validator(
        "total_parameters",
        "active_parameters",
        "training_tokens",
        "hardware_count",
        "training_time_hours",
        "disclosed_training_flop",
        "training_cost_usd",
    )
    @classmethod
    def _plausible(cls, value: float | None, info: ValidationInfo) -> float | None:
        limit = LIMITS[info.field_name]
        if value is not None and value > limit:
            raise ValueError(f"{value:.3g} is more than {limit:.0e}: check the unit (405B means 405 billion)")
        return value

    @field_validator("active_parameters")
    @classmethod
    def _active_within_total(cls, value: float | None, info: ValidationInfo) -> float | None:
        total = info.data.get("total_parameters")
        if value is not None and total is not None and value > total:
            raise ValueError(f"active parameters ({value:.3g}) cannot exceed total parameters ({total:.3g})")
        return value

    @field_validator("training_precision", "architecture", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return (value.strip().lower() or None) if isinstance(value, str) else value

    @field_validator("release_date", mode="before")
    @classmethod
    def _iso_date(cls, value: object) -> object:
        if isinstance(value, str):
            if not value.strip():
                return None
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                raise ValueError("not a date: write YYYY-MM-DD") from None
        return value

    @field_validator("release_date")
    @classmethod
    def _not_far_future(cls, value: date | None) -> date | None:
        if value is not None:
            if value > date.today() + timedelta(days=365):
                raise ValueError(f"{value} is more than a year in the future")
            if value.year < 1950:
                raise ValueError(f"{value} is before 1950")
        return value

    @field_validator("source_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme.lower() not in {"http", "https"} or not parts.netloc or " " in value:
            raise ValueError("must be an http:// or https:// address of the page stating these facts")
        return value

    @field_validator("entered_at", mode="before")
    @classmethod
    def _timestamp(cls, value: object) -> object:
        if isinstance(value, str):
            return datetime.fromisoformat(value.strip())
        return value

    def row(self) -> list[object]:
        values = self.model_dump()
        out: list[object] = []
        for column in COLUMNS:
            v = values[column]
            if isinstance(v, float):
                v = f"{v:.6g}"
            elif isinstance(v, datetime):
                v = v.strftime("%Y-%m-%d %H:%M:%S")
            elif isinstance(v, date):
                v = v.isoformat()
            out.append(v)
        return out

    def warnings(self) -> list[str]:
        """What the estimation will not be able to do with this entry (not errors)."""
        notes = []
        facts = (self.total_parameters, self.training_tokens, self.hardware_count, self.disclosed_training_flop)
        if all(v is None for v in facts) and self.training_cost_usd is None:
            notes.append("no parameters, tokens, hardware or disclosed compute: the model may get no estimate")
        if self.hardware_type and self.hardware_type not in known_hardware():
            notes.append(
                f"hardware {self.hardware_type!r} is not in seeds/curated/hardware_specs.csv: "
                "the hardware method cannot use it"
            )
        if self.total_parameters and self.training_tokens and not self.architecture and not self.active_parameters:
            notes.append("architecture unknown and no active parameters: operation counting needs one of them")
        return notes


def known_hardware() -> list[str]:
    path = curated_seeds_dir() / "hardware_specs.csv"
    if not path.exists():
        return []
    with open(path, encoding="utf-8", newline="") as handle:
        return [row["hardware_type"] for row in csv.DictReader(handle)]


def manual_models_path() -> Path:
    return decisions_dir() / "manual_models.csv"


def read_manual_models(path: Path | None = None) -> list[ManualModel]:
    """Every entry of the seed; a malformed line, or an entry identity would drop or merge, is an error."""
    path = path or manual_models_path()
    try:
        records = read_seed(path, COLUMNS, ManualModel)
    except SeedFileError as exc:
        raise ManualEntryError(str(exc)) from None
    problems = identity_problems(records)
    if problems:
        line, why = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise ManualEntryError(f"{path}: line {line}: model_name: {why}{more}")
    return [m for _, m in records]


def _dropped(resolution: Resolution) -> str | None:
    """Why the identity rule drops a name, in a person's terms (None when it names a model)."""
    if not resolution.is_excluded:
        return None
    if resolution.model_id == "":
        return f"{resolution.raw_name!r} has no letter or digit to make a model id of: enter the model's own name"
    return (
        f"{resolution.raw_name!r} becomes model id {resolution.model_id!r}, which is dropped "
        f"({resolution.exclusion_reason}): enter the model's own name"
    )


def name_problem(name: str) -> str | None:
    """Why a manual entry of this name would vanish from the dataset (None when it names a model).

    The name is resolved by the identity models' own rule (kernel.model_names runs the dbt macros
    on the curated seeds), so what is accepted here is exactly what the build keeps.
    """
    (resolution,) = resolve_names([("manual_models", name.strip())])
    return _dropped(resolution)


def identity_problems(records: list[tuple[int, ManualModel]]) -> list[tuple[int, str]]:
    """(line, why) for each entry that the build would drop or merge with another developer's entry.

    A name that becomes an excluded or empty id would vanish; two entries by different developers
    that meet at one model_id would leave only the later one (a later entry for a model supersedes an
    earlier one), so the later is refused, naming the earlier. The same developer entering the same
    model again is an update, as before.
    """
    resolutions = resolve_names([("manual_models", m.model_name) for _, m in records])
    problems: list[tuple[int, str]] = []
    first: dict[str, tuple[int, ManualModel]] = {}
    for (line, entry), resolution in zip(records, resolutions, strict=True):
        why = _dropped(resolution)
        if why is None and resolution.model_id in first:
            earlier_line, earlier = first[resolution.model_id]
            if earlier.developer.casefold() != entry.developer.casefold():
                why = (
                    f"{entry.model_name!r} ({entry.developer}) becomes model id {resolution.model_id!r}, as "
                    f"{earlier.model_name!r} ({earlier.developer}) on line {earlier_line} does: name the two "
                    "models apart (e.g. with the developer's name)"
                )
        if why is not None:
            problems.append((line, why))
        else:
            first.setdefault(resolution.model_id, (line, entry))
    return problems


def validate_entry(values: dict[str, Any]) -> ManualModel:
    """A ManualModel from raw values; ValidationError lists every bad field."""
    return ManualModel.model_validate(values)


def field_error(values: dict[str, Any], field: str) -> str | None:
    """The message for `field` alone given the answers so far (other fields' problems ignored)."""
    try:
        ManualModel.model_validate(values)
    except ValidationError as exc:
        mine = [e for e in exc.errors() if e["loc"] and e["loc"][0] == field and e["type"] != "missing"]
        if mine:
            return mine[0]["msg"].removeprefix("Value error, ")
    return None


def append_manual_model(entry: ManualModel, path: Path | None = None) -> None:
    """Append atomically under the lock, after validating the file as it is now with the new entry.

    ManualEntryError when the file is malformed, or when identity would drop the new entry or
    merge it with another developer's (the message says which; nothing is written).
    """
    path = path or manual_models_path()

    def check(current: str) -> None:
        try:
            records = parse_seed(current, str(path), COLUMNS, ManualModel)
        except SeedFileError as exc:
            raise ManualEntryError(str(exc)) from None
        new_line = len(current.splitlines()) + 1 if current else 2
        for line, why in identity_problems([*records, (new_line, entry)]):
            if line == new_line:
                raise ManualEntryError(f"not saved: model_name: {why}")
            raise ManualEntryError(f"{path}: line {line}: model_name: {why}")
        return None

    locked_append(path, COLUMNS, entry.row(), check)


# ---------------------------------------------------------------- interactive form

FORM: list[tuple[str, str]] = [
    ("model_name", "Model name:"),
    ("developer", "Developer:"),
    ("release_date", "Release date (YYYY-MM-DD; Enter if unknown):"),
    ("total_parameters", "Total parameters (e.g. 405B, 1.8T, 7e10; Enter if unknown):"),
    ("active_parameters", "Active parameters per token (MoE only; Enter if dense or unknown):"),
    ("training_tokens", "Training tokens (e.g. 15T; Enter if unknown):"),
    ("hardware_type", "Training hardware (e.g. NVIDIA H100 SXM5 80GB; Enter if unknown):"),
    ("hardware_count", "Number of accelerators (Enter if unknown):"),
    ("training_time_hours", "Training time in hours (Enter if unknown):"),
    ("disclosed_training_flop", "Disclosed training compute in FLOP (e.g. 3.8e25; Enter if not disclosed):"),
    ("source_url", "Source URL (http:// or https://):"),
    ("notes", "Notes (Enter to skip):"),
]


class FormPrompts:
    """The questions of the manual-entry form; `input`/`output` let tests drive it without a terminal."""

    def __init__(self, **io: Any) -> None:
        self.io = io

    def text(self, message: str, validate: Callable[[str], bool | str]) -> str:
        return questionary.text(message, validate=validate, **self.io).unsafe_ask()

    def architecture(self) -> str | None:
        choice = questionary.select(
            "Architecture:",
            choices=[
                questionary.Choice("dense", value="dense", shortcut_key="d"),
                questionary.Choice("mixture of experts (moe)", value="moe", shortcut_key="m"),
                questionary.Choice("unknown", value="", shortcut_key="u"),
            ],
            default="",
            use_shortcuts=True,
            **self.io,
        ).unsafe_ask()
        return choice or None

    def confirm(self, message: str) -> bool:
        return bool(questionary.confirm(message, default=True, auto_enter=False, **self.io).unsafe_ask())


def run_form(prompts: FormPrompts, entered_by: str, print_line: Callable[[str], None]) -> ManualModel | None:
    """Ask every field (a bad answer is explained and asked again); None when the person declines to save."""
    values: dict[str, Any] = {"entered_by": entered_by, "entered_at": now_utc()}
    for field, message in FORM:

        def check(text: str, field: str = field) -> bool | str:
            error = field_error({**values, field: text}, field)
            if error is None and field == "model_name" and text.strip():
                error = name_problem(text)
            return True if error is None else error

        values[field] = prompts.text(message, check)
        if field == "active_parameters":
            values["architecture"] = "moe" if (values[field] or "").strip() else None
        if field == "training_tokens" and values.get("architecture") is None:
            values["architecture"] = prompts.architecture()
    try:
        entry = validate_entry(values)
    except ValidationError as exc:  # every field was checked; this is a safety net
        print_line(f"Not saved: {describe_error(exc)}")
        return None
    for warning in entry.warnings():
        print_line(f"Note: {warning}")
    if not prompts.confirm(f"Save {entry.model_name} ({entry.developer}) to manual_models.csv?"):
        return None
    return entry
