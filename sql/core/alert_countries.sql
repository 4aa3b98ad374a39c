-- Every country alerts can be about: those with scores or with events.
SELECT DISTINCT country_iso3 FROM marts.freedom_scores WHERE country_iso3 IS NOT NULL
UNION
SELECT DISTINCT country_iso3 FROM core.events WHERE country_iso3 IS NOT NULL
