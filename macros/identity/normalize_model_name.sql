{#-
    Normalise a model name from any source to the form model_ids are made of:
    lower case, '-' as the only separator, no organisation prefix, no date stamps, no
    serving/packaging suffixes (preview, exp, latest, instruct, chat, it, hf, fp8, bf16,
    thinking, style control, context length), and version numbers written with a dot
    ("claude-3-5-sonnet" -> "claude-3.5-sonnet"). The same rules apply to every source,
    so names that differ only in these ways meet at one id. An id starts with a letter or digit
    (never '=', '+', '-' or '@', which a spreadsheet would run). RE2 has no look-around, so
    token removal pads with '-' and runs twice (adjacent tokens share a separator).
-#}
{% macro normalize_model_name(name) -%}
regexp_replace(
{%- set tokens = "preview|exp|experimental|latest|instruct|instruction|chat|it|hf|fp8|bf16|fp16|int4|int8|awq|gguf|thinking|reasoning|nothink|no-thinking|style-control|stylectrl|api|online|base|high|low|minimal|v0\\.\\d+|\\d+k|0\\d\\d" -%}
{%- set dates = "20\\d\\d-?[01]\\d-?[0-3]\\d|20\\d\\d[01]\\d|[01]\\d-20\\d\\d|[01]\\d-[0-3]\\d|[01]\\d[0-3]\\d|2[4-6][01]\\d[0-3]\\d" -%}
trim(
    regexp_replace(
        regexp_replace(
            regexp_replace(
                regexp_replace(
                    regexp_replace(
                        regexp_replace(
                            regexp_replace(
                                '-' || regexp_replace(
                                    regexp_replace(
                                        regexp_replace(
                                            regexp_replace(lower(trim({{ name }})), '\([^)]*\)', '', 'g'),
                                            '^[^/]*/', ''
                                        ),
                                        '[\s_:]+', '-', 'g'
                                    ),
                                    '(^|-)(\d)-(\d)(-|$)', '\1\2.\3\4', 'g'
                                ) || '-',
                                '-({{ tokens }})-', '-', 'g'
                            ),
                            '-({{ tokens }})-', '-', 'g'
                        ),
                        '-({{ dates }})-', '-', 'g'
                    ),
                    '-({{ tokens }})-', '-', 'g'
                ),
                '-({{ dates }})-', '-', 'g'
            ),
            '^-*meta-llama-', 'llama-'
        ),
        '-+', '-', 'g'
    ),
    '-'
), '^[^a-z0-9]+', '')
{%- endmacro %}
