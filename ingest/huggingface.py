"""Hugging Face Hub: exact parameter counts, architecture and expert counts of open-weight models.

Shapes, detected from the content:
- the Hub's model API document, `GET {base}/api/models/{repo_id}` (one model: `id`,
  `safetensors.total` and `safetensors.parameters` per dtype, `config.architectures`,
  `config.model_type`, `cardData`, ...), or a listing of such documents;
- the offline copy `hf_models_param_counts_*.json` (llmfit's list of models: `name`,
  `parameters_raw`, `architecture` = the config's model_type, and for MoE models
  `num_experts`, `active_experts`, `active_parameters`).

There is no single live URL: `fetch_models` fetches the API document of the repositories
the estimation stage names, and `ingest_models` stores and loads each one.

Active parameters of a mixture-of-experts model (see `moe_active_parameters`):

    active = total - (E - k) * L_moe * 3 * h * d_expert

total is the safetensors count; E experts per MoE layer (num_local_experts, num_experts,
n_routed_experts or moe_num_experts), k experts per token (num_experts_per_tok or moe_k),
h hidden_size, d_expert moe_intermediate_size (else intermediate_size, which is what
Mixtral-style configs use for the experts), and 3 the gate, up and down matrices of a gated
(SwiGLU) expert. L_moe counts the layers that hold experts: num_hidden_layers plus any
multi-token-prediction layers stored in the checkpoint (num_nextn_predict_layers), less the
dense ones (first_k_dense_replace, moe_layer_freq, decoder_sparse_step, mlp_only_layers,
interleave_moe_layer_step, or an explicit moe_layers list). Shared experts, attention,
embeddings and routers are always active, so they stay in. Only inactive routed experts
are subtracted, which keeps the result exact wherever the total is.

Where a size is missing (the API document's `config` is a trimmed copy of config.json and
usually lacks hidden_size), or the weights are packed by a quantisation method that makes
the safetensors count differ from the parameter count (AWQ, GPTQ, bitsandbytes, mxfp4...),
active stays null: nothing is guessed.

Because the API trims the config, each tracked repository's own `config.json` and model card (`README.md`) are
fetched too (`fetch_repo_files`, `ingest_repo_files`), with `huggingface_hub` rather than our HTTP client: it builds
the Hub's resolve URLs, follows the Hub's relative redirects, reads the commit the file was served at, retries
the Hub's 429/5xx, sends `HF_TOKEN` where one is set (so gated repositories a user has accepted can be read) and
tells a gated repository, a missing one and a missing file apart. Each file is a capture of its own, its origin the
resolve URL at the commit served, parsed by `config_row` (parameters counted in `ingest.hub_params`) and
`card_rows` (statements read in `ingest.hub_cards`) into raw.huggingface_configs, raw.huggingface_cards and
raw.huggingface_card_statements.
"""

from __future__ import annotations

import json
import os
import re
import socket
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import quote, urlsplit

import yaml

from ingest import captures as capture_store
from ingest.base import (
    CaptureMeta,
    Contract,
    IngestError,
    Name,
    OptionalPastDate,
    OptionalPastDatetime,
    ParameterCount,
    Parsed,
    Record,
    Source,
    build_records,
    decode_text,
    expected,
    optional,
    read_capture,
    required,
)
from ingest.http import HttpClient
from ingest.hub_cards import statements as card_statements
from ingest.hub_params import ConfigCountError, count_parameters
from ingest.hub_params import as_int as _int
from ingest.loader import LOADED, load, record_failure
from ingest.runner import Ingestor, RunResult, fetch_conditionally, parse_capture
from kernel import __version__
from kernel.text import clean_terminal

HUB_BASE_URL = "https://huggingface.co"
HUB_BASE_URL_ENV = "FLOP_TRACKER_HF_BASE_URL"
HUB_FILES = ("config.json", "README.md")
# A file served by the Hub at a revision: {base}/{owner}/{name}/resolve/{revision}/{file}
_HUB_FILE_URL = re.compile(r"/(?P<repo>[^/]+/[^/]+)/resolve/(?P<revision>[^/]+)/(?P<file>config\.json|README\.md)$")
MAX_CONFIG_JSON = 200_000
_REPO_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$")

EXPERT_COUNT_KEYS = ("num_local_experts", "num_experts", "n_routed_experts", "moe_num_experts")
EXPERTS_PER_TOKEN_KEYS = ("num_experts_per_tok", "moe_k", "num_experts_per_token")
SHARED_EXPERT_KEYS = ("n_shared_experts", "num_shared_experts", "moe_num_shared_experts")
# Quantisation methods whose safetensors hold one stored element per parameter (plus small
# scale tensors); any other method packs several parameters per element.
UNPACKED_QUANT = {"fp8", "fbgemm_fp8"}
GATED_EXPERT_MATRICES = 3


