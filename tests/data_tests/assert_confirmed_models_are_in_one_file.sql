-- A model confirmed above 1e25 is in the candidates file and the staging file, never in
-- the below file; a model confirmed below is in the below file only. Rows returned fail.
select
    model_id,
    decision,
    dataset_file,
    in_staging_file
from {{ ref('models') }}
where
    (decision = 'y' and (dataset_file <> 'candidates' or not in_staging_file))
    or (decision = 'n' and (dataset_file <> 'below' or in_staging_file))
    or (decision is null and in_staging_file)
