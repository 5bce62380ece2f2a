package api

// The CronJob timeZone field is validated with time.LoadLocation; in js/wasm there is no
// zoneinfo on disk, so the database is embedded.
import _ "time/tzdata"
