-- Seed data for schema.sql: 5 accounts, 20 products, a week of ordinary
-- activity, and planted cases for cam's activity rules. Timestamps are
-- relative to the server's current date, so the data stays inside cam's
-- 30-day lookback whenever it is loaded; every clock below is the wall clock
-- of the database's zone (databases.yaml timezone), and business hours are
-- taken to be 09:00-18:00 in that same zone.
--
-- The planted cases are listed for Go in engine/mysql/mariadbtest/dam.go
-- (DAMPlantedCases); keep the two in step.

INSERT INTO users (user_id, username, email, role, is_active, created_at) VALUES
    (1, 'admin',   'admin@dam.example.com',   'Admin', TRUE,  CURDATE() - INTERVAL 400 DAY),
    (2, 'jdoe',    'jdoe@dam.example.com',    'User',  TRUE,  CURDATE() - INTERVAL 300 DAY),
    (3, 'asmith',  'asmith@dam.example.com',  'User',  TRUE,  CURDATE() - INTERVAL 200 DAY),
    (4, 'guest',   'guest@dam.example.com',   'Guest', TRUE,  CURDATE() - INTERVAL 100 DAY),
    (5, 'olduser', 'olduser@dam.example.com', 'User',  FALSE, CURDATE() - INTERVAL 900 DAY);

INSERT INTO products (product_name, category, price, stock_quantity) VALUES
    ('Laptop Pro 14', 'Electronics', 1499.00, 25),
    ('Wireless Mouse', 'Electronics', 29.99, 340),
    ('USB-C Dock', 'Electronics', 189.50, 60),
    ('Noise-Cancelling Headset', 'Electronics', 249.00, 80),
    ('27in Monitor', 'Electronics', 329.00, 45),
    ('Mechanical Keyboard', 'Electronics', 119.00, 150),
    ('Office Chair', 'Furniture', 399.00, 30),
    ('Standing Desk', 'Furniture', 649.00, 12),
    ('Desk Lamp', 'Furniture', 39.90, 200),
    ('Filing Cabinet', 'Furniture', 219.00, 18),
    ('A4 Paper (5 reams)', 'Stationery', 24.99, 500),
    ('Gel Pens (12)', 'Stationery', 8.49, 800),
    ('Notebook A5', 'Stationery', 4.99, 1200),
    ('Whiteboard Markers', 'Stationery', 6.75, 650),
    ('Stapler', 'Stationery', 12.30, 240),
    ('Coffee Beans 1kg', 'Pantry', 21.00, 90),
    ('Green Tea (100)', 'Pantry', 9.80, 140),
    ('Water Bottles (24)', 'Pantry', 11.40, 75),
    ('Printer Toner', 'Supplies', 89.00, 55),
    ('Cleaning Wipes', 'Supplies', 5.60, 400);

-- Ordinary work of the active accounts over the last 7 days, all within
-- business hours: log in, read products, log out. Guest only reads.
INSERT INTO activity_logs (user_id, attempted_username, access_timestamp, operation_type, operation_status, table_accessed, ip_address)
SELECT u.user_id,
       CASE WHEN t.op = 'LOGIN' THEN u.username END,
       TIMESTAMP(CURDATE() - INTERVAL d.n DAY, t.clock),
       t.op, 'SUCCESS', t.tbl, CONCAT('10.0.0.', u.user_id)
FROM users u
CROSS JOIN (SELECT 1 AS n UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4
            UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7) d
CROSS JOIN (SELECT '09:30:00' AS clock, 'LOGIN' AS op, NULL AS tbl
            UNION ALL SELECT '10:05:00', 'SELECT', 'products'
            UNION ALL SELECT '13:40:00', 'SELECT', 'products'
            UNION ALL SELECT '16:45:00', 'LOGOUT', NULL) t
WHERE u.is_active;

