//go:build race

package actors

// raceEnabled is true when the tests run under the race detector.
const raceEnabled = true
