{#-
    Normalise a model name from any source to the form model_ids are made of, so that names
    that differ only in spelling, serving or snapshot meet at one id while different models
    stay apart. The rule, step by step (RE2 has no look-around, so for step 6 and 7 every token
    is wrapped in its own pair of '-': one pass then drops every listed token, however many are
    adjacent; the doubled separators are folded back afterwards):

    1. Accents are transliterated (Tülu -> tulu), the name lower-cased; letters of any script
       are kept (a Chinese name stays Chinese, never deleted to empty).
    2. An organisation prefix is cut only from a Hub repo id (`is_repo_id`: the name is
       `org/model` from the Hub or the Open LLM Leaderboard); any other '/' is a separator.
    3. Parentheses: a size `(7B)` or a compact release number `(0520)` is kept as a token (Qwen2.5
       Instruct (7B) and (72B) are two models); any other remark in parentheses is dropped
       (`(Reasoning)`, `(FP8)`, `(Jun 2025)`, `(thinking-16k)`, an alternative name).
    4. Every run of characters other than letters, digits and '+' becomes one '-' (a '.' only
       between two letters or digits is kept: gpt-4.5, v0.1).
    5. Versions are written with a dot ("claude-3-5-sonnet" -> "claude-3.5-sonnet").
    6. Variant and packaging tokens are dropped: the weights or the serving differ, not the trained
       model (instruct, chat, it, base, thinking, reasoning, no-thinking, reasoning effort high / low /
       minimal, exp / experimental, latest, quantisation and precision, hf, api, online, style
       control, a context length such as 32k, a 3-digit build such as -002).
    7. Snapshot dates are dropped: a full date (2025-05-14, 20250514, 240229), a month and day
       (-05-06), a month and year (08-2024, jun-2024). A compact 4-digit suffix is kept: it names a
       release (Qwen's -2507 is YYMM, GLM-4-9B-0414 a new model); where a developer's MMDD suffix is
       only a snapshot of one release (gpt-4-0613), the alias seed says so, row by row.
       `preview` is kept: o1-preview and QwQ-32B-Preview are models of their own; a preview that
       became its release is an alias row.
    8. Claude 4 and later put the tier first, as Anthropic names them (Claude 4 Opus -> claude-opus-4);
       a 'meta-llama-' prefix is 'llama-'.
    An id starts with a letter or digit (never '=', '+', '-' or '@', which a spreadsheet would run).
-#}
{% macro normalize_model_name(name, is_repo_id='false') -%}
{#- Token and date patterns are written with '--' where the name has one separator (step 6). -#}
{%- set tokens = "instruct|instruction|chat|it|base|hf|fp8|bf16|fp16|fp4|int4|int8|awq|gptq|gguf|thinking|reasoning|non--reasoning|nothink|no--thinking|style--control|stylectrl|api|online|exp|experimental|latest|high|low|minimal|v0\\.\\d+|\\d+k|0\\d\\d" -%}
{%- set months = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august|september|october|november|december" -%}
{%- set dates = "20\\d\\d(--)?[01]\\d(--)?[0-3]\\d|20\\d\\d[01]\\d|[01]\\d--20\\d\\d|[01]\\d--[0-3]\\d|2[4-6][01]\\d[0-3]\\d|(" ~ months ~ ")--(20)?\\d\\d" -%}
{%- set lowered = "lower(strip_accents(trim(" ~ name ~ ")))" -%}
{%- set unprefixed = "case when " ~ is_repo_id ~ " then regexp_replace(" ~ lowered ~ ", '^[^/]*/', '') else " ~ lowered ~ " end" -%}
{%- set sized = "regexp_replace(" ~ unprefixed ~ ", '\\(\\s*(\\d+(\\.\\d+)?[mbt]|\\d{4})\\s*\\)', ' \\1 ', 'g')" -%}
{%- set unremarked = "regexp_replace(" ~ sized ~ ", '\\([^)]*\\)', ' ', 'g')" -%}
{%- set separated = "regexp_replace(" ~ unremarked ~ ", '[^\\p{L}\\p{N}+]*[^\\p{L}\\p{N}.+][^\\p{L}\\p{N}+]*', '-', 'g')" -%}
{%- set versioned = "regexp_replace(" ~ separated ~ ", '(^|-)(\\d)-(\\d)(-|$)', '\\1\\2.\\3\\4', 'g')" -%}
{%- set wrapped = "'-' || replace(" ~ versioned ~ ", '-', '--') || '-'" -%}
{%- set untokened = "regexp_replace(" ~ wrapped ~ ", '-(" ~ tokens ~ "|" ~ dates ~ ")-', '', 'g')" -%}
{%- set folded = "regexp_replace(" ~ untokened ~ ", '-+', '-', 'g')" -%}
{%- set reordered = "regexp_replace(" ~ folded ~ ", '^-claude-([4-9]|[1-9]\\d)(\\.\\d+)?-(opus|sonnet|haiku)-', '-claude-\\3-\\1\\2-')" -%}
{%- set relabelled = "regexp_replace(" ~ reordered ~ ", '^-(meta-llama-)+', '-llama-')" -%}
regexp_replace({{ relabelled }}, '^[^\p{L}\p{N}]+|[-.]+$', '', 'g')
{%- endmacro %}