-- Admin and User accounts write products in business hours: allowed.
-- (NEAR MISS role violation: asmith is a User, so her writes are fine.)
INSERT INTO activity_logs (user_id, access_timestamp, operation_type, operation_status, table_accessed, record_id, ip_address) VALUES
    (1, TIMESTAMP(CURDATE() - INTERVAL 3 DAY, '11:20:00'), 'UPDATE', 'SUCCESS', 'products', 7, '10.0.0.1'),
    (3, TIMESTAMP(CURDATE() - INTERVAL 3 DAY, '14:00:00'), 'INSERT', 'SUCCESS', 'products', 21, '10.0.0.3'),
    (3, TIMESTAMP(CURDATE() - INTERVAL 3 DAY, '14:02:00'), 'UPDATE', 'SUCCESS', 'products', 21, '10.0.0.3'),
    (3, TIMESTAMP(CURDATE() - INTERVAL 3 DAY, '14:05:00'), 'DELETE', 'SUCCESS', 'products', 21, '10.0.0.3');

-- PLANTED brute force, real account: jdoe, 8 failed logins in under 3 minutes (two days ago, 11:00),
-- then the right password.
INSERT INTO activity_logs (user_id, attempted_username, access_timestamp, operation_type, operation_status, ip_address) VALUES
    (2, 'jdoe', TIMESTAMP(CURDATE() - INTERVAL 2 DAY, '11:00:00'), 'LOGIN', 'FAILED', '203.0.113.1'),
    (2, 'jdoe', TIMESTAMP(CURDATE() - INTERVAL 2 DAY, '11:00:25'), 'LOGIN', 'FAILED', '203.0.113.2'),
    (2, 'jdoe', TIMESTAMP(CURDATE() - INTERVAL 2 DAY, '11:00:50'), 'LOGIN', 'FAILED', '203.0.113.3'),
    (2, 'jdoe', TIMESTAMP(CURDATE() - INTERVAL 2 DAY, '11:01:15'), 'LOGIN', 'FAILED', '203.0.113.1'),
    (2, 'jdoe', TIMESTAMP(CURDATE() - INTERVAL 2 DAY, '11:01:40'), 'LOGIN', 'FAILED', '203.0.113.2'),
    (2, 'jdoe', TIMESTAMP(CURDATE() - INTERVAL 2 DAY, '11:02:05'), 'LOGIN', 'FAILED', '203.0.113.3'),
    (2, 'jdoe', TIMESTAMP(CURDATE() - INTERVAL 2 DAY, '11:02:30'), 'LOGIN', 'FAILED', '203.0.113.1'),
    (2, 'jdoe', TIMESTAMP(CURDATE() - INTERVAL 2 DAY, '11:02:55'), 'LOGIN', 'FAILED', '203.0.113.2');

INSERT INTO activity_logs (user_id, attempted_username, access_timestamp, operation_type, operation_status, ip_address) VALUES
    (2, 'jdoe', TIMESTAMP(CURDATE() - INTERVAL 2 DAY, '11:03:30'), 'LOGIN', 'SUCCESS', '203.0.113.2');

-- PLANTED brute force, unknown account: 7 failed logins as 'root' in 2 minutes (no such user).
INSERT INTO activity_logs (user_id, attempted_username, access_timestamp, operation_type, operation_status, ip_address) VALUES
    (NULL, 'root', TIMESTAMP(CURDATE() - INTERVAL 2 DAY, '14:30:00'), 'LOGIN', 'FAILED', '203.0.113.66'),
    (NULL, 'root', TIMESTAMP(CURDATE() - INTERVAL 2 DAY, '14:30:20'), 'LOGIN', 'FAILED', '203.0.113.66'),
    (NULL, 'root', TIMESTAMP(CURDATE() - INTERVAL 2 DAY, '14:30:40'), 'LOGIN', 'FAILED', '203.0.113.66'),
    (NULL, 'root', TIMESTAMP(CURDATE() - INTERVAL 2 DAY, '14:31:00'), 'LOGIN', 'FAILED', '203.0.113.66'),
    (NULL, 'root', TIMESTAMP(CURDATE() - INTERVAL 2 DAY, '14:31:20'), 'LOGIN', 'FAILED', '203.0.113.66'),
    (NULL, 'root', TIMESTAMP(CURDATE() - INTERVAL 2 DAY, '14:31:40'), 'LOGIN', 'FAILED', '203.0.113.66'),
    (NULL, 'root', TIMESTAMP(CURDATE() - INTERVAL 2 DAY, '14:32:00'), 'LOGIN', 'FAILED', '203.0.113.66');

