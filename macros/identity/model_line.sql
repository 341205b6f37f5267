{#- The product line a model belongs to within its developer: the last tier word in its
    id (opus, sonnet, haiku, ultra, pro, flash, lite, max, plus, mini, nano, large, medium,
    small, instant, air, fast, turbo, edge, core, lightning), else the leading family word (gpt, grok, glm, claude, ...).
    Used by family lineage to find earlier models of the same line. -#}
{% macro model_line(model_id) -%}
    coalesce(
        list_last(regexp_extract_all({{ model_id }}, '(?:^|-)(opus|sonnet|haiku|ultra|pro|flash|lite|max|plus|mini|nano|large|medium|small|instant|air|fast|turbo|edge|core|lightning|nova)(?:-|$|\d)', 1)),
        regexp_extract({{ model_id }}, '^[a-z]+', 0)
    )
{%- endmacro %}

{#- True when the id carries a parameter count (70b, 8x22b, 235b-a22b): such models are
    sized by their name, not by their family. -#}
{% macro has_size_in_name(model_id) -%}
    regexp_matches({{ model_id }}, '(^|-)\d+(\.\d+)?(x\d+(\.\d+)?)?b(-|$)')
{%- endmacro %}

{#- The series a model belongs to: its family word and generation, the unit developers train on
    one corpus ("qwen3-0.6b" and "qwen3-235b-a22b" -> qwen3; "llama-3.1-8b" -> llama-3.1;
    "granite-3.0-2b" -> granite-3.0; "deepseek-v3" -> deepseek-v3; "gemma-7b" -> gemma: a size
    is not a generation). Token priors transfer a corpus within a series. -#}
{% macro model_series(model_id) -%}
    rtrim(regexp_extract({{ model_id }}, '^[a-z]+(?:-?v?\d+(?:\.\d+)?(?:$|-))?', 0), '-')
{%- endmacro %}

{#- What a model is for, as its id says: the modality and purpose words among its hyphen-separated
    parts (guard, video, image, vision, audio, speech, embed, coder, math, omni, ...; a part may go on
    with digits: vl2, omni3), sorted, distinct and joined with '+'; '' for a plain language model.
    Family lineage only follows a model of the same kind: a video model is no successor to a chat model
    (hunyuan-video -> hunyuan-turbos), nor a guard classifier a predecessor of a flagship
    (llama-guard -> llama-4-behemoth). -#}
{% macro model_kind(model_id) -%}
    {%- set words = 'guard|video|t2v|i2v|image|vision|vl|audio|speech|tts|voice|asr|transcribe|whisper|embed|embedding|rerank|reranker|coder|code|math|multimodal|omni|reel|sonic|act|music|ocr|diffusion|robotics|world' -%}
    array_to_string(list_sort(list_distinct(list_transform(
        list_filter(string_split({{ model_id }}, '-'), lambda part: regexp_full_match(part, '({{ words }})(\d.*)?')),
        lambda part: regexp_extract(part, '^({{ words }})(\d.*)?$', 1)
    ))), '+')
{%- endmacro %}
