-- The stored quarterly scores and contributions of a range of quarters, hashed, per country
-- and quarter ('ISO3|2025-01-01'): digests of what the scoring asset wrote.
SELECT coalesce(country_iso3, '') || '|' || CAST(period_start AS VARCHAR) AS k, hash(t) AS h
FROM marts.freedom_scores AS t
WHERE period_start >= $start AND period_start < $end
UNION ALL
SELECT coalesce(country_iso3, '') || '|' || CAST(period_start AS VARCHAR), hash(t)
FROM marts.score_contributions AS t
WHERE period_start >= $start AND period_start < $end
