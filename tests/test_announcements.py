"""Lab announcements: RSS, Atom and Hub feeds written for these tests, parsed directly and fetched from 127.0.0.1.

Every expected figure below was read off the fixture text by hand.
"""

from __future__ import annotations

import csv
from datetime import datetime

import pytest

from flop_tracker import pipeline
from ingest import registry
from ingest.announcements import FEEDS_SEED, AnnouncementsSource, Feed, extract_figures, load_feeds
from ingest.base import CaptureMeta, IngestError
from ingest.http import HttpClient
from kernel.paths import Paths
from tests.conftest import FIXTURES
from tests.local_http import Reply, local_server

DIR = FIXTURES / "announcements"
SRC = AnnouncementsSource(feeds=())


def parse(name: str, content: bytes | None = None, source: AnnouncementsSource = SRC, origin: str | None = None):
    data = content if content is not None else (DIR / name).read_bytes()
    meta = CaptureMeta(origin=origin or f"/saved/{name}", captured_at=datetime(2025, 5, 1), filename=name)
    return {r.url: r for r in source.parse(data, meta).tables["announcement_posts"]}


# -- the seed ----------------------------------------------------------------------------------
def test_seed_lists_the_frontier_labs_feeds_and_is_the_live_url_list():
    feeds = load_feeds()
    assert len(feeds) == 41
    developers = {f.developer for f in feeds}
    for lab in (
        "OpenAI",
        "Anthropic",
        "Google DeepMind",
        "Meta",
        "xAI",
        "Mistral AI",
        "Alibaba",
        "DeepSeek",
        "Moonshot AI",
        "Zhipu AI",
        "ByteDance",
        "MiniMax",
        "NVIDIA",
        "Amazon",
        "Microsoft",
    ):
        assert lab in developers, lab
    assert {f.kind for f in feeds} == {"rss", "atom", "hf_org"}
    assert all(f.note for f in feeds)
    hub = [f for f in feeds if f.kind == "hf_org"]
    assert all(f.url.startswith("https://huggingface.co/api/models?author=") and "sort=createdAt" in f.url for f in hub)
    assert "https://openai.com/news/rss.xml" in AnnouncementsSource().live_urls
    assert AnnouncementsSource().live_urls == tuple(f.url for f in feeds)
    with open(FEEDS_SEED, newline="") as handle:
        assert tuple(next(csv.reader(handle))) == (
            "developer",
            "feed_url",
            "feed_kind",
            "stale_after_days",
            "source_url_note",
        )
    assert all(f.stale_after_days and 30 <= f.stale_after_days <= 180 for f in feeds)


def test_feed_addresses_are_the_current_ones():
    """Google's sections moved under /innovation-and-ai/ (the old paths 301), Qwen's Hugo blog moved to
    qwen.ai (which has no feed; the Qwen Hub organisation stays), Mistral publishes /rss.xml."""
    urls = {f.url: f for f in load_feeds()}
    assert "https://blog.google/innovation-and-ai/technology/ai/rss/" in urls
    assert "https://blog.google/innovation-and-ai/models-and-research/google-deepmind/rss/" in urls
    assert "https://blog.google/innovation-and-ai/models-and-research/gemini-models/rss/" in urls
    assert not [u for u in urls if u.startswith("https://blog.google/technology/")]
    assert urls["https://mistral.ai/rss.xml"].developer == "Mistral AI"
    assert not [u for u in urls if "qwenlm.github.io" in u]
    assert not [u for u in urls if "qwen.ai" in u]  # no feed and no recorded answer of its API: see the README
    assert urls["https://huggingface.co/api/models?author=Qwen&sort=createdAt&direction=-1&limit=50"].kind == "hf_org"


def test_a_malformed_seed_is_refused(tmp_path):
    bad = tmp_path / "lab_feeds.csv"
    header = "developer,feed_url,feed_kind,stale_after_days,source_url_note\n"
    bad.write_text(header + "X,http://insecure.example/rss,rss,60,n\n")
    with pytest.raises(ValueError, match="line 2: needs a developer, an https feed_url"):
        load_feeds(bad)
    bad.write_text(header + "X,https://a.example/r,podcast,60,n\n")
    with pytest.raises(ValueError, match="line 2"):
        load_feeds(bad)
    for limit in ("", "0", "soon", "-5"):
        bad.write_text(header + f"X,https://a.example/r,rss,{limit},n\n")
        with pytest.raises(ValueError, match="line 2: stale_after_days must be a whole number of days"):
            load_feeds(bad)
    bad.write_text(header + "X,https://a.example/r,rss,45,n\n")
    assert load_feeds(bad)[0].stale_after_days == 45
    bad.write_text("developer,url\nX,https://a.example/r\n")
    with pytest.raises(ValueError, match="columns must be"):
        load_feeds(bad)
    assert load_feeds(tmp_path / "absent.csv") == ()


