{#-
    Ordinary least squares with two regressors, from sums, so a fit is one GROUP BY and
    leave-one-out is a subtraction. `s` is the relation alias holding the sums:
    n, sx, sz, sy, sxx, szz, sxy, szy, syy, sxz (x, z regressors; y the response).
    ols2_predict returns the fitted value at (x, z); ols2_se the standard error of a
    NEW observation there (sqrt(s2 * (1 + leverage))), the basis of the prediction interval.
-#}
{% macro ols2_terms(s) -%}
    {{ s }}.sxx - {{ s }}.sx * {{ s }}.sx / {{ s }}.n as cxx,
    {{ s }}.szz - {{ s }}.sz * {{ s }}.sz / {{ s }}.n as czz,
    {{ s }}.sxz - {{ s }}.sx * {{ s }}.sz / {{ s }}.n as cxz,
    {{ s }}.sxy - {{ s }}.sx * {{ s }}.sy / {{ s }}.n as cxy,
    {{ s }}.szy - {{ s }}.sz * {{ s }}.sy / {{ s }}.n as czy,
    {{ s }}.syy - {{ s }}.sy * {{ s }}.sy / {{ s }}.n as cyy
{%- endmacro %}

{#- Coefficients from centred sums c (cxx, czz, cxz, cxy, czy); a tiny ridge keeps a
    degenerate z (all the same date) from dividing by zero: b2 then goes to 0. -#}
{% macro ols2_coefficients(c, s) -%}
    ({{ c }}.cxy * ({{ c }}.czz + 1e-9) - {{ c }}.czy * {{ c }}.cxz)
        / ({{ c }}.cxx * ({{ c }}.czz + 1e-9) - {{ c }}.cxz * {{ c }}.cxz) as b1,
    ({{ c }}.czy * {{ c }}.cxx - {{ c }}.cxy * {{ c }}.cxz)
        / ({{ c }}.cxx * ({{ c }}.czz + 1e-9) - {{ c }}.cxz * {{ c }}.cxz) as b2
{%- endmacro %}

{% macro ols2_predict(s, c, x, z) -%}
    ({{ s }}.sy / {{ s }}.n + {{ c }}.b1 * (({{ x }}) - {{ s }}.sx / {{ s }}.n) + {{ c }}.b2 * (({{ z }}) - {{ s }}.sz / {{ s }}.n))
{%- endmacro %}

{#- Residual variance with n - 3 degrees of freedom. -#}
{% macro ols2_s2(s, c) -%}
    greatest(({{ c }}.cyy - {{ c }}.b1 * {{ c }}.cxy - {{ c }}.b2 * {{ c }}.czy) / ({{ s }}.n - 3), 1e-6)
{%- endmacro %}

{% macro ols2_se(s, c, x, z) -%}
    {%- set dx = '((' ~ x ~ ') - ' ~ s ~ '.sx / ' ~ s ~ '.n)' -%}
    {%- set dz = '((' ~ z ~ ') - ' ~ s ~ '.sz / ' ~ s ~ '.n)' -%}
    {%- set det = '(' ~ c ~ '.cxx * (' ~ c ~ '.czz + 1e-9) - ' ~ c ~ '.cxz * ' ~ c ~ '.cxz)' -%}
    sqrt({{ ols2_s2(s, c) }} * (1 + 1.0 / {{ s }}.n
        + ({{ dx }} * {{ dx }} * ({{ c }}.czz + 1e-9) - 2 * {{ dx }} * {{ dz }} * {{ c }}.cxz + {{ dz }} * {{ dz }} * {{ c }}.cxx) / {{ det }}))
{%- endmacro %}

{#- Student t quantile for a two-sided 90% interval, Cornish-Fisher to two terms. -#}
{% macro t90(df) -%}
    (1.6448536 + (pow(1.6448536, 3) + 1.6448536) / (4 * ({{ df }}))
        + (5 * pow(1.6448536, 5) + 16 * pow(1.6448536, 3) + 3 * 1.6448536) / (96 * pow({{ df }}, 2)))
{%- endmacro %}
