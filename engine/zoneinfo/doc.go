// Package zoneinfo is the IANA time zone database the engine uses, embedded
// (zoneinfo.zip, tzdata 2025c as Go 1.26.8 ships it in lib/time), and LoadLocation, which
// reads a zone from it and from nothing else.
//
// time.LoadLocation reads $ZONEINFO and the host's /usr/share/zoneinfo before any embedded
// copy, so a CronJob's timeZone could mean different rules on different hosts, and names
// only some hosts have (posix/Europe/Berlin, right/UTC, localtime) would be valid natively
// but not in a browser tab. Here every host sees the same database (docs/decisions.md).
//
// It imports nothing from the rest of the engine.
package zoneinfo