class HuggingFaceModel(Record):
    """One repository as the Hub (or an offline copy of it) describes it."""

    repo_id: Name
    author: str | None = None
    total_parameters: ParameterCount = None
    parameters_by_dtype: str | None = None  # JSON object {dtype: count}, as the Hub gives it
    main_dtype: str | None = None
    architecture: str | None = None
    model_type: str | None = None
    is_moe: bool | None = None
    num_experts: int | None = None
    num_experts_per_token: int | None = None
    num_shared_experts: int | None = None
    expert_intermediate_size: int | None = None
    hidden_size: int | None = None
    num_hidden_layers: int | None = None
    num_moe_layers: int | None = None
    active_parameters: ParameterCount = None
    active_parameters_method: str | None = None
    reported_active_parameters: ParameterCount = None
    context_length: int | None = None
    quantization_method: str | None = None
    pipeline_tag: str | None = None
    library_name: str | None = None
    license: str | None = None
    base_models: str | None = None
    downloads: int | None = None
    likes: int | None = None
    created_at: OptionalPastDatetime = None
    last_modified: OptionalPastDatetime = None
    release_date: OptionalPastDate = None
    revision_sha: str | None = None
    capture_format: str


class HuggingFaceConfig(Record):
    """A repository's config.json, with the parameters counted from it (ingest.hub_params)."""

    repo_id: Name
    revision: str | None = None
    model_type: str | None = None
    architecture: str | None = None
    is_moe: bool | None = None
    total_parameters: ParameterCount = None
    active_parameters: ParameterCount = None
    active_parameters_with_embedding: ParameterCount = None
    active_parameters_low: ParameterCount = None
    active_parameters_high: ParameterCount = None
    input_embedding_parameters: int | None = None
    mtp_parameters: int | None = None
    num_experts: int | None = None
    num_experts_per_token: int | None = None
    num_shared_experts: int | None = None
    expert_intermediate_size: int | None = None
    hidden_size: int | None = None
    num_hidden_layers: int | None = None
    num_moe_layers: int | None = None
    vocab_size: int | None = None
    attention: str | None = None
    quantization_method: str | None = None
    torch_dtype: str | None = None
    count_method: str | None = None
    conventions: str | None = None
    count_error: str | None = None
    config_json: str


class HuggingFaceCard(Record):
    """A repository's model card: its YAML metadata and how many statements were read from it."""

    repo_id: Name
    revision: str | None = None
    license: str | None = None
    base_models: str | None = None
    pipeline_tag: str | None = None
    tags: str | None = None
    languages: str | None = None
    title: str | None = None
    text_chars: int
    statements: int
    metadata_error: str | None = None


class HuggingFaceCardStatement(Record):
    """One figure a card states (ingest.hub_cards), with the sentence it came from."""

    repo_id: Name
    revision: str | None = None
    statement_index: int
    kind: str
    value: float
    accelerator: str | None = None
    qualifier: str | None = None
    scope: str | None = None
    sentence: str


# -- fetching -----------------------------------------------------------------------------------
def hub_base_url(base_url: str | None = None) -> str:
    """The Hub to ask: the argument, else $FLOP_TRACKER_HF_BASE_URL, else huggingface.co."""
    return (base_url or os.environ.get(HUB_BASE_URL_ENV) or HUB_BASE_URL).rstrip("/")


def model_api_url(repo_id: str, base_url: str | None = None) -> str:
    """`{base}/api/models/{owner}/{name}` for a repository id; refuses anything else."""
    repo_id = repo_id.strip()
    if not _REPO_ID.match(repo_id):
        raise IngestError(f"{repo_id[:80]!r} is not a Hugging Face repository id (owner/name)")
    return f"{hub_base_url(base_url)}/api/models/{quote(repo_id, safe='/')}"


@dataclass(frozen=True)
class FetchedModel:
    """The API document of one repository, or why it could not be had.

    `not_modified`: the Hub answered 304 to the validators of the stored capture, whose bytes are `content`.
    """

    repo_id: str
    url: str
    content: bytes | None = None
    error: str | None = None
    not_modified: bool = False


def _api_urls(repo_ids: Iterable[str], base_url: str | None) -> Iterator[tuple[str, str, str | None]]:
    """(repo_id, API URL, None) per distinct repository, or (repo_id, "", why) for an id that is none."""
    for repo_id in dict.fromkeys(r.strip() for r in repo_ids):
        try:
            yield repo_id, model_api_url(repo_id, base_url), None
        except IngestError as exc:
            yield repo_id, "", str(exc)


