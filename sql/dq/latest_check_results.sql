-- The latest result of every check (per table, check and partition): what the site and report show.
SELECT *
FROM dq.check_results
QUALIFY row_number() OVER (
    PARTITION BY table_name, check_name, partition ORDER BY checked_at DESC, run_id DESC
) = 1
ORDER BY table_name, check_name, partition
