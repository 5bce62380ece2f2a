package sh

import (
	"errors"
	iofs "io/fs"
	"path"
	"sort"
	"strings"
	"time"
)

// Errors the FS returns, wrapped in *io/fs.PathError. Callers test them with errors.Is;
// fs.ErrNotExist and fs.ErrExist are io/fs's own.
var (
	ErrIsDir    = errors.New("is a directory")
	ErrNotDir   = errors.New("not a directory")
	ErrNotEmpty = errors.New("directory not empty")
	ErrNoSpace  = errors.New("no space left on device")
	ErrReadOnly = errors.New("read-only file system")
	ErrLoop     = errors.New("too many levels of symbolic links")
)

// MaxFSBytes bounds the bytes of file content one FS holds, so a script appending in an
// endless loop fills the "disk" instead of the browser tab's memory.
const MaxFSBytes = 8 << 20

// FS is a tiny in-memory filesystem: directories, regular files with string content and
// symbolic links, each with its permission bits. Paths are slash-separated and normalised
// (a relative path is taken from "/"). Another FS, or a directory of one, can be mounted on
// a directory, read-write or read-only (a pod's volumes shared by its containers): the
// mounted FS outlives the container whose FS mounts it. Symbolic links resolve inside the
// filesystem that holds them (the kubelet's ..data links of a ConfigMap volume).
type FS struct {
	root   *fsNode
	mounts map[string]mountPoint // clean absolute mount point → what is mounted there
	used   int
	// hasLinks: a symbolic link was ever made here; paths need resolving only then.
	hasLinks bool
	// populate, when set, fills the FS on first use: most containers never touch their
	// files, and a month of CronJob pods should not build tens of thousands of /bin trees.
	populate func(*FS)
}

// mountPoint is a filesystem mounted on a directory: root is the directory of fs that
// appears there ("/" for all of it, a subPath otherwise).
type mountPoint struct {
	fs       *FS
	root     string
	readOnly bool
}

type fsNode struct {
	dir      bool
	children map[string]*fsNode
	data     []byte // appended in place: a script appending in a loop must not copy the file each time
	mtime    time.Time
	// mode holds the permission bits; zero means the default, 0644 for a file and 0755 for
	// a directory.
	mode uint32
	// link is a symbolic link's target; a link has no data or children.
	link string
}

// Files is the filesystem a shell works on: a container's FS, or, for the terminal's
// interactive shell, the workspace. Paths are absolute and clean. Errors are
// *io/fs.PathError wrapping io/fs's or this package's errors; any other error's text is
// printed as it is.
type Files interface {
	Stat(p string) (FileInfo, error)
	Lstat(p string) (FileInfo, error)
	ReadFile(p string) (string, error)
	WriteFile(p, data string) error
	AppendFile(p, data string) error
	ReadDir(p string) ([]FileInfo, error)
	Mkdir(p string) error
	MkdirAll(p string) error
	Remove(p string) error
	RemoveAll(p string) error
	SetModTime(p string, t time.Time) error
}

var _ Files = (*FS)(nil)

// FileInfo describes one file, directory or symbolic link.
type FileInfo struct {
	Name    string
	IsDir   bool
	Size    int
	ModTime time.Time
	// Mode holds the permission bits (0644, 0755 ...).
	Mode uint32
	// Link is the target of a symbolic link (from Lstat and ReadDir), "" for anything else.
	Link string
}

func (n *fsNode) info(name string) FileInfo {
	st := FileInfo{Name: name, IsDir: n.dir, Size: len(n.data), ModTime: n.mtime, Mode: n.mode, Link: n.link}
	switch {
	case n.link != "":
		st.Size, st.Mode = len(n.link), 0777
	case st.Mode != 0:
	case n.dir:
		st.Mode = 0755
	default:
		st.Mode = 0644
	}
	return st
}

// NewFS returns an empty filesystem holding only "/".
func NewFS() *FS {
	return &FS{root: &fsNode{dir: true, children: map[string]*fsNode{}}}
}

// NewContainerFS returns the filesystem a busybox-like container starts with: the usual
// top-level directories, /etc/hostname naming the pod, a plain /etc/hosts, /dev/null, and
// an entry in /bin for every command the shell knows; then files (path → content), which
// is how the kubelet's /etc/hosts and /etc/resolv.conf come in.
func NewContainerFS(hostname string, files map[string]string) *FS {
	f := NewFS()
	f.populate = func(f *FS) {
		fillContainerFS(f, hostname)
		for _, p := range sortedKeys(files) {
			_ = f.WriteFile(p, files[p])
		}
	}
	return f
}