def fetch_models(
    repo_ids: Iterable[str], client: HttpClient, base_url: str | None = None, raw_dir: Path | None = None
) -> list[FetchedModel]:
    """GET the API document of each repository; one failure never stops the others.

    Asked as `ingest_models` asks (`fetch_conditionally`): with the validators of the capture stored
    under `raw_dir` for that URL, so a 304 hands back the stored document marked `not_modified`.
    """
    out = []
    for repo_id, url, error in _api_urls(repo_ids, base_url):
        if error:
            out.append(FetchedModel(repo_id, url, error=error))
            continue
        try:
            fetched, previous = fetch_conditionally(client, raw_dir, HuggingFaceSource.name, url)
        except IngestError as exc:
            out.append(FetchedModel(repo_id, url, error=str(exc)))
            continue
        if not fetched.not_modified:
            out.append(FetchedModel(repo_id, url, content=fetched.body))
        elif previous is not None:
            out.append(FetchedModel(repo_id, url, content=previous.read(), not_modified=True))
        else:
            out.append(FetchedModel(repo_id, url, error=f"{url}: HTTP 304 to a request that was not conditional"))
    return out


def ingest_models(
    ingestor: Ingestor, repo_ids: Iterable[str], client: HttpClient, base_url: str | None = None
) -> list[RunResult]:
    """Fetch, store and load the API document of each repository; each is its own capture and run.

    Each URL is asked for conditionally (`Ingestor.ingest_url`): a 304 is an `unchanged` run, nothing stored.
    """
    source = HuggingFaceSource()
    results = []
    for repo_id, url, error in _api_urls(repo_ids, base_url):
        if error:  # nothing was fetched, so there is no run to record
            results.append(RunResult(source.name, repo_id, "failed", 0, error))
            continue
        results.append(ingestor.ingest_url(source, url, client))
    return results


# -- config.json and the model card, through huggingface_hub ----------------------------------------
def hub_endpoint(base_url: str | None = None) -> str:
    """The Hub to ask for files: the argument, $FLOP_TRACKER_HF_BASE_URL, $HF_ENDPOINT, else huggingface.co."""
    return (base_url or os.environ.get(HUB_BASE_URL_ENV) or os.environ.get("HF_ENDPOINT") or HUB_BASE_URL).rstrip("/")


def hub_file_url(repo_id: str, filename: str, revision: str = "main", base_url: str | None = None) -> str:
    """`{base}/{owner}/{name}/resolve/{revision}/{file}`, the address a capture of the file is known by."""
    model_api_url(repo_id, base_url)  # refuses anything that is not owner/name
    return f"{hub_endpoint(base_url)}/{quote(repo_id.strip(), safe='/')}/resolve/{quote(revision, safe='')}/{filename}"


@dataclass(frozen=True)
class FetchedFile:
    """One file of one repository as the Hub served it, or why not.

    status: ok | missing (no such file) | gated | not_found (no such repository, or private) | unreachable
    | refused (downloaded but over the capture size limit, or unreadable; nothing of it is kept)
    """

    repo_id: str
    filename: str
    url: str
    status: str
    content: bytes | None = None
    revision: str | None = None
    error: str = ""


def _hub_error(exc: Exception, repo_id: str, filename: str, endpoint: str) -> tuple[str, str]:
    """(status, one-line reason) for an exception huggingface_hub raised."""
    from huggingface_hub import errors

    response = getattr(exc, "response", None)
    code = f" (HTTP {response.status_code})" if response is not None else ""
    if isinstance(exc, errors.LocalEntryNotFoundError | errors.OfflineModeIsEnabled):
        cause = exc.__cause__ or exc
        text = str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__
        return "unreachable", f"{endpoint}: {clean_terminal(text, 120)}"
    if isinstance(exc, errors.GatedRepoError):
        return "gated", f"{repo_id}: gated repository: {filename} needs its terms accepted and HF_TOKEN set{code}"
    if isinstance(exc, errors.RepositoryNotFoundError):
        return "not_found", f"{repo_id}: no such repository, or a private one{code}"
    if isinstance(exc, errors.RevisionNotFoundError):
        return "not_found", f"{repo_id}: no such revision{code}"
    if isinstance(exc, errors.EntryNotFoundError):
        return "missing", f"{repo_id}: no {filename} in the repository{code}"
    if isinstance(exc, errors.HfHubHTTPError) and response is not None and response.status_code < 500:
        return "missing", f"{repo_id}: {filename}: HTTP {response.status_code}"
    cause = exc.__cause__ or exc
    text = str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__
    return "unreachable", f"{endpoint}: {clean_terminal(text, 120)}"


def _unreachable(endpoint: str, timeout: float = 5.0) -> str:
    """Why the Hub cannot be reached at all ('' when a TCP connection opens).

    huggingface_hub retries a refused or unresolvable connection with backoff (about 25 s a file); one quick
    connection first makes an offline run say "unreachable" at once instead of after minutes.
    """
    parts = urlsplit(endpoint)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((parts.hostname or "", port), timeout=timeout):
            return ""
    except OSError as exc:
        return f"{endpoint}: {clean_terminal(exc.strerror or type(exc).__name__, 120)}"


