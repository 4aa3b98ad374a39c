-- Every row alerts read (scores, contributions, events, their mentions), hashed, per country.
SELECT coalesce(country_iso3, '') AS k, hash(t) AS h FROM marts.freedom_scores AS t
UNION ALL
SELECT coalesce(country_iso3, ''), hash(t) FROM marts.score_contributions AS t
UNION ALL
SELECT coalesce(country_iso3, ''), hash(t) FROM core.events AS t
UNION ALL
SELECT coalesce(e.country_iso3, ''), hash(m)
FROM core.event_mentions AS m JOIN core.events AS e USING (event_id)