func fillContainerFS(f *FS, hostname string) {
	for _, d := range []string{"/bin", "/dev", "/etc", "/home", "/proc", "/root", "/sys", "/tmp", "/usr/bin", "/usr/sbin", "/var/log", "/var/run"} {
		_ = f.MkdirAll(d)
	}
	_ = f.WriteFile("/etc/hostname", hostname+"\n")
	_ = f.WriteFile("/etc/hosts", "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n")
	_ = f.WriteFile("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n")
	_ = f.WriteFile("/etc/group", "root:x:0:\nwheel:x:10:root\nnogroup:x:65534:\n")
	_ = f.WriteFile("/dev/null", "")
	for name, c := range commands {
		if c.applet {
			_ = f.WriteFile("/bin/"+name, "")
		}
	}
}

// Later has fn finish the filesystem when it is first used, after what it holds already:
// the kubelet writes a container's /etc/hosts, mounts its volumes and lays out a volume's
// first payload this way, which a container that never touches a file never pays for.
func (f *FS) Later(fn func(*FS)) {
	prev := f.populate
	f.populate = func(f *FS) {
		if prev != nil {
			prev(f)
		}
		fn(f)
	}
}

// rootNode is the root directory, populated on first use.
func (f *FS) rootNode() *fsNode {
	if p := f.populate; p != nil {
		f.populate = nil
		p(f)
	}
	return f.root
}

// cleanPath makes p absolute and normalised.
func cleanPath(p string) string {
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return path.Clean(p)
}

// Mount makes shared appear at dir (created if missing). Later mounts on the same directory
// replace earlier ones.
func (f *FS) Mount(dir string, shared *FS) error { return f.MountSub(dir, shared, "/", false) }

// MountSub makes directory root of shared appear at dir (created if missing), read-only if
// readOnly: a volume mounted with a subPath, or a ConfigMap volume.
func (f *FS) MountSub(dir string, shared *FS, root string, readOnly bool) error {
	dir = cleanPath(dir)
	if dir == "/" || shared == nil || shared == f {
		return &iofs.PathError{Op: "mount", Path: dir, Err: iofs.ErrInvalid}
	}
	if err := f.MkdirAll(dir); err != nil {
		return err
	}
	if f.mounts == nil {
		f.mounts = map[string]mountPoint{}
	}
	f.mounts[dir] = mountPoint{fs: shared, root: cleanPath(root), readOnly: readOnly}
	return nil
}

// resolve finds the filesystem holding p, p's path inside it, and whether it is reached
// through a read-only mount.
func (f *FS) resolve(p string) (*FS, string, bool) {
	p = cleanPath(p)
	ro := false
	for depth := 0; depth < 16; depth++ {
		f.rootNode() // what populating mounts must be in place first
		best := ""
		for m := range f.mounts {
			if (p == m || strings.HasPrefix(p, m+"/")) && len(m) > len(best) {
				best = m
			}
		}
		if best == "" {
			return f, p, ro
		}
		mp := f.mounts[best]
		f, p = mp.fs, cleanPath(mp.root+"/"+strings.TrimPrefix(p, best))
		ro = ro || mp.readOnly
	}
	return f, p, ro
}

// canon resolves the symbolic links among p's directories (and p itself with follow) as the
// kernel does; components that do not exist are kept as they are. Targets are taken within
// this filesystem.
func (f *FS) canon(p string, follow bool) (string, error) {
	n := f.rootNode()
	if p == "/" || !f.hasLinks {
		return p, nil
	}
	parts := strings.Split(p[1:], "/")
	cur := ""
	for hops, i := 0, 0; i < len(parts); i++ {
		if n == nil || !n.dir {
			return cleanPath(cur + "/" + strings.Join(parts[i:], "/")), nil
		}
		c := n.children[parts[i]]
		if c == nil || c.link == "" || (i == len(parts)-1 && !follow) {
			cur += "/" + parts[i]
			n = c
			continue
		}
		if hops++; hops > 40 {
			return "", ErrLoop
		}
		target := c.link
		if !strings.HasPrefix(target, "/") {
			target = cur + "/" + target
		}
		rest := cleanPath(target + "/" + strings.Join(parts[i+1:], "/"))
		parts, i, cur, n = strings.Split(rest[1:], "/"), -1, "", f.rootNode()
		if rest == "/" {
			return "/", nil
		}
	}
	return cleanPath(cur), nil
}