def fetch_repo_files(
    repo_ids: Iterable[str], filenames: Iterable[str] = HUB_FILES, base_url: str | None = None
) -> list[FetchedFile]:
    """Download each file of each repository at its newest revision; one failure never stops the others.

    Files go to a temporary cache that is removed afterwards, so a Hub that cannot be reached is reported as
    unreachable instead of huggingface_hub quietly answering from an old cached copy. Once the Hub is unreachable,
    the remaining files are reported unreachable without trying them (one timeout, not hundreds). hf_hub_download
    has no size bound, so each downloaded file is read through read_capture: one over the capture size limit
    ($FLOP_TRACKER_MAX_CAPTURE_MB) is refused with the saved-file message and never read into memory.
    """
    from huggingface_hub import hf_hub_download
    from huggingface_hub.utils import disable_progress_bars

    repos = list(dict.fromkeys(r.strip() for r in repo_ids))
    if not repos:
        return []
    disable_progress_bars()  # scraped progress bars would interleave with ours
    endpoint = hub_endpoint(base_url)
    files = list(filenames)
    out: list[FetchedFile] = []
    down = _unreachable(endpoint)
    with tempfile.TemporaryDirectory(prefix="flop-tracker-hub-") as cache:
        for repo_id in repos:
            for filename in files:
                try:
                    url = hub_file_url(repo_id, filename, base_url=base_url)
                except IngestError as exc:
                    out.append(FetchedFile(repo_id, filename, "", "not_found", error=str(exc)))
                    continue
                if down:
                    out.append(FetchedFile(repo_id, filename, url, "unreachable", error=down))
                    continue
                try:
                    path = Path(
                        hf_hub_download(
                            repo_id,
                            filename,
                            cache_dir=cache,
                            endpoint=endpoint,
                            etag_timeout=15,
                            user_agent=f"flop-tracker/{__version__}",
                        )  # fmt: skip
                    )
                except Exception as exc:  # huggingface_hub's errors, and whatever its HTTP stack raises
                    status, reason = _hub_error(exc, repo_id, filename, endpoint)
                    out.append(FetchedFile(repo_id, filename, url, status, error=reason))
                    down = reason if status == "unreachable" else ""
                    continue
                revision = path.parent.name  # .../snapshots/<commit>/<file>
                at_commit = hub_file_url(repo_id, filename, revision, base_url)
                try:
                    content = read_capture(path)  # the capture size limit, as for saved and live captures
                except (OSError, IngestError) as exc:
                    why = f"cannot read: {exc.strerror}" if isinstance(exc, OSError) else str(exc)
                    reason = f"{repo_id}: {filename}: {why}"
                    out.append(FetchedFile(repo_id, filename, at_commit, "refused", revision=revision, error=reason))
                    continue
                out.append(FetchedFile(repo_id, filename, at_commit, "ok", content, revision))
    return out


def ingest_repo_files(
    ingestor: Ingestor, repo_ids: Iterable[str], base_url: str | None = None, filenames: Iterable[str] = HUB_FILES
) -> list[RunResult]:
    """Fetch each repository's config.json and card and store, parse and load each as its own capture and run.

    A file the Hub does not serve is recorded as a failed run with its one-line reason (missing, gated, no such
    repository); an unreachable Hub as one unreachable run. Two repositories can serve byte-identical files (a base
    model and its instruct version often share a config): the capture is stored once, and each repository still
    gets its rows and its run, under its own origin.
    """
    source = HuggingFaceSource()
    results: list[RunResult] = []
    reported_down = False
    for fetched in fetch_repo_files(repo_ids, filenames, base_url):
        label = f"{fetched.repo_id}/{fetched.filename}"
        if fetched.status != "ok" or fetched.content is None:
            if fetched.status == "unreachable":
                if reported_down:
                    continue
                reported_down = True
            status = "unreachable" if fetched.status == "unreachable" else "failed"
            origin = hub_endpoint(base_url) if status == "unreachable" else fetched.url or label
            started = datetime.now(UTC).replace(tzinfo=None)
            record_failure(ingestor.con, source.name, origin, fetched.error, started, status=status)
            results.append(RunResult(source.name, origin, status, 0, fetched.error))
            continue
        results.append(_ingest_fetched(ingestor, source, fetched))
    return results


