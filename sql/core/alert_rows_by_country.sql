-- The stored alerts, hashed, per country: digests of what the alerts asset wrote.
SELECT coalesce(country_iso3, '') AS k, hash(t) AS h FROM marts.alerts AS t