// lookup finds the node at p, following symbolic links (or not, for p itself, without
// follow).
func (f *FS) lookup(p string, follow bool) (*fsNode, error) {
	p, err := f.canon(p, follow)
	if err != nil {
		return nil, err
	}
	n := f.rootNode()
	if p == "/" {
		return n, nil
	}
	for _, part := range strings.Split(p[1:], "/") {
		if !n.dir {
			return nil, ErrNotDir
		}
		c, ok := n.children[part]
		if !ok {
			return nil, iofs.ErrNotExist
		}
		n = c
	}
	return n, nil
}

// parent finds the directory that holds (or would hold) p, after links, and p's name in it.
func (f *FS) parent(p string) (*fsNode, string, error) {
	dir, name := path.Split(p)
	n, err := f.lookup(path.Clean(dir), true)
	if err != nil {
		return nil, "", err
	}
	if !n.dir {
		return nil, "", ErrNotDir
	}
	return n, name, nil
}

func pathErr(op, p string, err error) error {
	if err == nil {
		return nil
	}
	return &iofs.PathError{Op: op, Path: p, Err: err}
}

// Stat describes the file or directory at p, following symbolic links.
func (f *FS) Stat(p string) (FileInfo, error) { return f.stat(p, true) }

// Lstat describes the file, directory or symbolic link at p.
func (f *FS) Lstat(p string) (FileInfo, error) { return f.stat(p, false) }

func (f *FS) stat(p string, follow bool) (FileInfo, error) {
	fs, rp, _ := f.resolve(p)
	n, err := fs.lookup(rp, follow)
	if err != nil {
		return FileInfo{}, pathErr("stat", p, err)
	}
	return n.info(path.Base(cleanPath(p))), nil
}

// ReadFile returns the content of the regular file at p.
func (f *FS) ReadFile(p string) (string, error) {
	fs, rp, _ := f.resolve(p)
	n, err := fs.lookup(rp, true)
	if err != nil {
		return "", pathErr("open", p, err)
	}
	if n.dir {
		return "", pathErr("read", p, ErrIsDir)
	}
	return string(n.data), nil
}

// WriteFile creates or truncates the file at p and writes data; the parent must exist.
func (f *FS) WriteFile(p, data string) error { return f.write(p, data, false) }

// AppendFile appends data to the file at p, creating it if missing.
func (f *FS) AppendFile(p, data string) error { return f.write(p, data, true) }

func (f *FS) write(p, data string, appendTo bool) error {
	fs, rp, ro := f.resolve(p)
	if rp == "/" {
		return pathErr("open", p, ErrIsDir)
	}
	if ro {
		return pathErr("open", p, ErrReadOnly)
	}
	rp, err := fs.canon(rp, true)
	if err != nil {
		return pathErr("open", p, err)
	}
	dir, name, err := fs.parent(rp)
	if err != nil {
		return pathErr("open", p, err)
	}
	n := dir.children[name]
	if n != nil && n.dir {
		return pathErr("open", p, ErrIsDir)
	}
	old := 0
	if n != nil {
		old = len(n.data)
	}
	size := len(data)
	if appendTo {
		size += old
	}
	if fs.used-old+size > MaxFSBytes {
		return pathErr("write", p, ErrNoSpace)
	}
	if n == nil {
		n = &fsNode{}
		dir.children[name] = n
	}
	fs.used += size - old
	if appendTo {
		n.data = append(n.data, data...)
	} else {
		n.data = []byte(data)
	}
	return nil
}

// SetModTime sets the modification time shown by `ls -l` (of a link's target).
func (f *FS) SetModTime(p string, t time.Time) error { return f.chtimes(p, t, true) }

// Lchtimes sets the modification time of p itself, a symbolic link or not.
func (f *FS) Lchtimes(p string, t time.Time) error { return f.chtimes(p, t, false) }

func (f *FS) chtimes(p string, t time.Time, follow bool) error {
	fs, rp, _ := f.resolve(p)
	n, err := fs.lookup(rp, follow)
	if err != nil {
		return pathErr("chtimes", p, err)
	}
	n.mtime = t
	return nil
}

// Chmod sets the permission bits of the file or directory at p.
func (f *FS) Chmod(p string, mode uint32) error {
	fs, rp, ro := f.resolve(p)
	n, err := fs.lookup(rp, true)
	if err != nil {
		return pathErr("chmod", p, err)
	}
	if ro {
		return pathErr("chmod", p, ErrReadOnly)
	}
	n.mode = mode & 07777
	return nil
}

