package main

import (
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	routes()
	os.Exit(m.Run())
}