def _ingest_fetched(ingestor: Ingestor, source: HuggingFaceSource, fetched: FetchedFile) -> RunResult:
    started = datetime.now(UTC).replace(tzinfo=None)
    stem = fetched.repo_id.replace("/", "__") + "__" + fetched.filename
    meta = CaptureMeta(origin=fetched.url, captured_at=started, filename=stem)
    stored = capture_store.store(ingestor.paths.raw_dir, source.name, fetched.content or b"", meta)
    if stored.meta.origin == fetched.url:
        return ingestor.ingest_stored(source, stored, started)
    # The same bytes were stored for another repository: parse them as this repository's file.
    mine = capture_store.StoredCapture(stored.path, stored.sha256, meta)
    seen = ingestor.con.execute(
        "select count(*) from raw.ingest_runs where source = ? and sha256 = ? and origin = ? and status in ?",
        [source.name, stored.sha256, fetched.url, list(LOADED)],
    ).fetchone()[0]
    if seen:
        return RunResult(source.name, stem, "unchanged")
    parsed = parse_capture(source, mine)
    if parsed.error or parsed.unexpected:
        reason = f"{stem}: {parsed.error or 'unexpected ' + parsed.unexpected}"
        record_failure(ingestor.con, source.name, fetched.url, reason, started, mine)
        return RunResult(source.name, fetched.url, "failed", 0, reason)
    rows = load(ingestor.con, source, mine, parsed.tables, started, parsed.missing, parsed.data_date)
    return RunResult(source.name, stem, "degraded" if parsed.missing else "ok", rows)


# -- the active-parameter formula ---------------------------------------------------------------
def _first_int(config: dict, keys: Iterable[str]) -> int | None:
    for key in keys:
        value = _int(config.get(key))
        if value is not None:
            return value
    return None


def flatten_config(config: dict | None) -> dict:
    """Top-level config with a multimodal model's `text_config` sizes filled in beneath it."""
    config = dict(config or {})
    text = config.get("text_config")
    if isinstance(text, dict):
        for key, value in text.items():
            config.setdefault(key, value)
    return config


def moe_layer_count(config: dict) -> int | None:
    """How many layers hold routed experts, from the config's layout keys; None if unknown."""
    layers = _int(config.get("num_hidden_layers"))
    if layers is None:
        return None
    extra = _int(config.get("num_nextn_predict_layers")) or 0
    explicit = config.get("moe_layers")
    if isinstance(explicit, list) and all(isinstance(i, int) for i in explicit):
        return len(set(explicit)) + extra
    first_dense = _int(config.get("first_k_dense_replace")) or 0
    freq = _int(config.get("moe_layer_freq")) or 1
    step = _int(config.get("decoder_sparse_step")) or 1
    interleave = _int(config.get("interleave_moe_layer_step")) or 1
    mlp_only = set(config.get("mlp_only_layers") or [])
    count = sum(
        1
        for i in range(layers)
        if i >= first_dense
        and i % freq == 0
        and (i + 1) % step == 0
        and (i + 1) % interleave == 0
        and i not in mlp_only
    )
    # A multi-token-prediction layer (DeepSeek-V3) is a full MoE decoder layer stored with the weights.
    return count + extra


def moe_active_parameters(total: int | None, config: dict) -> tuple[int | None, int | None]:
    """(active parameters, MoE layer count) by the formula in the module docstring; None where unknown."""
    experts = _first_int(config, EXPERT_COUNT_KEYS)
    per_token = _first_int(config, EXPERTS_PER_TOKEN_KEYS)
    hidden = _int(config.get("hidden_size"))
    width = _int(config.get("moe_intermediate_size")) or _int(config.get("intermediate_size"))
    moe_layers = moe_layer_count(config)
    if None in (total, experts, per_token, hidden, width, moe_layers) or not experts or per_token > experts:
        return None, moe_layers
    inactive = (experts - per_token) * moe_layers * GATED_EXPERT_MATRICES * hidden * width
    active = total - inactive
    if not 0 < active <= total:
        return None, moe_layers  # sizes and total disagree (e.g. a partial checkpoint): refuse to guess
    return active, moe_layers


# -- parsing ------------------------------------------------------------------------------------
def _datetime(value: object) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).replace(tzinfo=None)
    except ValueError:
        raise IngestError(f"timestamp {str(value)[:30]!r} is not ISO 8601") from None


def _license(doc: dict) -> str | None:
    card = doc.get("cardData") or {}
    if isinstance(card.get("license"), str):
        return card["license"]
    for tag in doc.get("tags") or []:
        if isinstance(tag, str) and tag.startswith("license:"):
            return tag.split(":", 1)[1]
    return None


def _base_models(doc: dict) -> str | None:
    value = (doc.get("cardData") or {}).get("base_model")
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value:
        return ", ".join(str(v) for v in value)
    return None