// Symlink makes p a symbolic link to target; p must not exist.
func (f *FS) Symlink(target, p string) error {
	fs, rp, ro := f.resolve(p)
	if ro {
		return pathErr("symlink", p, ErrReadOnly)
	}
	dir, name, err := fs.parent(rp)
	if err != nil {
		return pathErr("symlink", p, err)
	}
	if _, ok := dir.children[name]; ok || name == "" {
		return pathErr("symlink", p, iofs.ErrExist)
	}
	dir.children[name] = &fsNode{link: target}
	fs.hasLinks = true
	return nil
}

// Mkdir creates one directory; its parent must exist.
func (f *FS) Mkdir(p string) error {
	fs, rp, ro := f.resolve(p)
	if rp == "/" {
		return pathErr("mkdir", p, iofs.ErrExist)
	}
	if ro {
		return pathErr("mkdir", p, ErrReadOnly)
	}
	dir, name, err := fs.parent(rp)
	if err != nil {
		return pathErr("mkdir", p, err)
	}
	if _, ok := dir.children[name]; ok {
		return pathErr("mkdir", p, iofs.ErrExist)
	}
	dir.children[name] = &fsNode{dir: true, children: map[string]*fsNode{}}
	return nil
}

// MkdirAll creates a directory and any missing parents.
func (f *FS) MkdirAll(p string) error {
	p = cleanPath(p)
	if p == "/" {
		return nil
	}
	cur := ""
	for _, part := range strings.Split(p[1:], "/") {
		cur += "/" + part
		st, err := f.Stat(cur)
		if err == nil {
			if !st.IsDir {
				return pathErr("mkdir", cur, ErrNotDir)
			}
			continue
		}
		if err := f.Mkdir(cur); err != nil {
			return err
		}
	}
	return nil
}

// ReadDir lists a directory sorted by name, mount points included; symbolic links are
// described as links (Lstat).
func (f *FS) ReadDir(p string) ([]FileInfo, error) {
	fs, rp, _ := f.resolve(p)
	n, err := fs.lookup(rp, true)
	if err != nil {
		return nil, pathErr("open", p, err)
	}
	if !n.dir {
		return nil, pathErr("readdir", p, ErrNotDir)
	}
	out := make([]FileInfo, 0, len(n.children))
	for name := range n.children {
		st, err := f.Lstat(path.Join(cleanPath(p), name))
		if err != nil {
			continue
		}
		out = append(out, st)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Remove deletes a file or an empty directory. Mount points cannot be removed.
func (f *FS) Remove(p string) error { return f.remove(p, false) }

// RemoveAll deletes p and everything below it; a missing p is not an error.
func (f *FS) RemoveAll(p string) error {
	err := f.remove(p, true)
	if errors.Is(err, iofs.ErrNotExist) {
		return nil
	}
	return err
}

func (f *FS) remove(p string, all bool) error {
	fs, rp, ro := f.resolve(p)
	if ro {
		return pathErr("remove", p, ErrReadOnly)
	}
	if rp == "/" {
		// The root of this FS or of a mounted one: removing it empties it at most.
		if all && fs != f {
			fs.rootNode().children = map[string]*fsNode{}
			fs.used = 0
			return nil
		}
		return pathErr("remove", p, iofs.ErrPermission)
	}
	dir, name, err := fs.parent(rp)
	if err != nil {
		return pathErr("remove", p, err)
	}
	n, ok := dir.children[name]
	if !ok {
		return pathErr("remove", p, iofs.ErrNotExist)
	}
	if n.dir && len(n.children) > 0 && !all {
		return pathErr("remove", p, ErrNotEmpty)
	}
	for m := range fs.mounts {
		if m == rp || strings.HasPrefix(m, rp+"/") {
			return pathErr("remove", p, iofs.ErrPermission)
		}
	}
	fs.used -= nodeBytes(n)
	delete(dir.children, name)
	return nil
}

func nodeBytes(n *fsNode) int {
	s := len(n.data)
	for _, c := range n.children {
		s += nodeBytes(c)
	}
	return s
}

// errText is the strerror text a shell prints for an FS error.
func errText(err error) string {
	switch {
	case errors.Is(err, iofs.ErrNotExist):
		return "No such file or directory"
	case errors.Is(err, iofs.ErrExist):
		return "File exists"
	case errors.Is(err, ErrIsDir):
		return "Is a directory"
	case errors.Is(err, ErrNotDir):
		return "Not a directory"
	case errors.Is(err, ErrNotEmpty):
		return "Directory not empty"
	case errors.Is(err, ErrNoSpace):
		return "No space left on device"
	case errors.Is(err, iofs.ErrPermission):
		return "Permission denied"
	case errors.Is(err, ErrReadOnly):
		return "Read-only file system"
	case errors.Is(err, ErrLoop):
		return "Symbolic link loop"
	}
	return err.Error()
}
