-- The stored annual scores, hashed, per country: digests of what the annual asset wrote.
SELECT coalesce(country_iso3, '') AS k, hash(t) AS h FROM marts.freedom_scores_annual AS t
