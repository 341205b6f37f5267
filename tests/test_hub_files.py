"""config.json and model cards fetched through huggingface_hub from a Hub stand-in on 127.0.0.1, stored and loaded.

The stand-in answers as huggingface.co does for `resolve` URLs: a 307 to /api/resolve-cache/... carrying the
commit in X-Repo-Commit, the file with an ETag; a missing file as 404 with X-Error-Code: EntryNotFound; a gated
repository as 401 with X-Error-Code: GatedRepo; a missing or private one as 401 with X-Error-Code: RepoNotFound.
(Compressed bodies, 429s and the like are the HTTP client's tests; huggingface_hub has its own.)
"""

from __future__ import annotations

import hashlib
import json
import socket
import threading
from collections.abc import Iterator
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ingest.base import CaptureMeta, IngestError
from ingest.huggingface import HUB_BASE_URL_ENV, HuggingFaceSource, fetch_repo_files, hub_file_url, ingest_repo_files
from ingest.runner import Ingestor
from kernel.paths import Paths
from tests.conftest import FIXTURES

SRC = HuggingFaceSource()
CONFIGS = FIXTURES / "huggingface" / "configs"
CARDS = FIXTURES / "huggingface" / "cards"
COMMIT = "e815299b0bcbac849fa540c768ef21845365c9eb"
FILES = {
    ("deepseek-ai/DeepSeek-V3", "config.json"): (CONFIGS / "deepseek-v3.json").read_bytes(),
    ("deepseek-ai/DeepSeek-V3", "README.md"): (CARDS / "deepseek-v3.md").read_bytes(),
    ("Qwen/Qwen3-30B-A3B", "config.json"): (CONFIGS / "qwen3-30b-a3b.json").read_bytes(),
    ("Qwen/Qwen3-30B-A3B", "README.md"): (CARDS / "qwen1.5-moe-a2.7b.md").read_bytes(),
    # a sibling repository serving the very same bytes, and no card
    ("Qwen/Qwen3-30B-A3B-Base", "config.json"): (CONFIGS / "qwen3-30b-a3b.json").read_bytes(),
}
GATED = {"meta-llama/Llama-4-Scout-17B-16E"}


@pytest.fixture
def hub() -> Iterator[tuple[str, list[str]]]:
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _answer(self, with_body: bool) -> None:
            seen.append(f"{self.command} {self.path}")
            parts = self.path.split("/")
            body, headers, status = b"", {}, 200
            if len(parts) == 6 and parts[3] == "resolve":  # /owner/name/resolve/main/file
                repo, filename = f"{parts[1]}/{parts[2]}", parts[5]
                if repo in GATED:
                    status, headers = 401, {"X-Error-Code": "GatedRepo", "X-Error-Message": "Access restricted"}
                    body = b'{"error":"Access to model is restricted. You must have access to it."}'
                elif not any(r == repo for r, _ in FILES):
                    status, headers = 401, {"X-Error-Code": "RepoNotFound"}
                    body = b'{"error":"Repository not found"}'
                elif (repo, filename) not in FILES:
                    status, headers = 404, {"X-Error-Code": "EntryNotFound", "X-Repo-Commit": COMMIT}
                    body = b'{"error":"Entry not found"}'
                else:
                    status = 307
                    headers = {
                        "Location": f"/api/resolve-cache/models/{repo}/{COMMIT}/{filename}",
                        "X-Repo-Commit": COMMIT,
                    }
            elif len(parts) == 8 and parts[1:4] == ["api", "resolve-cache", "models"]:
                content = FILES.get((f"{parts[4]}/{parts[5]}", parts[7]))
                if content is None:
                    status = 404
                else:
                    body = content
                    headers = {
                        "ETag": '"' + hashlib.sha1(content).hexdigest() + '"',
                        "X-Repo-Commit": COMMIT,
                        "Content-Type": "text/plain; charset=utf-8",
                    }
            else:
                status = 404
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if with_body:
                self.wfile.write(body)

        def do_HEAD(self) -> None:  # noqa: N802
            self._answer(False)

        def do_GET(self) -> None:  # noqa: N802
            self._answer(True)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(autouse=True)
def no_token(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    """No stored Hugging Face token or cache of the machine is used."""
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf_home"))
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)


