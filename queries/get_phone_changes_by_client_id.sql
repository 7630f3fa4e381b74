-- Phone number changes since :start_date, keyed by client id
-- (client_activity_analysis). databases.yaml maps user: client_id.
SELECT
    client_id,
    phone_type,
    change_date AS change_timestamp,
    changed_by
FROM event_logs.phone_changes
WHERE change_date >= :start_date
ORDER BY change_date
