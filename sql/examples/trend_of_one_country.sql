-- Trend of one country: every quarter's score and interval for each freedom.
-- Parameters: $country (ISO 3166-1 alpha-3, e.g. 'SRB').
WITH scores AS (
    SELECT country_iso3, period, period_start, freedom, score, score_low, score_high, band,
           carried_forward, n_events
    FROM marts.freedom_scores
    WHERE country_iso3 = $country
),

final AS (
    SELECT *,
           score - lag(score) OVER (PARTITION BY freedom ORDER BY period_start) AS change
    FROM scores
)

SELECT * FROM final ORDER BY freedom, period_start