def test_files_come_with_the_commit_served_and_each_failure_is_one_line(hub: tuple[str, list[str]]):
    base, _ = hub
    got = fetch_repo_files(
        ["deepseek-ai/DeepSeek-V3", "Qwen/Qwen3-30B-A3B-Base", "meta-llama/Llama-4-Scout-17B-16E", "nobody/missing"],
        base_url=base,
    )
    assert [(f.repo_id, f.filename, f.status) for f in got] == [
        ("deepseek-ai/DeepSeek-V3", "config.json", "ok"),
        ("deepseek-ai/DeepSeek-V3", "README.md", "ok"),
        ("Qwen/Qwen3-30B-A3B-Base", "config.json", "ok"),
        ("Qwen/Qwen3-30B-A3B-Base", "README.md", "missing"),
        ("meta-llama/Llama-4-Scout-17B-16E", "config.json", "gated"),
        ("meta-llama/Llama-4-Scout-17B-16E", "README.md", "gated"),
        ("nobody/missing", "config.json", "not_found"),
        ("nobody/missing", "README.md", "not_found"),
    ]
    config = got[0]
    assert config.content == FILES[("deepseek-ai/DeepSeek-V3", "config.json")]  # byte for byte
    assert (config.revision, config.url) == (COMMIT, f"{base}/deepseek-ai/DeepSeek-V3/resolve/{COMMIT}/config.json")
    assert got[3].error == "Qwen/Qwen3-30B-A3B-Base: no README.md in the repository (HTTP 404)"
    assert got[4].error == (
        "meta-llama/Llama-4-Scout-17B-16E: gated repository: config.json needs its terms accepted and HF_TOKEN set"
        " (HTTP 401)"
    )
    assert got[6].error == "nobody/missing: no such repository, or a private one (HTTP 401)"
    assert all("\n" not in f.error for f in got)


def _stored_files(paths: Paths) -> list[str]:
    """The Hub captures stored, by the name after the capture date (owner__name__file)."""
    files = (paths.raw_dir / "huggingface").glob("*")
    return sorted(p.name.split("_", 2)[2] for p in files if p.is_file() and not p.name.endswith(".meta.json"))


def test_configs_and_cards_are_stored_loaded_and_counted(hub: tuple[str, list[str]], paths: Paths):
    base, _ = hub
    repos = [
        "deepseek-ai/DeepSeek-V3",
        "Qwen/Qwen3-30B-A3B",
        "Qwen/Qwen3-30B-A3B-Base",
        "meta-llama/Llama-4-Scout-17B-16E",
    ]
    with Ingestor(paths, [SRC]) as ing:
        results = ingest_repo_files(ing, repos, base)
        assert [(r.status, r.rows) for r in results] == [
            ("ok", 1), ("ok", 8), ("ok", 1), ("ok", 3), ("ok", 1), ("failed", 0), ("failed", 0), ("failed", 0),
        ]  # fmt: skip
        con = ing.con
        configs = con.execute(
            "select repo_id, revision, model_type, is_moe, total_parameters, active_parameters, "
            "active_parameters_with_embedding, mtp_parameters, num_moe_layers, count_method, count_error "
            "from raw.huggingface_configs order by repo_id"
        ).fetchall()
        assert configs == [
            ("Qwen/Qwen3-30B-A3B", COMMIT, "qwen3_moe", True, 30532122624, 3041867776, 3353032704, 0, 48,
             "config_count", None),
            ("Qwen/Qwen3-30B-A3B-Base", COMMIT, "qwen3_moe", True, 30532122624, 3041867776, 3353032704, 0, 48,
             "config_count", None),
            ("deepseek-ai/DeepSeek-V3", COMMIT, "deepseek_v3", True, 671026419200, 36625618432, 37552297472,
             11610068224, 58, "config_count", None),
        ]  # fmt: skip
        # the sibling's identical config is one capture, loaded under each repository's own origin
        shas = con.execute(
            "select count(distinct capture_sha256) from raw.huggingface_configs where repo_id like 'Qwen/%'"
        ).fetchone()
        assert shas == (1,)
        statements = con.execute(
            "select kind, value, accelerator, scope from raw.huggingface_card_statements "
            "where repo_id = 'deepseek-ai/DeepSeek-V3' order by statement_index"
        ).fetchall()
        assert statements[:4] == [
            ("total_parameters", 671e9, None, None),
            ("active_parameters", 37e9, None, None),
            ("training_tokens", 14.8e12, None, None),
            ("accelerator_hours", 2.788e6, "H800", "full training"),
        ]
        card = con.execute(
            "select license, tags, title, statements from raw.huggingface_cards where repo_id = 'Qwen/Qwen3-30B-A3B'"
        ).fetchone()
        assert card == ("other", "pretrained, moe", "Qwen1.5-MoE-A2.7B", 2)
        failures = con.execute(
            "select status, error from raw.ingest_runs where status <> 'ok' order by run_id"
        ).fetchall()
        assert failures == [
            ("failed", "Qwen/Qwen3-30B-A3B-Base: no README.md in the repository (HTTP 404)"),
            ("failed", "meta-llama/Llama-4-Scout-17B-16E: gated repository: config.json needs its terms accepted "
                       "and HF_TOKEN set (HTTP 401)"),
            ("failed", "meta-llama/Llama-4-Scout-17B-16E: gated repository: README.md needs its terms accepted "
                       "and HF_TOKEN set (HTTP 401)"),
        ]  # fmt: skip
        again = ingest_repo_files(ing, repos[:3], base)
        assert [r.status for r in again] == ["unchanged"] * 5 + ["failed"]
    stored = _stored_files(paths)
    assert stored == [
        "Qwen__Qwen3-30B-A3B__README.md",
        "Qwen__Qwen3-30B-A3B__config.json",
        "deepseek-ai__DeepSeek-V3__README.md",
        "deepseek-ai__DeepSeek-V3__config.json",
    ]


