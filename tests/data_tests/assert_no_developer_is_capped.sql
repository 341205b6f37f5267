-- The system this replaces capped 30 developers at 9.9e24 to hide a broken estimator.
-- No developer may have several models, estimated by different methods, sitting at exactly
-- one value just under the line (ties within one method, e.g. equal Arena scores, are fine).
select
    developer,
    training_flop,
    count(*) as n_models
from {{ ref('models') }}
where training_flop between 9.0e24 and 9.99e24
group by developer, training_flop
having count(*) >= 3 and count(distinct estimation_method) >= 2
