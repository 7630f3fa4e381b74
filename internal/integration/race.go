//go:build race

package integration

// raceDetector is true when the tests were built with -race.
const raceDetector = true