def api_row(doc: dict) -> dict[str, Any]:
    """One Hub API model document as a record dict (the parser for a single document)."""
    repo_id = str(doc.get("id") or doc.get("modelId") or "").strip()
    if not repo_id:
        raise IngestError("API document has no 'id'")
    safetensors = doc.get("safetensors") or {}
    by_dtype = safetensors.get("parameters") if isinstance(safetensors, dict) else None
    by_dtype = {str(k): int(v) for k, v in by_dtype.items() if _int(v) is not None} if by_dtype else {}
    raw_total = safetensors.get("total") if isinstance(safetensors, dict) else None
    total = _int(raw_total)
    if raw_total is not None and total is None:
        raise IngestError(f"safetensors.total {str(raw_total)[:30]!r} is not a whole number")
    if total is None and by_dtype:
        total = sum(by_dtype.values())
    config = flatten_config(doc.get("config"))
    architectures = config.get("architectures") or []
    quant = config.get("quantization_config") or {}
    quant_method = str(quant.get("quant_method")).lower() if isinstance(quant, dict) and quant else None
    experts = _first_int(config, EXPERT_COUNT_KEYS)
    hidden = _int(config.get("hidden_size"))
    layers = _int(config.get("num_hidden_layers"))
    # Dense only when the config is a full one and says nothing of experts under any key.
    full_config = hidden is not None and layers is not None and not any("expert" in str(k) for k in config)
    is_moe = True if experts and experts > 1 else (False if full_config else None)
    active, moe_layers, method = None, None, None
    if is_moe:
        if quant_method is None or quant_method in UNPACKED_QUANT:
            active, moe_layers = moe_active_parameters(total, config)
        else:
            moe_layers = moe_layer_count(config)
        method = "expert_subtraction" if active is not None else None
    elif is_moe is False and total is not None and (quant_method is None or quant_method in UNPACKED_QUANT):
        active, method = total, "dense"
    return {
        "repo_id": repo_id,
        "author": doc.get("author") or repo_id.split("/")[0],
        "total_parameters": total,
        "parameters_by_dtype": json.dumps(by_dtype, sort_keys=True) if by_dtype else None,
        "main_dtype": max(by_dtype, key=lambda k: by_dtype[k]) if by_dtype else None,
        "architecture": str(architectures[0]) if isinstance(architectures, list) and architectures else None,
        "model_type": config.get("model_type"),
        "is_moe": is_moe,
        "num_experts": experts,
        "num_experts_per_token": _first_int(config, EXPERTS_PER_TOKEN_KEYS),
        "num_shared_experts": _first_int(config, SHARED_EXPERT_KEYS),
        "expert_intermediate_size": _int(config.get("moe_intermediate_size"))
        or (_int(config.get("intermediate_size")) if is_moe else None),
        "hidden_size": hidden,
        "num_hidden_layers": layers,
        "num_moe_layers": moe_layers if is_moe else None,
        "active_parameters": active,
        "active_parameters_method": method,
        "context_length": _int(config.get("max_position_embeddings")),
        "quantization_method": quant_method,
        "pipeline_tag": doc.get("pipeline_tag"),
        "library_name": doc.get("library_name"),
        "license": _license(doc),
        "base_models": _base_models(doc),
        "downloads": _int(doc.get("downloads")),
        "likes": _int(doc.get("likes")),
        "created_at": _datetime(doc.get("createdAt")),
        "last_modified": _datetime(doc.get("lastModified")),
        "revision_sha": doc.get("sha"),
        "capture_format": "hub_api",
    }


def llmfit_row(entry: dict, index: int) -> dict[str, Any]:
    """One entry of llmfit's offline list. Its MoE flag is set only for models it recognised
    (GLM-4.5 and DeepSeek-V3.2 carry none), so an absent flag is unknown, not dense."""
    name = str(entry.get("name") or "").strip()
    if not name:
        raise IngestError(f"entry {index} has no 'name'")
    total = entry.get("parameters_raw")
    if _int(total) is None:
        raise IngestError(f"model {name[:60]!r}: parameters_raw {str(total)[:20]!r} is not a whole number")
    released = entry.get("release_date")
    try:
        release_date = date.fromisoformat(str(released)[:10]) if released else None
    except ValueError:
        raise IngestError(f"model {name[:60]!r}: release_date {str(released)[:20]!r} is not a date") from None
    model_type = entry.get("architecture")
    return {
        "repo_id": name,
        "author": name.split("/")[0] if "/" in name else None,  # llmfit's provider is a display name
        "total_parameters": _int(total),
        "model_type": None if model_type in (None, "", "unknown") else model_type,
        "is_moe": True if entry.get("is_moe") else None,
        "num_experts": _int(entry.get("num_experts")),
        "num_experts_per_token": _int(entry.get("active_experts")),
        "reported_active_parameters": _int(entry.get("active_parameters")),
        "context_length": _int(entry.get("context_length")),
        "pipeline_tag": None if entry.get("pipeline_tag") in (None, "unknown") else entry.get("pipeline_tag"),
        "downloads": _int(entry.get("hf_downloads")),
        "likes": _int(entry.get("hf_likes")),
        "release_date": release_date,
        "capture_format": "llmfit_json",
    }


