package oracle

import "cam/engine"

var _ engine.ZonedTypes = (*Driver)(nil)

// CarriesZone reports which Oracle column types hold instants. go-ora
// names them after its wire type codes: TIMESTAMP WITH TIME ZONE
// (TimeStampTZ, TimeStampTZ_DTY) carries its offset, and TIMESTAMP WITH
// LOCAL TIME ZONE (TimeStampeLTZ, TimeStampLTZ_DTY) is an instant that
// go-ora labels with the session's zone. DATE and TIMESTAMP carry none:
// go-ora labels their wall clock with SERVER LOCATION, and the engine reads
// that wall clock in the database's configured zone by its own DST rule.
func (*Driver) CarriesZone(typeName string) bool {
	switch typeName {
	case "TimeStampTZ", "TimeStampTZ_DTY", "TimeStampeLTZ", "TimeStampLTZ_DTY":
		return true
	}
	return false
}
