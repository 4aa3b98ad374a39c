-- Every row scoring reads, hashed, under the country it belongs to (documents without their
-- text; a mention under its document's and its event's country): digests per country.
WITH d AS (SELECT * EXCLUDE (text) FROM staging.documents)
SELECT coalesce(d.country_iso3, '') AS k, hash(d) AS h FROM d
UNION ALL
SELECT coalesce(d.country_iso3, ''), hash(s) FROM staging.sections AS s JOIN d USING (doc_id)
UNION ALL
SELECT coalesce(e.country_iso3, ''), hash(e) FROM core.events AS e
UNION ALL
SELECT coalesce(d.country_iso3, ''), hash(m) FROM core.event_mentions AS m JOIN d USING (doc_id)
UNION ALL
SELECT coalesce(e.country_iso3, ''), hash(m)
FROM core.event_mentions AS m JOIN core.events AS e USING (event_id)
