-- Demo (SQLite): phone changes since :start_date, keyed by client id
-- (databases.yaml maps user: client_id). Numbers are never selected.
SELECT client_id, phone_type, change_date AS change_timestamp
FROM phone_changes
WHERE change_date >= :start_date
ORDER BY change_date
