"""Hugging Face parser and MoE arithmetic on fixtures written for these tests, and the live fetch
against a Hub stand-in on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from ingest.base import CaptureMeta, IngestError
from ingest.http import HttpClient
from ingest.huggingface import (
    HUB_BASE_URL_ENV,
    HuggingFaceSource,
    fetch_models,
    ingest_models,
    model_api_url,
    moe_active_parameters,
    moe_layer_count,
)
from ingest.runner import Ingestor
from kernel.paths import Paths
from tests.conftest import FIXTURES
from tests.local_http import Reply, local_server

SRC = HuggingFaceSource()
HF = FIXTURES / "huggingface"


def parse(name: str, content: bytes | None = None):
    data = content if content is not None else (HF / name).read_bytes()
    meta = CaptureMeta(origin=f"/x/{name}", captured_at=datetime(2026, 3, 1), filename=name)
    return SRC.parse(data, meta).tables["huggingface_models"]


# -- the formula, by hand -----------------------------------------------------------------------
def test_mixtral_style_active_is_total_less_six_idle_experts_in_32_layers():
    rows = parse("api_gamma_8x7b.json")
    assert len(rows) == 1
    m = rows[0]
    assert (m.repo_id, m.author, m.architecture, m.model_type) == (
        "gamma-ai/Gamma-8x7B-Instruct",
        "gamma-ai",
        "MixtralForCausalLM",
        "mixtral",
    )
    assert (m.total_parameters, m.parameters_by_dtype, m.main_dtype) == (46702792704, '{"BF16": 46702792704}', "BF16")
    assert (m.is_moe, m.num_experts, m.num_experts_per_token, m.expert_intermediate_size) == (True, 8, 2, 14336)
    assert (m.hidden_size, m.num_hidden_layers, m.num_moe_layers) == (4096, 32, 32)
    # 46,702,792,704 - (8 - 2) * 32 layers * 3 matrices * 4096 * 14336 = 46,702,792,704 - 33,822,867,456
    assert (m.active_parameters, m.active_parameters_method) == (12_879_925_248, "expert_subtraction")
    assert (m.license, m.base_models, m.pipeline_tag, m.library_name) == (
        "apache-2.0",
        "gamma-ai/Gamma-8x7B",
        "text-generation",
        "transformers",
    )
    assert (m.downloads, m.likes, m.context_length) == (512345, 4321, 32768)
    assert m.created_at == datetime(2023, 12, 10, 20, 12, 34)
    assert m.last_modified == datetime(2024, 8, 19, 13, 18, 42)
    assert m.revision_sha == "1e637f2d7cb0a9d6fb1922f305cb784995190a83"
    assert m.capture_format == "hub_api"


def test_deepseek_style_counts_dense_first_layers_and_the_stored_mtp_layer():
    m = parse("api_delta_v3.json")[0]
    # 61 layers, the first 3 dense, plus 1 multi-token-prediction layer: 59 layers of 256 routed experts, 8 used.
    assert (m.num_moe_layers, m.num_experts, m.num_shared_experts, m.expert_intermediate_size) == (59, 256, 1, 2048)
    assert m.quantization_method == "fp8"  # one stored element per parameter: the total is a parameter count
    # 684,531,386,000 - 248 * 59 * 3 * 7168 * 2048 = 684,531,386,000 - 644,396,089,344
    assert m.active_parameters == 40_135_296_656
    assert m.main_dtype == "F8_E4M3"
    assert m.base_models == "delta-lab/Delta-V3-Base"


def test_trimmed_api_config_names_experts_but_not_sizes_so_active_stays_unknown():
    m = parse("api_epsilon_moe_trimmed.json")[0]
    assert (m.is_moe, m.num_experts, m.num_experts_per_token) == (True, 128, 8)
    assert (m.total_parameters, m.hidden_size, m.num_moe_layers) == (235093634560, None, None)
    assert (m.active_parameters, m.active_parameters_method) == (None, None)
    assert m.license == "apache-2.0"  # from the license:* tag when the card has none


def test_full_dense_config_is_dense_and_packed_quantisation_refuses_the_subtraction():
    dense = parse("api_zeta_dense.json")[0]
    assert (dense.is_moe, dense.active_parameters, dense.active_parameters_method) == (False, 8030261248, "dense")
    assert dense.author == "zeta"  # the document has no author: the repository owner
    doc = json.loads((HF / "api_zeta_dense.json").read_text())
    doc["config"]["ffn_expert_count"] = 16  # an expert key this parser does not know: not provably dense
    odd = parse("odd.json", json.dumps(doc).encode())[0]
    assert (odd.is_moe, odd.active_parameters, odd.active_parameters_method) == (None, None, None)
    awq = parse("api_gamma_8x7b_awq.json")[0]
    assert (awq.is_moe, awq.quantization_method, awq.main_dtype) == (True, "awq", "I32")
    assert (awq.total_parameters, awq.active_parameters, awq.num_moe_layers) == (6703353856, None, 32)


def test_moe_layer_layouts():
    base = {"num_hidden_layers": 48}
    assert moe_layer_count(base) == 48
    assert moe_layer_count({**base, "interleave_moe_layer_step": 2}) == 24  # Llama 4 Maverick: every other layer
    assert moe_layer_count({**base, "decoder_sparse_step": 2, "mlp_only_layers": [1, 2]}) == 23  # layers 1,3,5..47
    assert moe_layer_count({**base, "first_k_dense_replace": 1, "moe_layer_freq": 2}) == 23  # 2,4,...,46
    assert moe_layer_count({**base, "moe_layers": [3, 7, 11]}) == 3
    assert moe_layer_count({"hidden_size": 8}) is None


def test_multimodal_text_config_supplies_the_sizes():
    doc = {
        "id": "omega/Omega-17B-128E",
        "safetensors": {"total": 401583781376},
        "config": {
            "architectures": ["Llama4ForConditionalGeneration"],
            "model_type": "llama4",
            "text_config": {
                "hidden_size": 5120,
                "intermediate_size": 8192,
                "intermediate_size_mlp": 16384,
                "num_hidden_layers": 48,
                "num_local_experts": 128,
                "num_experts_per_tok": 1,
                "interleave_moe_layer_step": 2,
            },
        },
    }
    m = parse("omega.json", json.dumps(doc).encode())[0]
    # 401,583,781,376 - 127 * 24 * 3 * 5120 * 8192 = 401,583,781,376 - 383,527,157,760
    assert (m.num_moe_layers, m.active_parameters) == (24, 18_056_623_616)


def test_inconsistent_sizes_give_no_active_count():
    assert moe_active_parameters(
        1000, {"hidden_size": 4096, "intermediate_size": 14336, "num_hidden_layers": 32, "num_local_experts": 8}
    ) == (None, 32)  # no experts-per-token
    too_small = {"hidden_size": 4096, "intermediate_size": 14336, "num_hidden_layers": 32}
    assert moe_active_parameters(1000, {**too_small, "num_local_experts": 8, "num_experts_per_tok": 2}) == (None, 32)


# -- other shapes and refusals ------------------------------------------------------------------
def test_llmfit_list_keeps_its_numbers_and_treats_a_missing_moe_flag_as_unknown():
    rows = parse("llmfit_mini.json")
    assert [r.repo_id for r in rows] == ["zeta/Zeta-8B", "gamma-ai/Gamma-8x7B-Instruct", "tiny/probe-unknown"]
    zeta, gamma, tiny = rows
    assert (zeta.total_parameters, zeta.model_type, zeta.is_moe, zeta.active_parameters) == (
        8030261248,
        "llama",
        None,
        None,
    )
    assert (zeta.author, zeta.release_date, zeta.context_length, zeta.downloads) == (
        "zeta",
        date(2024, 7, 18),
        131072,
        5000000,
    )
    assert (gamma.is_moe, gamma.num_experts, gamma.num_experts_per_token) == (True, 8, 2)
    assert (gamma.reported_active_parameters, gamma.active_parameters) == (12900000000, None)
    assert (tiny.model_type, tiny.pipeline_tag, tiny.release_date) == (None, None, None)
    assert {r.capture_format for r in rows} == {"llmfit_json"}


def test_a_hub_listing_gives_one_row_per_document():
    docs = [json.loads((HF / n).read_text()) for n in ("api_zeta_dense.json", "api_epsilon_moe_trimmed.json")]
    rows = parse("models.json", json.dumps(docs).encode())
    assert [(r.repo_id, r.total_parameters) for r in rows] == [
        ("zeta/Zeta-8B", 8030261248),
        ("epsilon/Epsilon-235B-A22B", 235093634560),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"<html>rate limited</html>", "expected a Hugging Face API document"),
        (b'{"id": "a/b", "safetensors": {', "invalid JSON"),
        (b'{"error": "Repository not found"}', "the Hub answered with an error: Repository not found"),
        (b'{"safetensors": {"total": 5}}', "API document has no 'id'"),
        (b"[]", "the JSON list is empty"),
        (b'[{"name": "a/b"}]', "neither Hub API documents"),
        (b'[{"name": "a/b", "parameters_raw": "7B"}]', "'a/b': parameters_raw '7B' is not a whole number"),
        (b'[{"id": "a/b"}, {"id": "a/b"}]', "'a/b' appears twice"),
        (b'{"id": "a/b", "createdAt": "yesterday"}', "timestamp 'yesterday' is not ISO 8601"),
    ],
)
def test_bad_documents_are_named(content: bytes, message: str):
    with pytest.raises(IngestError, match=message):
        parse("x.json", content)


def test_repo_ids_are_checked_before_any_request(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv(HUB_BASE_URL_ENV, raising=False)
    assert model_api_url("Qwen/Qwen3-235B-A22B") == "https://huggingface.co/api/models/Qwen/Qwen3-235B-A22B"
    assert model_api_url("a/b", "http://127.0.0.1:9/") == "http://127.0.0.1:9/api/models/a/b"
    monkeypatch.setenv(HUB_BASE_URL_ENV, "http://hub.local")
    assert model_api_url("a/b.c-d_e") == "http://hub.local/api/models/a/b.c-d_e"
    for bad in ("no-slash", "a/b/c", "../etc/passwd", "a/b?x=1", "/a"):
        with pytest.raises(IngestError, match="not a Hugging Face repository id"):
            model_api_url(bad)


# -- live fetch against a local stand-in --------------------------------------------------------
@pytest.fixture
def hub() -> Iterator[tuple[str, list[str]]]:
    """A Hub stand-in on 127.0.0.1 serving the fixture documents at /api/models/<owner>/<name>."""
    docs = {}
    for name in ("api_gamma_8x7b.json", "api_zeta_dense.json"):
        body = (HF / name).read_bytes()
        docs["/api/models/" + json.loads(body)["id"]] = body
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            seen.append(self.path)
            body = docs.get(self.path)
            status = 200 if body else 404
            body = body or b'{"error": "Repository not found"}'
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

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


def client() -> HttpClient:
    return HttpClient(timeout=5, attempts=1, sleep=lambda _: None)


def test_fetch_models_gets_each_document_and_names_each_failure(hub: tuple[str, list[str]]):
    base, seen = hub
    got = fetch_models(["gamma-ai/Gamma-8x7B-Instruct", "nobody/missing", "bad id", "zeta/Zeta-8B"], client(), base)
    assert [(f.repo_id, f.content is not None) for f in got] == [
        ("gamma-ai/Gamma-8x7B-Instruct", True),
        ("nobody/missing", False),
        ("bad id", False),
        ("zeta/Zeta-8B", True),
    ]
    assert got[0].content == (HF / "api_gamma_8x7b.json").read_bytes()
    assert got[1].error == f"{base}/api/models/nobody/missing: HTTP 404"
    assert "not a Hugging Face repository id" in got[2].error
    assert seen == [  # the bad id never reached the wire
        "/api/models/gamma-ai/Gamma-8x7B-Instruct",
        "/api/models/nobody/missing",
        "/api/models/zeta/Zeta-8B",
    ]


def test_ingest_models_stores_and_loads_each_document(
    hub: tuple[str, list[str]], paths: Paths, monkeypatch: pytest.MonkeyPatch
):
    base, _ = hub
    monkeypatch.setenv(HUB_BASE_URL_ENV, base)  # the base URL from the environment, as a deployment would set it
    with Ingestor(paths, [SRC]) as ing:
        results = ingest_models(ing, ["gamma-ai/Gamma-8x7B-Instruct", "zeta/Zeta-8B", "nobody/missing"], client())
        assert [r.status for r in results] == ["ok", "ok", "unreachable"]
        rows = ing.con.execute(
            "select repo_id, total_parameters, active_parameters, active_parameters_method "
            "from raw.huggingface_models order by repo_id"
        ).fetchall()
        assert rows == [
            ("gamma-ai/Gamma-8x7B-Instruct", 46702792704, 12879925248, "expert_subtraction"),
            ("zeta/Zeta-8B", 8030261248, 8030261248, "dense"),
        ]
        again = ingest_models(ing, ["zeta/Zeta-8B"], client())
        assert [r.status for r in again] == ["unchanged"]
    stored = sorted(p.name for p in (paths.raw_dir / "huggingface").iterdir() if not p.name.endswith(".meta.json"))
    assert len(stored) == 2 and all(Path(name).name.endswith(("Gamma-8x7B-Instruct", "Zeta-8B")) for name in stored)


def test_fetch_and_ingest_ask_the_hub_conditionally_the_same_way(paths: Paths):
    """Both ways in send the validators of the stored capture; a 304 stores nothing and loads nothing."""
    body = (HF / "api_zeta_dense.json").read_bytes()
    etag = 'W/"2f1-zeta"'
    with local_server() as server:
        server.route("/api/models/zeta/Zeta-8B", Reply(body=body, etag=etag))
        base = server.url("")
        with Ingestor(paths, [SRC]) as ing:
            [first] = ingest_models(ing, ["zeta/Zeta-8B"], client(), base)
            stored = sorted((paths.raw_dir / "huggingface").iterdir())
            [again] = ingest_models(ing, ["zeta/Zeta-8B"], client(), base)
            [fetched] = fetch_models(["zeta/Zeta-8B"], client(), base, raw_dir=paths.raw_dir)
            runs = ing.con.execute("select status from raw.ingest_runs order by run_id").fetchall()
            rows = ing.con.execute("select count(*) from raw.huggingface_models").fetchone()[0]
        sent = server.requests["/api/models/zeta/Zeta-8B"]
    assert [h.get("if-none-match") for h in sent] == [None, etag, etag]
    assert (first.status, again.status) == ("ok", "unchanged")
    assert again.message == "not modified since the last fetch (HTTP 304)"
    assert (fetched.not_modified, fetched.content, fetched.error) == (True, body, None)  # the stored copy
    assert sorted((paths.raw_dir / "huggingface").iterdir()) == stored  # nothing new stored
    assert runs == [("ok",), ("unchanged",)] and rows == 1
