package sh

import (
	"errors"
	iofs "io/fs"
	"strings"
	"testing"
)

// A volume as the kubelet lays it out: ..data links to a timestamped directory, each
// name links into ..data. Reads follow the links; listings show them.
func TestSymlinksAndModes(t *testing.T) {
	vol := NewFS()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(vol.MkdirAll("/..2026_01_01/sub"))
	must(vol.WriteFile("/..2026_01_01/key", "v1"))
	must(vol.Chmod("/..2026_01_01/key", 0400))
	must(vol.WriteFile("/..2026_01_01/sub/deep", "d"))
	must(vol.Symlink("..2026_01_01", "/..data"))
	must(vol.Symlink("..data/key", "/key"))
	must(vol.Symlink("..data/sub", "/sub"))
	if err := vol.Symlink("x", "/key"); !errors.Is(err, iofs.ErrExist) {
		t.Errorf("a second link on a name: %v", err)
	}
	e := newEnv()
	must(e.fs.MountSub("/etc/config", vol, "/", true))
	for _, tt := range []struct{ cmd, want string }{
		{"cat /etc/config/key /etc/config/sub/deep", "v1d"},
		{"ls /etc/config", "key\nsub\n"},
		{"ls -l /etc/config/key", "lrwxrwxrwx    1 root     root            10 Jan  1 00:00 /etc/config/key -> ..data/key\n"},
		{"ls -lL /etc/config/key", "-r--------    1 root     root             2 Jan  1 00:00 /etc/config/key\n"},
		{"cd /etc/config/sub && cat deep", "d"},
		{"echo x > /etc/config/new", "sh: can't create /etc/config/new: Read-only file system\n"},
		{"rm /etc/config/key", "rm: can't remove '/etc/config/key': Read-only file system\n"},
	} {
		out, _ := Exec([]string{"sh", "-c", tt.cmd}, nil, e)
		if out != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.cmd, out, tt.want)
		}
	}
	// The kubelet swaps the link: the same names show the new files.
	must(vol.MkdirAll("/..2026_01_02"))
	must(vol.WriteFile("/..2026_01_02/key", "v2"))
	must(vol.Remove("/..data"))
	must(vol.Symlink("..2026_01_02", "/..data"))
	if got, _ := e.fs.ReadFile("/etc/config/key"); got != "v2" {
		t.Errorf("after the swap: %q", got)
	}
	if _, err := e.fs.Stat("/etc/config/sub/deep"); !errors.Is(err, iofs.ErrNotExist) {
		t.Errorf("a link into the old directory: %v", err)
	}
	loop := NewFS()
	must(loop.Symlink("b", "/a"))
	must(loop.Symlink("a", "/b"))
	if _, err := loop.ReadFile("/a"); !errors.Is(err, ErrLoop) {
		t.Errorf("a loop: %v", err)
	}
}

// A subPath mount shows one directory of a volume.
func TestSubdirectoryMount(t *testing.T) {
	vol := NewFS()
	_ = vol.MkdirAll("/data/logs")
	_ = vol.WriteFile("/data/logs/a", "A")
	e := newEnv()
	if err := e.fs.MountSub("/var/log/app", vol, "/data/logs", false); err != nil {
		t.Fatal(err)
	}
	out, code := Exec([]string{"sh", "-c", "cat /var/log/app/a; echo B > /var/log/app/b"}, nil, e)
	if out != "A" || code != 0 {
		t.Fatalf("%q %d", out, code)
	}
	if got, _ := vol.ReadFile("/data/logs/b"); strings.TrimSpace(got) != "B" {
		t.Errorf("written through the mount: %q", got)
	}
}
