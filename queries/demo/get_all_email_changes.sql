-- Demo (SQLite): email changes since :start_date. Timestamps are zone-less
-- text in the database's zone (databases.yaml: timezone). The old and new
-- addresses stay in the database: cam needs only who changed and when.
SELECT user_id, change_date AS change_timestamp
FROM email_changes
WHERE change_date >= :start_date
ORDER BY change_date
