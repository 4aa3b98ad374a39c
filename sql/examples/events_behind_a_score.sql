-- The events behind one score, sentence by sentence: what moved it and by how many points.
-- Parameters: $country, $period_start (a quarter's first day), $freedom.
WITH contributions AS (
    SELECT *
    FROM marts.score_contributions
    WHERE country_iso3 = $country
      AND period_start = CAST($period_start AS DATE)
      AND freedom = $freedom
),

final AS (
    SELECT c.event_id, c.event_type, c.status, c.weight, round(c.points, 2) AS points,
           c.sentence, d.title AS document, d.source, d.published
    FROM contributions AS c
    LEFT JOIN staging.documents AS d ON d.doc_id = c.doc_id
)

SELECT * FROM final ORDER BY abs(points) DESC, event_id
