{#-
    Ordinary least squares with up to three regressors, from sums, so a fit is one GROUP BY
    and leave-one-out is a subtraction of the left-out point's own sums. A relation (alias
    `s`) holds the sums:
        n, s1, s2, s3, sy, s11, s22, s33, s12, s13, s23, s1y, s2y, s3y, syy
    (regressors x1..x3, response y). A regressor that is the same everywhere (for a fit that
    needs fewer regressors, pass 0) gets coefficient 0: a tiny ridge keeps the matrix invertible.

    ols_sums(x1, x2, x3, y)        the aggregate expressions, for a GROUP BY
    ols_loo_sums(s, x1, x2, x3, y, is_member)  the sums minus one member's own point
    ols_fit(s)                     centred moments, inverse, coefficients b1..b3
    ols_predict(f, x1, x2, x3)     fitted value at a point
    ols_se(f, x1, x2, x3)          standard error of a NEW observation there
    ols_df(f), ols_s2(f)           residual degrees of freedom and variance
-#}
{% macro ols_sums(x1, x2, x3, y) -%}
    count(*) as n,
    sum({{ x1 }}) as s1, sum({{ x2 }}) as s2, sum({{ x3 }}) as s3, sum({{ y }}) as sy,
    sum({{ x1 }} * {{ x1 }}) as s11, sum({{ x2 }} * {{ x2 }}) as s22, sum({{ x3 }} * {{ x3 }}) as s33,
    sum({{ x1 }} * {{ x2 }}) as s12, sum({{ x1 }} * {{ x3 }}) as s13, sum({{ x2 }} * {{ x3 }}) as s23,
    sum({{ x1 }} * {{ y }}) as s1y, sum({{ x2 }} * {{ y }}) as s2y, sum({{ x3 }} * {{ y }}) as s3y,
    sum({{ y }} * {{ y }}) as syy
{%- endmacro %}

{% macro ols_loo_sums(s, x1, x2, x3, y, is_member) -%}
    {%- set k = '(case when ' ~ is_member ~ ' then 1 else 0 end)' -%}
    {{ s }}.n - {{ k }} as n,
    {{ s }}.s1 - {{ k }} * coalesce({{ x1 }}, 0) as s1,
    {{ s }}.s2 - {{ k }} * coalesce({{ x2 }}, 0) as s2,
    {{ s }}.s3 - {{ k }} * coalesce({{ x3 }}, 0) as s3,
    {{ s }}.sy - {{ k }} * coalesce({{ y }}, 0) as sy,
    {{ s }}.s11 - {{ k }} * coalesce({{ x1 }} * {{ x1 }}, 0) as s11,
    {{ s }}.s22 - {{ k }} * coalesce({{ x2 }} * {{ x2 }}, 0) as s22,
    {{ s }}.s33 - {{ k }} * coalesce({{ x3 }} * {{ x3 }}, 0) as s33,
    {{ s }}.s12 - {{ k }} * coalesce({{ x1 }} * {{ x2 }}, 0) as s12,
    {{ s }}.s13 - {{ k }} * coalesce({{ x1 }} * {{ x3 }}, 0) as s13,
    {{ s }}.s23 - {{ k }} * coalesce({{ x2 }} * {{ x3 }}, 0) as s23,
    {{ s }}.s1y - {{ k }} * coalesce({{ x1 }} * {{ y }}, 0) as s1y,
    {{ s }}.s2y - {{ k }} * coalesce({{ x2 }} * {{ y }}, 0) as s2y,
    {{ s }}.s3y - {{ k }} * coalesce({{ x3 }} * {{ y }}, 0) as s3y,
    {{ s }}.syy - {{ k }} * coalesce({{ y }} * {{ y }}, 0) as syy
{%- endmacro %}

