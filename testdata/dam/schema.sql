-- The database-activity-monitoring (DAM) schema cam's activity query reads:
-- accounts, what they did, the products they worked on, and the alerts the
-- DAM raised. MySQL 8 and MariaDB 10.5+. Load it into an empty database
-- (the tests use `dam`), then seed.sql for the planted cases.

CREATE TABLE users (
    user_id     INT AUTO_INCREMENT PRIMARY KEY,
    username    VARCHAR(50)  NOT NULL UNIQUE,
    email       VARCHAR(100) NOT NULL UNIQUE,
    role        ENUM('Admin', 'User', 'Guest') NOT NULL DEFAULT 'User',
    is_active   BOOLEAN      NOT NULL DEFAULT TRUE,
    created_at  DATETIME     NOT NULL DEFAULT CURRENT_TIMESTAMP,
    last_login  DATETIME     NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE products (
    product_id      INT AUTO_INCREMENT PRIMARY KEY,
    product_name    VARCHAR(100)  NOT NULL,
    category        VARCHAR(50)   NOT NULL,
    price           DECIMAL(10, 2) NOT NULL,
    stock_quantity  INT           NOT NULL DEFAULT 0,
    created_at      DATETIME      NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at      DATETIME      NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- One row per access. access_timestamp is the wall clock of the server's
-- zone (DATETIME carries none): databases.yaml's timezone must name it.
-- A login attempt keeps the username that was typed in attempted_username;
-- user_id stays NULL when no account has that name, so attacks on unknown
-- accounts remain visible.
CREATE TABLE activity_logs (
    log_id              BIGINT AUTO_INCREMENT PRIMARY KEY,
    user_id             INT          NULL,
    attempted_username  VARCHAR(50)  NULL,
    access_timestamp    DATETIME     NOT NULL,
    operation_type      ENUM('LOGIN', 'LOGOUT', 'SELECT', 'INSERT', 'UPDATE', 'DELETE') NOT NULL,
    operation_status    ENUM('SUCCESS', 'FAILED') NOT NULL,
    table_accessed      VARCHAR(64)  NULL,
    record_id           INT          NULL,
    ip_address          VARCHAR(45)  NULL,
    query_details       VARCHAR(255) NULL,
    CONSTRAINT fk_activity_user FOREIGN KEY (user_id) REFERENCES users (user_id),
    INDEX idx_activity_time (access_timestamp),
    INDEX idx_activity_user_time (user_id, access_timestamp)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE security_alerts (
    alert_id         INT AUTO_INCREMENT PRIMARY KEY,
    user_id          INT          NULL,
    alert_type       ENUM('BRUTE_FORCE', 'OFF_HOURS', 'ROLE_VIOLATION', 'OTHER') NOT NULL,
    severity         ENUM('LOW', 'MEDIUM', 'HIGH', 'CRITICAL') NOT NULL,
    description      VARCHAR(255) NOT NULL,
    alert_timestamp  DATETIME     NOT NULL,
    ip_address       VARCHAR(45)  NULL,
    is_resolved      BOOLEAN      NOT NULL DEFAULT FALSE,
    resolved_by      INT          NULL,
    resolved_at      DATETIME     NULL,
    CONSTRAINT fk_alert_user FOREIGN KEY (user_id) REFERENCES users (user_id),
    CONSTRAINT fk_alert_resolver FOREIGN KEY (resolved_by) REFERENCES users (user_id),
    INDEX idx_alert_time (alert_timestamp)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- Every activity with the name that was used: the account's username, or
-- the attempted one for logins to unknown accounts.
CREATE VIEW all_activities AS
SELECT a.log_id,
       COALESCE(u.username, a.attempted_username) AS username,
       u.role,
       a.access_timestamp,
       a.operation_type,
       a.operation_status,
       a.table_accessed,
       a.record_id,
       a.ip_address
FROM activity_logs a
LEFT JOIN users u ON u.user_id = a.user_id;

-- What the DAM's own triggers would flag, with the reason: failed logins,
-- activity outside 09:00-18:00, and Guest accounts writing.
CREATE VIEW suspicious_activities AS
SELECT v.*,
       CASE
           WHEN v.operation_type = 'LOGIN' AND v.operation_status = 'FAILED' THEN 'failed login'
           WHEN v.role = 'Guest' AND v.operation_type IN ('INSERT', 'UPDATE', 'DELETE') THEN 'guest write'
           ELSE 'off hours'
       END AS reason
FROM all_activities v
WHERE (v.operation_type = 'LOGIN' AND v.operation_status = 'FAILED')
   OR (v.role = 'Guest' AND v.operation_type IN ('INSERT', 'UPDATE', 'DELETE'))
   OR TIME(v.access_timestamp) < '09:00:00'
   OR TIME(v.access_timestamp) >= '18:00:00';

-- One row per account: how much it did, how much failed, how much it wrote.
CREATE VIEW user_activity_summary AS
SELECT u.user_id,
       u.username,
       u.role,
       u.is_active,
       COUNT(a.log_id) AS total_actions,
       COALESCE(SUM(a.operation_status = 'FAILED'), 0) AS failed_actions,
       COALESCE(SUM(a.operation_type IN ('INSERT', 'UPDATE', 'DELETE')), 0) AS write_actions,
       MAX(a.access_timestamp) AS last_activity
FROM users u
LEFT JOIN activity_logs a ON a.user_id = u.user_id
GROUP BY u.user_id, u.username, u.role, u.is_active;
