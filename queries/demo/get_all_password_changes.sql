-- Demo (SQLite): password changes since :start_date. user_id is an
-- INTEGER here and TEXT in the client database: cam matches them as text.
SELECT user_id, change_date AS change_timestamp, change_type, change_source
FROM password_changes
WHERE change_date >= :start_date
ORDER BY change_date