{#- Centred moments (with a 1e-9 ridge on the diagonal), then the inverse of the 3x3
    moment matrix by cofactors, then the coefficients. Needs three select levels, so it is
    three macros used as successive CTEs: ols_centre(s), ols_invert(c), ols_coefficients(i). -#}
{% macro ols_centre(s) -%}
    {{ s }}.*,
    {{ s }}.s11 - {{ s }}.s1 * {{ s }}.s1 / {{ s }}.n + 1e-9 as c11,
    {{ s }}.s22 - {{ s }}.s2 * {{ s }}.s2 / {{ s }}.n + 1e-9 as c22,
    {{ s }}.s33 - {{ s }}.s3 * {{ s }}.s3 / {{ s }}.n + 1e-9 as c33,
    {{ s }}.s12 - {{ s }}.s1 * {{ s }}.s2 / {{ s }}.n as c12,
    {{ s }}.s13 - {{ s }}.s1 * {{ s }}.s3 / {{ s }}.n as c13,
    {{ s }}.s23 - {{ s }}.s2 * {{ s }}.s3 / {{ s }}.n as c23,
    {{ s }}.s1y - {{ s }}.s1 * {{ s }}.sy / {{ s }}.n as c1y,
    {{ s }}.s2y - {{ s }}.s2 * {{ s }}.sy / {{ s }}.n as c2y,
    {{ s }}.s3y - {{ s }}.s3 * {{ s }}.sy / {{ s }}.n as c3y,
    {{ s }}.syy - {{ s }}.sy * {{ s }}.sy / {{ s }}.n as cyy
{%- endmacro %}

{% macro ols_invert(c) -%}
    {%- set det = '(' ~ c ~ '.c11 * (' ~ c ~ '.c22 * ' ~ c ~ '.c33 - ' ~ c ~ '.c23 * ' ~ c ~ '.c23) - '
        ~ c ~ '.c12 * (' ~ c ~ '.c12 * ' ~ c ~ '.c33 - ' ~ c ~ '.c23 * ' ~ c ~ '.c13) + '
        ~ c ~ '.c13 * (' ~ c ~ '.c12 * ' ~ c ~ '.c23 - ' ~ c ~ '.c22 * ' ~ c ~ '.c13))' -%}
    {{ c }}.*,
    ({{ c }}.c22 * {{ c }}.c33 - {{ c }}.c23 * {{ c }}.c23) / {{ det }} as i11,
    ({{ c }}.c13 * {{ c }}.c23 - {{ c }}.c12 * {{ c }}.c33) / {{ det }} as i12,
    ({{ c }}.c12 * {{ c }}.c23 - {{ c }}.c13 * {{ c }}.c22) / {{ det }} as i13,
    ({{ c }}.c11 * {{ c }}.c33 - {{ c }}.c13 * {{ c }}.c13) / {{ det }} as i22,
    ({{ c }}.c12 * {{ c }}.c13 - {{ c }}.c11 * {{ c }}.c23) / {{ det }} as i23,
    ({{ c }}.c11 * {{ c }}.c22 - {{ c }}.c12 * {{ c }}.c12) / {{ det }} as i33
{%- endmacro %}

{% macro ols_coefficients(i) -%}
    {{ i }}.*,
    {{ i }}.i11 * {{ i }}.c1y + {{ i }}.i12 * {{ i }}.c2y + {{ i }}.i13 * {{ i }}.c3y as b1,
    {{ i }}.i12 * {{ i }}.c1y + {{ i }}.i22 * {{ i }}.c2y + {{ i }}.i23 * {{ i }}.c3y as b2,
    {{ i }}.i13 * {{ i }}.c1y + {{ i }}.i23 * {{ i }}.c2y + {{ i }}.i33 * {{ i }}.c3y as b3
{%- endmacro %}

{#- Intercept: mean y minus the coefficients times the regressor means. -#}
{% macro ols_intercept(f) -%}
    ({{ f }}.sy / {{ f }}.n - {{ f }}.b1 * {{ f }}.s1 / {{ f }}.n - {{ f }}.b2 * {{ f }}.s2 / {{ f }}.n
        - {{ f }}.b3 * {{ f }}.s3 / {{ f }}.n)
{%- endmacro %}

{% macro ols_predict(f, x1, x2, x3) -%}
    ({{ ols_intercept(f) }} + {{ f }}.b1 * ({{ x1 }}) + {{ f }}.b2 * ({{ x2 }}) + {{ f }}.b3 * ({{ x3 }}))
{%- endmacro %}

{#- Residual degrees of freedom: n minus the intercept minus each regressor that varies. -#}
{% macro ols_df(f) -%}
    ({{ f }}.n - 1 - (case when {{ f }}.c11 > 1e-6 then 1 else 0 end) - (case when {{ f }}.c22 > 1e-6 then 1 else 0 end)
        - (case when {{ f }}.c33 > 1e-6 then 1 else 0 end))
{%- endmacro %}

{% macro ols_s2(f) -%}
    greatest(({{ f }}.cyy - {{ f }}.b1 * {{ f }}.c1y - {{ f }}.b2 * {{ f }}.c2y - {{ f }}.b3 * {{ f }}.c3y)
        / {{ ols_df(f) }}, 1e-6)
{%- endmacro %}

{#- A regressor with no spread among the fit's points (every reference open-weights, say)
    carries no information: its coefficient is ~0 through the ridge, and its distance term is
    dropped from the leverage instead of being divided by the ridge. -#}
{% macro ols_se(f, x1, x2, x3) -%}
    {%- set d1 = '((' ~ x1 ~ ') - ' ~ f ~ '.s1 / ' ~ f ~ '.n) * (case when ' ~ f ~ '.c11 > 1e-6 then 1 else 0 end)' -%}
    {%- set d2 = '((' ~ x2 ~ ') - ' ~ f ~ '.s2 / ' ~ f ~ '.n) * (case when ' ~ f ~ '.c22 > 1e-6 then 1 else 0 end)' -%}
    {%- set d3 = '((' ~ x3 ~ ') - ' ~ f ~ '.s3 / ' ~ f ~ '.n) * (case when ' ~ f ~ '.c33 > 1e-6 then 1 else 0 end)' -%}
    sqrt({{ ols_s2(f) }} * (1 + 1.0 / {{ f }}.n
        + {{ d1 }} * {{ d1 }} * {{ f }}.i11 + {{ d2 }} * {{ d2 }} * {{ f }}.i22 + {{ d3 }} * {{ d3 }} * {{ f }}.i33
        + 2 * ({{ d1 }} * {{ d2 }} * {{ f }}.i12 + {{ d1 }} * {{ d3 }} * {{ f }}.i13 + {{ d2 }} * {{ d3 }} * {{ f }}.i23)))
{%- endmacro %}

{#- Student t quantile for a two-sided 90% interval, Cornish-Fisher to two terms. -#}
{% macro t90(df) -%}
    (1.6448536 + (pow(1.6448536, 3) + 1.6448536) / (4 * ({{ df }}))
        + (5 * pow(1.6448536, 5) + 16 * pow(1.6448536, 3) + 3 * 1.6448536) / (96 * pow({{ df }}, 2)))
{%- endmacro %}