def test_a_file_over_the_capture_size_limit_is_refused_and_the_others_load(
    hub: tuple[str, list[str]], paths: Paths, monkeypatch: pytest.MonkeyPatch
):
    base, _ = hub
    limit = 1024 * 1024
    monkeypatch.setenv("FLOP_TRACKER_MAX_CAPTURE_MB", "1")
    config = FILES[("Qwen/Qwen3-30B-A3B", "config.json")]
    card = FILES[("deepseek-ai/DeepSeek-V3", "README.md")]
    # real files padded with whitespace: still valid JSON and Markdown, one byte over and exactly at the limit
    monkeypatch.setitem(FILES, ("big/padded", "config.json"), config + b" " * (limit + 1 - len(config)))
    monkeypatch.setitem(FILES, ("big/padded", "README.md"), card + b"\n" * (limit - len(card)))
    refusal = (
        "big/padded: config.json: 1.0 MB, more than the 1 MB capture size limit"
        " (set FLOP_TRACKER_MAX_CAPTURE_MB to raise it)"
    )
    with Ingestor(paths, [SRC]) as ing:
        results = ingest_repo_files(ing, ["big/padded", "deepseek-ai/DeepSeek-V3"], base)
        assert [(r.status, r.rows) for r in results] == [("failed", 0), ("ok", 8), ("ok", 1), ("ok", 8)]
        assert results[0].message == refusal
        assert results[0].origin == f"{base}/big/padded/resolve/{COMMIT}/config.json"
        runs = ing.con.execute("select status, origin, error from raw.ingest_runs where status <> 'ok'").fetchall()
        assert runs == [("failed", f"{base}/big/padded/resolve/{COMMIT}/config.json", refusal)]
        configs = ing.con.execute("select repo_id from raw.huggingface_configs order by repo_id").fetchall()
        assert configs == [("deepseek-ai/DeepSeek-V3",)]
        cards = ing.con.execute("select repo_id from raw.huggingface_cards order by repo_id").fetchall()
        assert cards == [("big/padded",), ("deepseek-ai/DeepSeek-V3",)]
    stored = _stored_files(paths)
    assert stored == [
        "big__padded__README.md",
        "deepseek-ai__DeepSeek-V3__README.md",
        "deepseek-ai__DeepSeek-V3__config.json",
    ]


def test_an_unreachable_hub_is_one_unreachable_run_and_nothing_else(paths: Paths):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with Ingestor(paths, [SRC]) as ing:
        results = ingest_repo_files(ing, ["a/b", "c/d", "e/f"], f"http://127.0.0.1:{port}")
        assert [r.status for r in results] == ["unreachable"]
        assert results[0].message == f"http://127.0.0.1:{port}: Connection refused"
        assert results[0].line == f"huggingface: unreachable: http://127.0.0.1:{port}: Connection refused"
        runs = ing.con.execute("select status, count(*) from raw.ingest_runs group by status").fetchall()
        assert runs == [("unreachable", 1)]


def test_the_base_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv(HUB_BASE_URL_ENV, raising=False)
    monkeypatch.delenv("HF_ENDPOINT", raising=False)
    assert hub_file_url("Qwen/Qwen3-30B-A3B", "config.json") == (
        "https://huggingface.co/Qwen/Qwen3-30B-A3B/resolve/main/config.json"
    )
    monkeypatch.setenv("HF_ENDPOINT", "http://mirror.local/")
    assert hub_file_url("a/b", "README.md", COMMIT).startswith("http://mirror.local/a/b/resolve/e815")
    with pytest.raises(IngestError, match="not a Hugging Face repository id"):
        hub_file_url("../etc", "config.json")


