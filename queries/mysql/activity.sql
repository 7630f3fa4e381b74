-- MySQL/MariaDB (DAM schema): database activity since :start_date.
-- A login to an account that does not exist has no user_id but keeps the
-- typed name in attempted_username; LEFT JOIN and COALESCE keep those rows
-- (their role is NULL) so the brute-force rule sees attacks on unknown
-- accounts too. access_timestamp is indexed, so the lookback is a range scan.
SELECT COALESCE(u.username, a.attempted_username) AS username,
       a.access_timestamp,
       a.operation_type,
       a.operation_status,
       u.role,
       a.ip_address
FROM activity_logs a
LEFT JOIN users u ON u.user_id = a.user_id
WHERE a.access_timestamp >= :start_date
ORDER BY a.access_timestamp
