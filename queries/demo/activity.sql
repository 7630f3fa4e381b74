-- Demo (SQLite): database activity since :start_date in the shape of the
-- DAM schema. LEFT JOIN keeps attempts against usernames with no account
-- (their role is NULL), which the brute-force rule must still see.
SELECT a.username,
       a.access_timestamp,
       a.operation_type,
       a.operation_status,
       u.role,
       a.ip_address
FROM activity_logs a
LEFT JOIN users u ON u.username = a.username
WHERE a.access_timestamp >= :start_date
ORDER BY a.access_timestamp
