-- Email address changes since :start_date (client_activity_analysis).
-- One row per change; old and new addresses stay in the database: cam reads
-- only who changed and when.
SELECT
    user_id,
    change_date AS change_timestamp,
    changed_by,
    change_reason
FROM event_logs.email_changes
WHERE change_date >= :start_date
ORDER BY change_date
