package oracle

import "cam/config"

// testDB is a database entry as the config loader would produce it.
var testDB = config.Database{Name: "audit", Driver: "oracle", Host: "db.cam.test", Port: 1521, ServiceName: "CLIENT_AUDIT"}

func classifyForTest(err error) (string, string) {
	class, msg := classify(err, testDB)
	return msg, string(class)
}
