-- Password changes since :start_date (account_activity_analysis).
SELECT
    user_id,
    change_date AS change_timestamp,
    change_type,
    change_source,
    ip_address
FROM audit_logs.password_changes
WHERE change_date >= :start_date
ORDER BY change_date