# -- figures -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("with 405B parameters", "", {"parameters": 405e9, "parameters_basis": "stated"}),
        ("a 405 billion parameter model", "", {"parameters": 405e9}),
        ("235B total / 22B active", "", {"parameters": 235e9, "active_parameters": 22e9}),
        (
            "671B total parameters with 37B activated for each token",
            "",
            {"parameters": 671e9, "active_parameters": 37e9},
        ),
        ("Mixtral 8x22B", "", {"parameters": 176e9, "parameters_basis": "experts_x_size"}),
        ("", "Qwen/Qwen3-235B-A22B", {"parameters": 235e9, "active_parameters": 22e9, "parameters_basis": "name"}),
        ("", "google/gemma-3-27b-it", {"parameters": 27e9}),
        ("", "tencent/Hunyuan-A13B-Instruct", {"parameters": None, "active_parameters": 13e9}),
        ("trained on 15T tokens", "", {"training_tokens": 15e12}),
        ("pretrained on approximately 36 trillion tokens", "", {"training_tokens": 36e12}),
        ("pre-trained on 14.8T high-quality tokens", "", {"training_tokens": 14.8e12}),
        ("a 1M token context and 128K tokens of context, 2 billion tokens per day", "", {"training_tokens": None}),
        ("using 16,384 H100 GPUs", "", {"hardware_count": 16384.0, "hardware_type": "H100"}),
        ("a cluster of 100K H100s", "", {"hardware_count": 100000.0, "hardware_type": "H100"}),
        ("24,576 TPU v5p chips", "", {"hardware_count": 24576.0, "hardware_type": "TPU v5p"}),
        ("on 2,048 GPUs", "", {"hardware_count": 2048.0, "hardware_type": None}),
        ("3.8e25 FLOPs", "", {"training_flop": 3.8e25}),
        ("3.8 x 10^25 FLOPs", "", {"training_flop": 3.8e25}),
        ("3.8 × 10²⁵ FLOP", "", {"training_flop": 3.8e25}),
        ("2.1E+26 FLOP", "", {"training_flop": 2.1e26}),
        ("models trained with more than 1e25 FLOP, or 10^25 FLOPs", "", {"training_flop": None}),
        ("the 1e26 FLOP threshold", "", {"training_flop": None}),
        ("raises $30 billion at a $380 billion valuation", "Lab raises $30B", {"parameters": None}),
    ],
)
def test_figures_read_from_text(text, name, expected):
    found = extract_figures(text, name)
    for key, value in expected.items():
        assert found[key] == value, (key, found)


# -- shapes ------------------------------------------------------------------------------------
def test_rss_items_with_their_figures_dates_and_model_flags():
    posts = parse("lab_news_rss.xml")
    assert list(posts) == [
        "https://lab.example/news/llama-3-1",
        "https://lab.example/news/qwen3",
        "https://lab.example/news/series-g",
        "https://lab.example/news/mixtral-8x22b",
        "https://lab.example/news/thresholds",
    ]  # the repeated Llama item is kept once
    llama = posts["https://lab.example/news/llama-3-1"]
    assert (llama.feed_kind, llama.feed_title, llama.developer) == ("rss", "Example Lab News", "Example Lab News")
    assert llama.title == "Introducing Llama 3.1: Our most capable models to date"
    assert (llama.model_name, llama.announces_model, llama.post_id) == ("Llama 3.1", True, "llama-3-1")
    assert llama.published_at == datetime(2024, 7, 23, 15, 0)
    assert (llama.parameters, llama.parameters_basis, llama.active_parameters) == (405e9, "stated", None)
    assert llama.training_tokens == 15e12
    assert (llama.hardware_count, llama.hardware_type) == (16384.0, "H100")
    assert llama.training_flop == 3.8e25  # "3.8 &times; 10<sup>25</sup>" once the HTML is removed
    assert "3.8 × 10 25 FLOPs" in llama.flop_text
    assert llama.summary.startswith("Llama 3.1 405B is the first openly available model of its scale")
    assert "<" not in llama.summary
    qwen = posts["https://lab.example/news/qwen3"]
    assert qwen.published_at == datetime(2025, 4, 28, 20, 0)  # 04:00 at +08:00
    assert (qwen.parameters, qwen.active_parameters, qwen.training_tokens) == (235e9, 22e9, 36e12)
    assert (qwen.model_name, qwen.announces_model, qwen.post_id) == (None, True, "https://lab.example/news/qwen3")
    funding = posts["https://lab.example/news/series-g"]
    assert (funding.announces_model, funding.parameters, funding.training_tokens) == (False, None, None)
    mixtral = posts["https://lab.example/news/mixtral-8x22b"]
    assert (mixtral.parameters, mixtral.active_parameters, mixtral.parameters_basis) == (141e9, 39e9, "stated")
    assert mixtral.published_at == datetime(2024, 4, 17, 8, 0)
    rules = posts["https://lab.example/news/thresholds"]
    assert (rules.training_flop, rules.announces_model) == (None, False)
    assert rules.published_at == datetime(2025, 2, 1, 8, 30)  # dc:date, ISO


