-- The worst declines of the latest quarter (or of $period_start, a quarter's first day, when given).
-- Parameters: $period_start (DATE or NULL for the latest quarter), $limit (number of rows).
WITH latest AS (
    SELECT coalesce(CAST($period_start AS DATE), max(period_start)) AS period_start
    FROM marts.freedom_scores
),

changes AS (
    SELECT s.country_iso3, s.period, s.period_start, s.freedom, s.score, s.band,
           s.score - p.score AS change, s.carried_forward
    FROM marts.freedom_scores AS s
    JOIN marts.freedom_scores AS p
      ON p.country_iso3 = s.country_iso3
     AND p.freedom = s.freedom
     AND p.period_start = s.period_start - INTERVAL 3 MONTH
),

final AS (
    SELECT c.*
    FROM changes AS c
    JOIN latest AS l ON c.period_start = l.period_start
    WHERE c.change < 0
)

SELECT * FROM final ORDER BY change, country_iso3, freedom LIMIT $limit
