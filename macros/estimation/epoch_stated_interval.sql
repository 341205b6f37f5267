{#- An interval Epoch's analysts state in a model's compute notes, e.g.
        "90% CI: 8.2E+24 to 4.4E+25"          (GPT-4)
        "90% CI [3.23e+24, 2.05e+25]"         (GPT-4o mini)
        "a 90% CI of 6.9e21 to 1.3e23"        (GOAT)
        "[CI: 1e25 to 5e25]"
    Numbers in e-notation or as "4.4 x 10^25" / "4.4×10^25". Epoch's stated intervals are
    90% intervals; one labelled with another level (an "80% CI") is not read, so such a model
    falls back to its confidence word. Returns the lower (side 'low') or upper ('high') end,
    or null when the notes state no interval. The caller checks that the interval holds the
    figure (a note may predate a revision). -#}
{% macro epoch_stated_interval(notes, side) -%}
    {%- set num = "\\d+(?:\\.\\d+)?(?:\\s*[eE]\\s*\\+?\\d+|\\s*[x×*]\\s*10\\s*\\^\\s*\\+?\\d+)?" -%}
    {%- set pattern = "(?i)(?:(\\d+)\\s*%\\s*)?(?:\\bCI\\b|confidence interval|credible interval)\\s*(?:of|is|:|=)?\\s*[\\[(]?\\s*("
        ~ num ~ ")\\s*(?:to|-|–|,)\\s*(" ~ num ~ ")" -%}
    {%- set level = "regexp_extract(" ~ notes ~ ", '" ~ pattern ~ "', 1)" -%}
    {%- set a = epoch_note_number("regexp_extract(" ~ notes ~ ", '" ~ pattern ~ "', 2)") -%}
    {%- set b = epoch_note_number("regexp_extract(" ~ notes ~ ", '" ~ pattern ~ "', 3)") -%}
    (case
        when {{ level }} in ('', '90') and {{ a }} > 0 and {{ b }} > 0
            then {% if side == 'low' %}least{% else %}greatest{% endif %}({{ a }}, {{ b }})
    end)
{%- endmacro %}

{#- A number as Epoch's notes write it ("8.2E+24", "6.9e21", "4.4 x 10^25") as a double, or null. -#}
{% macro epoch_note_number(text) -%}
    try_cast(regexp_replace(regexp_replace({{ text }}, '\s*[x×*]\s*10\s*\^\s*', 'e'), '\s+', '', 'g') as double)
{%- endmacro %}