def test_atom_entries_html_and_xhtml_content_and_alternate_links():
    posts = parse("lab_blog_atom.xml")
    assert list(posts) == [
        "https://lab.example/blog/deepseek-v3",
        "https://lab.example/blog/grok-3",
        "https://lab.example/blog/office",
    ]
    v3 = posts["https://lab.example/blog/deepseek-v3"]
    assert (v3.feed_kind, v3.feed_title, v3.developer) == ("atom", "Example Lab Blog", "Example Lab")
    assert (v3.model_name, v3.announces_model) == ("DeepSeek-V3", True)
    assert v3.published_at == datetime(2024, 12, 26, 12, 0)  # published, not updated
    assert (v3.parameters, v3.active_parameters, v3.training_tokens) == (671e9, 37e9, 14.8e12)
    assert (v3.hardware_count, v3.hardware_type) == (2048.0, "H800")
    assert v3.post_id == "tag:lab.example,2008:Post/deepseek-v3"
    grok = posts["https://lab.example/blog/grok-3"]
    assert grok.title == "Grok 3 Beta — The Age of Reasoning Agents"
    assert grok.published_at == datetime(2025, 2, 18, 6, 0)  # only <updated>
    assert (grok.hardware_count, grok.hardware_type, grok.training_flop) == (100000.0, "H100", 3.5e26)
    assert grok.announces_model is True
    office = posts["https://lab.example/blog/office"]
    assert office.published_at == datetime(2025, 1, 10, 8, 0)
    assert (office.summary, office.announces_model) == ("Our new office opens in March.", False)


def test_hub_model_list_names_sizes_from_repository_names_only():
    feed = Feed("Alibaba", "https://huggingface.co/api/models?author=Qwen", "hf_org")
    source = AnnouncementsSource(feeds=(feed,))
    posts = parse("hub_models.json", source=source, origin=feed.url)
    assert list(posts) == [
        "https://huggingface.co/Qwen/Qwen3-235B-A22B-Instruct-2507",
        "https://huggingface.co/mistralai/Mixtral-8x22B-v0.1",
        "https://huggingface.co/deepseek-ai/DeepSeek-V3.1",
    ]
    qwen = posts["https://huggingface.co/Qwen/Qwen3-235B-A22B-Instruct-2507"]
    assert (qwen.developer, qwen.feed_kind, qwen.title) == ("Alibaba", "hf_org", "Qwen/Qwen3-235B-A22B-Instruct-2507")
    assert (qwen.model_name, qwen.announces_model) == ("Qwen3-235B-A22B-Instruct-2507", True)
    assert (qwen.parameters, qwen.active_parameters, qwen.parameters_basis) == (235e9, 22e9, "name")
    assert qwen.published_at == datetime(2025, 7, 21, 6, 46, 56)
    assert qwen.summary.startswith("pipeline: text-generation; library: transformers; tags: transformers")
    mixtral = posts["https://huggingface.co/mistralai/Mixtral-8x22B-v0.1"]
    assert (mixtral.parameters, mixtral.parameters_basis) == (176e9, "experts_x_size")
    v31 = posts["https://huggingface.co/deepseek-ai/DeepSeek-V3.1"]
    assert v31.parameters is None  # its tags say "8x7B" and name a base model: tags are not read
    # Not from a seeded feed: the developer is the organisation in the repository id.
    assert parse("hub_models.json")["https://huggingface.co/deepseek-ai/DeepSeek-V3.1"].developer == "deepseek-ai"


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<rss version="2.0"><channel><title>&lol2;</title></channel></rss>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>x</title><item><title>&secret;</title><link>https://a/</link></item></channel></rss>"""


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (BOMB, "declares a DTD or entities; refused"),
        (EXTERNAL, "declares a DTD or entities; refused"),
        # Cloudflare's challenge page, served with 200 at a feed URL: named as the HTML page it is.
        (b"<!DOCTYPE html><html><body>Just a moment...</body></html>", "an HTML page, not a feed"),
        (b"<html><body>Sign in</body></html>", "an HTML page, not a feed"),
        (b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>', "neither RSS 2.0 <rss> nor an Atom"),
        (b'<rss version="2.0"><channel><title>t</title></channel></rss>', "feed has no items"),
        (b'<rss version="2.0"><channel><item><title>t</title></item></channel></rss>', "needs a title and a link"),
        (b'{"error": "Invalid credentials in Authorization header"}', "the Hub answered 'Invalid credentials"),
        (b'[{"id": "no-slash"}]', "model 1: no 'id' of the form org/name"),
        (b"not a feed", "neither XML"),
        (b"   ", "file is empty"),
    ],
)
def test_unsafe_or_foreign_content_is_refused_with_a_reason(content, message):
    with pytest.raises(IngestError, match=message):
        parse("x.xml", content)