def test_a_stored_config_replays_to_the_same_row_and_a_broken_one_is_named():
    origin = f"https://huggingface.co/deepseek-ai/DeepSeek-V3/resolve/{COMMIT}/config.json"
    meta = CaptureMeta(origin=origin, captured_at=datetime(2026, 12, 1), filename="x")
    row = SRC.parse(FILES[("deepseek-ai/DeepSeek-V3", "config.json")], meta).tables["huggingface_configs"][0]
    assert (row.repo_id, row.revision, row.architecture, row.quantization_method) == (
        "deepseek-ai/DeepSeek-V3",
        COMMIT,
        "DeepseekV3ForCausalLM",
        "fp8",
    )
    assert json.loads(row.config_json)["n_routed_experts"] == 256
    with pytest.raises(IngestError, match=r"^config.json of deepseek-ai/DeepSeek-V3: invalid JSON at line 1 column 2"):
        SRC.parse(b'{"hidden_size": 7168', meta)
    jamba = json.dumps({"model_type": "jamba", "hidden_size": 8, "num_hidden_layers": 2, "vocab_size": 4,
                        "mamba_d_state": 16, "num_experts": 16, "num_experts_per_tok": 2}).encode()  # fmt: skip
    refused = SRC.parse(jamba, meta).tables["huggingface_configs"][0]
    assert (refused.is_moe, refused.active_parameters, refused.count_method) == (True, None, None)
    assert refused.count_error == "config has Mamba layers (mamba_d_state), which are not counted"


def _track(paths: Paths, repos: dict[str, str]) -> None:
    """What a build leaves behind: the tracked models and the Hub names mapped to them."""
    with Ingestor(paths, [SRC]) as ing:
        ing.con.execute("create schema if not exists intermediate")
        ing.con.execute("create table intermediate.int_models_identified (model_id varchar)")
        ing.con.execute(
            "create table intermediate.int_model_names_normalized "
            "(source_name varchar, raw_name varchar, model_id varchar)"
        )
        for repo, model_id in repos.items():
            ing.con.execute("insert into intermediate.int_models_identified values (?)", [model_id])
            ing.con.execute(
                "insert into intermediate.int_model_names_normalized values ('huggingface', ?, ?)", [repo, model_id]
            )


def test_a_live_run_fetches_the_tracked_repositories_files(
    hub: tuple[str, list[str]], paths: Paths, monkeypatch: pytest.MonkeyPatch
):
    from flop_tracker import pipeline

    base, seen = hub
    monkeypatch.setenv(HUB_BASE_URL_ENV, base)
    _track(paths, {"deepseek-ai/DeepSeek-V3": "deepseek-v3"})
    summary = pipeline.ingest(paths, [SRC], live=True, quiet=True)
    assert [(r.status, r.rows) for r in summary.results] == [("ok", 1), ("ok", 8)]
    assert [s.split()[0] for s in seen].count("GET") == 2


def test_an_offline_machine_records_one_unreachable_run_and_replays_what_it_has(
    hub: tuple[str, list[str]], paths: Paths, monkeypatch: pytest.MonkeyPatch
):
    from flop_tracker import pipeline

    base, _ = hub
    monkeypatch.setenv(HUB_BASE_URL_ENV, base)
    _track(paths, {"deepseek-ai/DeepSeek-V3": "deepseek-v3", "Qwen/Qwen3-30B-A3B": "qwen3-30b-a3b"})
    pipeline.ingest(paths, [SRC], live=True, quiet=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        monkeypatch.setenv(HUB_BASE_URL_ENV, f"http://127.0.0.1:{probe.getsockname()[1]}")
    summary = pipeline.ingest(paths, [SRC], live=True, quiet=True)
    assert summary.unreachable == ["huggingface"]
    assert [r.status for r in summary.results] == ["unreachable"] + ["unchanged"] * 4  # the stored files, replayed


def test_a_card_with_a_broken_yaml_header_keeps_its_statements_and_says_why():
    meta = CaptureMeta(
        origin=f"https://huggingface.co/a/b/resolve/{COMMIT}/README.md", captured_at=datetime(2026, 12, 1)
    )
    text = b"---\nlicense: [unclosed\n---\n# Model\nDBRX was pre-trained for 12T tokens of text.\n"
    parsed = SRC.parse(text, meta).tables
    card = parsed["huggingface_cards"][0]
    assert (card.license, card.title, card.statements) == (None, "Model", 1)
    assert card.metadata_error.startswith("while parsing a flow sequence in")
    assert [(s.kind, s.value) for s in parsed["huggingface_card_statements"]] == [("training_tokens", 12e12)]