-- NEAR MISS brute force: asmith fails exactly 5 times in exactly 5 minutes (the rule needs more than 5),
-- then logs in.
INSERT INTO activity_logs (user_id, attempted_username, access_timestamp, operation_type, operation_status, ip_address) VALUES
    (3, 'asmith', TIMESTAMP(CURDATE() - INTERVAL 2 DAY, '10:00:00'), 'LOGIN', 'FAILED', '10.0.0.3'),
    (3, 'asmith', TIMESTAMP(CURDATE() - INTERVAL 2 DAY, '10:01:15'), 'LOGIN', 'FAILED', '10.0.0.3'),
    (3, 'asmith', TIMESTAMP(CURDATE() - INTERVAL 2 DAY, '10:02:30'), 'LOGIN', 'FAILED', '10.0.0.3'),
    (3, 'asmith', TIMESTAMP(CURDATE() - INTERVAL 2 DAY, '10:03:45'), 'LOGIN', 'FAILED', '10.0.0.3'),
    (3, 'asmith', TIMESTAMP(CURDATE() - INTERVAL 2 DAY, '10:05:00'), 'LOGIN', 'FAILED', '10.0.0.3');

INSERT INTO activity_logs (user_id, attempted_username, access_timestamp, operation_type, operation_status, ip_address) VALUES
    (3, 'asmith', TIMESTAMP(CURDATE() - INTERVAL 2 DAY, '10:05:30'), 'LOGIN', 'SUCCESS', '10.0.0.3');

-- NEAR MISS brute force, unknown account: 6 failures as 'backup' spread over 6 minutes, never more
-- than 5 within any 5 minutes.
INSERT INTO activity_logs (user_id, attempted_username, access_timestamp, operation_type, operation_status, ip_address) VALUES
    (NULL, 'backup', TIMESTAMP(CURDATE() - INTERVAL 3 DAY, '15:00:00'), 'LOGIN', 'FAILED', '198.51.100.23'),
    (NULL, 'backup', TIMESTAMP(CURDATE() - INTERVAL 3 DAY, '15:01:12'), 'LOGIN', 'FAILED', '198.51.100.23'),
    (NULL, 'backup', TIMESTAMP(CURDATE() - INTERVAL 3 DAY, '15:02:24'), 'LOGIN', 'FAILED', '198.51.100.23'),
    (NULL, 'backup', TIMESTAMP(CURDATE() - INTERVAL 3 DAY, '15:03:36'), 'LOGIN', 'FAILED', '198.51.100.23'),
    (NULL, 'backup', TIMESTAMP(CURDATE() - INTERVAL 3 DAY, '15:04:48'), 'LOGIN', 'FAILED', '198.51.100.23'),
    (NULL, 'backup', TIMESTAMP(CURDATE() - INTERVAL 3 DAY, '15:06:00'), 'LOGIN', 'FAILED', '198.51.100.23');

-- PLANTED off hours: admin works at night (02:14-02:21, two days ago).
INSERT INTO activity_logs (user_id, attempted_username, access_timestamp, operation_type, operation_status, table_accessed, ip_address) VALUES
    (1, 'admin', TIMESTAMP(CURDATE() - INTERVAL 2 DAY, '02:14:00'), 'LOGIN', 'SUCCESS', NULL, '198.51.100.7'),
    (1, NULL,    TIMESTAMP(CURDATE() - INTERVAL 2 DAY, '02:16:30'), 'SELECT', 'SUCCESS', 'users', '198.51.100.7'),
    (1, NULL,    TIMESTAMP(CURDATE() - INTERVAL 2 DAY, '02:21:05'), 'UPDATE', 'SUCCESS', 'users', '198.51.100.7');

