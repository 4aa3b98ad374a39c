-- The span of quarters that hold evidence: from the earliest document window to the latest.
SELECT min(window_start) AS first_day, max(window_end) AS last_day
FROM staging.documents
