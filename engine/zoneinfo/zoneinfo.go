package zoneinfo

import (
	_ "embed"
	"errors"
	"strings"
	"time"
)

// zoneinfoZip is Go's lib/time/zoneinfo.zip: one uncompressed TZif file per zone, named
// like "Europe/Berlin". To update it, copy the file of a newer Go release.
//
//go:embed zoneinfo.zip
var zoneinfoZip string

var errLocation = errors.New("time: invalid location name")

// LoadLocation returns the zone with the given IANA name, with time.LoadLocation's answers
// and errors, from the embedded database only. "" and "UTC" are UTC; "Local" is UTC too,
// because the engine's local zone is UTC whatever the host's is.
func LoadLocation(name string) (*time.Location, error) {
	switch name {
	case "", "UTC", "Local":
		return time.UTC, nil
	}
	if strings.Contains(name, "..") || name[0] == '/' || name[0] == '\\' {
		return nil, errLocation
	}
	data, ok := zoneData(name)
	if !ok {
		return nil, errors.New("unknown time zone " + name)
	}
	return time.LoadLocationFromTZData(name, []byte(data))
}

// zoneData finds a file in the stored (uncompressed) zip through its central directory.
// Reading it whole is a few microseconds, and the CronJob controller keeps what it loads.
func zoneData(name string) (string, bool) {
	z := zoneinfoZip
	const endLen, dirLen, localLen = 22, 46, 30
	if len(z) < endLen {
		return "", false
	}
	end := z[len(z)-endLen:] // the zip has no comment, so its end record is last
	if le32(end) != 0x06054b50 {
		return "", false
	}
	n, off := int(le16(end[10:])), int(le32(end[16:]))
	for i := 0; i < n && off+dirLen <= len(z); i++ {
		d := z[off:]
		if le32(d) != 0x02014b50 {
			return "", false
		}
		method, size := le16(d[10:]), int(le32(d[24:]))
		nameLen, extraLen, commentLen := int(le16(d[28:])), int(le16(d[30:])), int(le16(d[32:]))
		local := int(le32(d[42:]))
		if off+dirLen+nameLen > len(z) {
			return "", false
		}
		if d[dirLen:dirLen+nameLen] == name {
			if method != 0 || local+localLen > len(z) || le32(z[local:]) != 0x04034b50 {
				return "", false
			}
			start := local + localLen + int(le16(z[local+26:])) + int(le16(z[local+28:]))
			if start+size > len(z) {
				return "", false
			}
			return z[start : start+size], true
		}
		off += dirLen + nameLen + extraLen + commentLen
	}
	return "", false
}

func le16(s string) uint16 { return uint16(s[0]) | uint16(s[1])<<8 }
func le32(s string) uint32 { return uint32(le16(s)) | uint32(le16(s[2:]))<<16 }
