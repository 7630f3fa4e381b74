-- Demo (SQLite): MFA token changes since :start_date.
SELECT user_id, token_type, action, action_date AS change_timestamp
FROM token_changes
WHERE action_date >= :start_date
  AND action IN ('CREATED', 'REVOKED', 'EXPIRED')
ORDER BY action_date