-- PLANTED off hours: jdoe logs in one second before business hours.
INSERT INTO activity_logs (user_id, attempted_username, access_timestamp, operation_type, operation_status, ip_address) VALUES
    (2, 'jdoe', TIMESTAMP(CURDATE() - INTERVAL 1 DAY, '08:59:59'), 'LOGIN', 'SUCCESS', '10.0.0.2');

-- PLANTED off hours: the inactive account olduser reads users at 18:00:00,
-- the first second after business hours.
INSERT INTO activity_logs (user_id, access_timestamp, operation_type, operation_status, table_accessed, ip_address) VALUES
    (5, TIMESTAMP(CURDATE() - INTERVAL 3 DAY, '18:00:00'), 'SELECT', 'SUCCESS', 'users', '10.0.0.5');

-- NEAR MISS off hours: asmith at exactly 09:00:00 and 17:59:59, both inside
-- business hours; and at 03:00 forty days ago, outside the 30-day lookback.
INSERT INTO activity_logs (user_id, attempted_username, access_timestamp, operation_type, operation_status, table_accessed, ip_address) VALUES
    (3, 'asmith', TIMESTAMP(CURDATE() - INTERVAL 1 DAY, '09:00:00'), 'LOGIN', 'SUCCESS', NULL, '10.0.0.3'),
    (3, NULL,     TIMESTAMP(CURDATE() - INTERVAL 1 DAY, '17:59:59'), 'LOGOUT', 'SUCCESS', NULL, '10.0.0.3'),
    (3, NULL,     TIMESTAMP(CURDATE() - INTERVAL 40 DAY, '03:00:00'), 'SELECT', 'SUCCESS', 'products', '10.0.0.3');

-- PLANTED role violation: the Guest account inserts, updates and deletes
-- products (two days ago, 10:15-10:17).
INSERT INTO activity_logs (user_id, access_timestamp, operation_type, operation_status, table_accessed, record_id, ip_address) VALUES
    (4, TIMESTAMP(CURDATE() - INTERVAL 2 DAY, '10:15:00'), 'INSERT', 'SUCCESS', 'products', 22, '10.9.9.9'),
    (4, TIMESTAMP(CURDATE() - INTERVAL 2 DAY, '10:16:00'), 'UPDATE', 'SUCCESS', 'products', 22, '10.9.9.9'),
    (4, TIMESTAMP(CURDATE() - INTERVAL 2 DAY, '10:17:00'), 'DELETE', 'SUCCESS', 'products', 22, '10.9.9.9');

UPDATE users u
JOIN (SELECT user_id, MAX(access_timestamp) AS at FROM activity_logs
      WHERE operation_type = 'LOGIN' AND operation_status = 'SUCCESS' GROUP BY user_id) l ON l.user_id = u.user_id
SET u.last_login = l.at;

-- Alerts the DAM itself raised earlier; cam does not read them.
INSERT INTO security_alerts (user_id, alert_type, severity, description, alert_timestamp, ip_address, is_resolved, resolved_by, resolved_at) VALUES
    (2,    'BRUTE_FORCE',    'HIGH',     '8 failed logins in 3 minutes',       TIMESTAMP(CURDATE() - INTERVAL 2 DAY, '11:03:00'), '203.0.113.2',  FALSE, NULL, NULL),
    (NULL, 'BRUTE_FORCE',    'HIGH',     'failed logins for unknown user root', TIMESTAMP(CURDATE() - INTERVAL 2 DAY, '14:32:10'), '203.0.113.66', FALSE, NULL, NULL),
    (1,    'OFF_HOURS',      'MEDIUM',   'activity at 02:14',                  TIMESTAMP(CURDATE() - INTERVAL 2 DAY, '02:30:00'), '198.51.100.7', TRUE,  1,    TIMESTAMP(CURDATE() - INTERVAL 1 DAY, '09:45:00')),
    (4,    'ROLE_VIOLATION', 'CRITICAL', 'Guest account wrote to products',    TIMESTAMP(CURDATE() - INTERVAL 2 DAY, '10:17:05'), '10.9.9.9',     FALSE, NULL, NULL);