def _hub_file(meta: CaptureMeta) -> re.Match[str] | None:
    """The repository, revision and file of a capture fetched from the Hub, read from its origin URL."""
    return _HUB_FILE_URL.search(meta.origin)


def _str_list(value: object) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value:
        return ", ".join(str(v) for v in value)
    return None


def config_row(text: str, repo_id: str, revision: str) -> dict[str, Any]:
    """One config.json as a record dict: its identity, and the parameters counted from it (or why not)."""
    try:
        config = json.loads(text)
    except json.JSONDecodeError as exc:
        raise IngestError(f"config.json of {repo_id}: invalid JSON at line {exc.lineno} column {exc.colno}") from None
    if not isinstance(config, dict):
        raise IngestError(f"config.json of {repo_id} is not a JSON object")
    architectures = config.get("architectures")
    quant = config.get("quantization_config")
    row: dict[str, Any] = {
        "repo_id": repo_id,
        "revision": revision,
        "model_type": config.get("model_type") if isinstance(config.get("model_type"), str) else None,
        "architecture": str(architectures[0]) if isinstance(architectures, list) and architectures else None,
        "quantization_method": str(quant.get("quant_method")).lower() if isinstance(quant, dict) and quant else None,
        "torch_dtype": config.get("torch_dtype") if isinstance(config.get("torch_dtype"), str) else None,
        "config_json": json.dumps(config, sort_keys=True)[:MAX_CONFIG_JSON],
    }
    flat = flatten_config(config)
    experts = _first_int(flat, EXPERT_COUNT_KEYS)
    try:
        counted = count_parameters(config)
    except ConfigCountError as exc:
        row.update(
            is_moe=True if experts and experts > 1 else None,
            num_experts=experts,
            hidden_size=_int(flat.get("hidden_size")),
            num_hidden_layers=_int(flat.get("num_hidden_layers")),
            vocab_size=_int(flat.get("vocab_size")),
            count_error=str(exc),
        )
        return row
    row.update(
        is_moe=counted.is_moe,
        total_parameters=counted.total_parameters,
        active_parameters=counted.active_parameters,
        active_parameters_with_embedding=counted.active_with_embedding,
        active_parameters_low=counted.active_parameters_low,
        active_parameters_high=counted.active_parameters_high,
        input_embedding_parameters=counted.input_embedding_parameters,
        mtp_parameters=counted.mtp_parameters,
        num_experts=counted.num_experts,
        num_experts_per_token=counted.num_experts_per_token,
        num_shared_experts=counted.num_shared_experts,
        expert_intermediate_size=counted.expert_intermediate_size,
        hidden_size=_int(flat.get("hidden_size")) or _int(flat.get("d_model")),
        num_hidden_layers=counted.num_layers,
        num_moe_layers=counted.num_moe_layers if counted.is_moe else None,
        vocab_size=_int(flat.get("vocab_size")),
        attention=counted.attention,
        count_method="config_count",
        conventions="; ".join(counted.conventions) or None,
    )
    return row