def test_a_byte_order_mark_before_the_feed_is_accepted():
    content = b"\xef\xbb\xbf" + (DIR / "lab_blog_atom.xml").read_bytes()
    assert len(parse("bom.xml", content)) == 3
    assert len(parse("bom.json", b"\xef\xbb\xbf" + (DIR / "hub_models.json").read_bytes())) == 3


def test_truncated_feeds_and_bad_dates_are_refused():
    rss = (DIR / "lab_news_rss.xml").read_bytes()
    with pytest.raises(IngestError, match=r"malformed XML at line \d+ .*\(truncated\?\)"):
        parse("cut.xml", rss[: len(rss) // 2])
    with pytest.raises(IngestError, match=r"invalid JSON .*truncated"):
        parse("cut.json", (DIR / "hub_models.json").read_bytes()[:300])
    bad = rss.replace(b"Tue, 23 Jul 2024 15:00:00 GMT", b"sometime in July", 1)
    with pytest.raises(IngestError, match=r"item 1 \('Introducing Llama 3.1.*date 'sometime in July'"):
        parse("bad.xml", bad)


# -- live, from 127.0.0.1 ----------------------------------------------------------------------
def test_feeds_fetched_from_a_local_server_load_with_their_seeded_developer(paths: Paths):
    rss, atom, hub = (DIR / n for n in ("lab_news_rss.xml", "lab_blog_atom.xml", "hub_models.json"))
    with local_server() as server:
        feeds = (
            Feed("Example Lab", server.route("/news/rss.xml", Reply(body=rss.read_bytes())), "rss"),
            Feed("Example Lab", server.route("/blog.atom", Reply(body=atom.read_bytes())), "atom"),
            Feed("Alibaba", server.route("/api/models?author=Qwen", Reply(body=hub.read_bytes())), "hf_org"),
            Feed("Gone Lab", server.route("/moved", Reply(404, b"<html>gone</html>")), "rss"),
        )
        source = AnnouncementsSource(feeds=feeds)
        assert source.name in registry.SOURCES
        client = HttpClient(timeout=5, attempts=2, sleep=lambda s: None)
        summary = pipeline.ingest(paths, [source], live=True, client=client, quiet=True)
        # One feed unreachable: the others load, then the stored captures are replayed (already loaded).
        assert [(r.status, r.rows) for r in summary.results] == [
            ("ok", 5),
            ("ok", 3),
            ("ok", 3),
            ("unreachable", 0),
            ("unchanged", 0),
            ("unchanged", 0),
            ("unchanged", 0),
        ]
        assert "HTTP 404" in summary.results[3].message
        assert server.hits["/moved"] == 1  # a 404 is not retried
    from kernel.database import connect

    con = connect(paths.db)
    try:
        rows = con.execute(
            "select feed_kind, count(*), count(*) filter (where announces_model), "
            "list(distinct developer), sum(training_flop) from raw.announcement_posts group by 1 order by 1"
        ).fetchall()
        assert rows == [
            ("atom", 3, 2, ["Example Lab"], 3.5e26),
            ("hf_org", 3, 3, ["Alibaba"], None),
            ("rss", 5, 3, ["Example Lab"], 3.8e25),
        ]
        origin = con.execute(
            "select feed_url from raw.announcement_posts where url = 'https://lab.example/blog/grok-3'"
        ).fetchone()[0]
        assert origin == feeds[1].url
        runs = con.execute(
            "select status, count(*), max(error) from raw.ingest_runs where source = 'announcements' "
            "group by 1 order by 1"
        ).fetchall()
        # The runs table records an unreachable feed as an 'unreachable' run with its reason.
        assert [(status, n) for status, n, _ in runs] == [("ok", 3), ("unreachable", 1)]
        assert runs[1][2] == f"{feeds[3].url}: HTTP 404"
    finally:
        con.close()