def card_rows(text: str, repo_id: str, revision: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A model card (README.md) as its metadata row and one row per statement read from it."""
    metadata: dict = {}
    metadata_error = None
    header = re.match(r"\A---\r?\n(.*?)\r?\n---\r?\n", text, re.S)
    if header:
        try:
            loaded = yaml.safe_load(header.group(1))
            metadata = loaded if isinstance(loaded, dict) else {}
        except yaml.YAMLError as exc:
            metadata_error = clean_terminal(" ".join(str(exc).split()), 160)
    title = re.search(r"^#\s+(.+)$", text[header.end() if header else 0 :], re.M)
    found = card_statements(text)
    statements = [
        {
            "repo_id": repo_id,
            "revision": revision,
            "statement_index": i,
            "kind": st.kind,
            "value": st.value,
            "accelerator": st.accelerator,
            "qualifier": st.qualifier,
            "scope": st.scope,
            "sentence": st.sentence,
        }
        for i, st in enumerate(found, start=1)
    ]
    card = {
        "repo_id": repo_id,
        "revision": revision,
        "license": _str_list(metadata.get("license")),
        "base_models": _str_list(metadata.get("base_model")),
        "pipeline_tag": _str_list(metadata.get("pipeline_tag")),
        "tags": _str_list(metadata.get("tags")),
        "languages": _str_list(metadata.get("language")),
        "title": clean_terminal(title.group(1), 200).strip() if title else None,
        "text_chars": len(text),
        "statements": len(statements),
        "metadata_error": metadata_error,
    }
    return card, statements


class HuggingFaceSource(Source):
    name: ClassVar[str] = "huggingface"
    description: ClassVar[str] = "Hugging Face Hub: exact safetensors parameter counts, architecture, MoE experts"
    live_urls: ClassVar[tuple[str, ...]] = ()  # per-repository: see fetch_models / ingest_models
    tables: ClassVar[dict[str, type[Record]]] = {
        "huggingface_models": HuggingFaceModel,
        "huggingface_configs": HuggingFaceConfig,
        "huggingface_cards": HuggingFaceCard,
        "huggingface_card_statements": HuggingFaceCardStatement,
    }
    capture_globs: ClassVar[tuple[str, ...]] = ("huggingface/*.json",)

    def parse(self, content: bytes, meta: CaptureMeta) -> Parsed:
        text = decode_text(content)
        hub_file = _hub_file(meta)
        if hub_file:
            repo_id, revision = hub_file["repo"], hub_file["revision"]
            if hub_file["file"] == "config.json":
                row = config_row(text, repo_id, revision)
                return Parsed({"huggingface_configs": build_records(HuggingFaceConfig, [row])})
            card, found = card_rows(text, repo_id, revision)
            return Parsed(
                {
                    "huggingface_cards": build_records(HuggingFaceCard, [card]),
                    "huggingface_card_statements": build_records(HuggingFaceCardStatement, found),
                }
            )
        if not text.lstrip().startswith(("{", "[")):
            raise IngestError("expected a Hugging Face API document or model list (JSON), got something else")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise IngestError(f"invalid JSON at line {exc.lineno} column {exc.colno} (truncated?)") from exc
        if isinstance(data, dict):
            if "error" in data and "id" not in data:
                raise IngestError(f"the Hub answered with an error: {str(data['error'])[:120]}")
            rows = [api_row(data)]
        elif isinstance(data, list) and data and all(isinstance(e, dict) for e in data):
            if all("parameters_raw" in e for e in data):
                rows = [llmfit_row(e, i) for i, e in enumerate(data, start=1)]
            elif all("id" in e or "modelId" in e for e in data):
                rows = [api_row(e) for e in data]
            else:
                raise IngestError(
                    "JSON list is neither Hub API documents ('id') nor a parameter list ('parameters_raw')"
                )
        elif isinstance(data, list) and not data:
            raise IngestError("the JSON list is empty")
        else:
            raise IngestError("JSON is neither a Hub API model document nor a list of models")
        seen: set[str] = set()
        for row in rows:
            if row["repo_id"] in seen:
                raise IngestError(f"repository {row['repo_id'][:60]!r} appears twice")
            seen.add(row["repo_id"])
        return _checked(data, rows, meta)


# The keys each shape provides (any document's or entry's keys count), as the Hub's model API and
# llmfit's list (2026-03-01) have them. The API's `safetensors` and `config` are absent for a repository
# without safetensors weights or a config: its load is then degraded, saying the count is unknown.
API_DOCUMENT = Contract(
    "a Hub API model document",
    (
        required("repo_id", "id", "modelId"),
        expected("safetensors", "safetensors"),
        expected("config", "config"),
        expected("last_modified", "lastModified"),
        expected("created_at", "createdAt"),
        expected("revision_sha", "sha"),
        optional("card", "cardData"),  # a repository without a model card has none
    ),
)
LLMFIT_LIST = Contract(
    "llmfit's parameter list",
    (
        required("repo_id", "name"),
        required("total_parameters", "parameters_raw"),
        expected("model_type", "architecture"),
        expected("context_length", "context_length"),
        expected("pipeline_tag", "pipeline_tag"),
        expected("downloads", "hf_downloads"),
        expected("likes", "hf_likes"),
        expected("release_date", "release_date"),
        expected("is_moe", "is_moe"),
        expected("num_experts", "num_experts"),
        expected("num_experts_per_token", "active_experts"),
        expected("reported_active_parameters", "active_parameters"),
    ),
)


def _checked(data: dict | list, rows: list[dict[str, Any]], meta: CaptureMeta) -> Parsed:
    """The records, with the columns the capture lacked and its data date.

    An API document is as of its repository's last commit (`lastModified`); llmfit's list states
    no date but in its file name, its newest release date being a lower bound.
    """
    entries = data if isinstance(data, list) else [data]
    keys = list(dict.fromkeys(k for e in entries if isinstance(e, dict) for k in e))
    llmfit = bool(rows) and rows[0]["capture_format"] == "llmfit_json"
    parsed = Parsed({"huggingface_models": build_records(HuggingFaceModel, rows)})
    parsed.note_missing((LLMFIT_LIST if llmfit else API_DOCUMENT).match(keys))
    if llmfit:
        return parsed.dated(meta, newest_row=max((r["release_date"] for r in rows if r["release_date"]), default=None))
    modified = [r["last_modified"] for r in rows if r["last_modified"]]
    return parsed.dated(meta, stated=max(modified).date() if modified else None)
