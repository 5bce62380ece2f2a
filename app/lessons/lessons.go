package lessons

import "regexp"

// Where the site serves the lessons: Path+NAME.md, and their index, Path+IndexFile.
const (
	Path      = "/tutorials/"
	IndexFile = "index.json"
)

// validName is what a lesson file may be called (without .md) to be served: it becomes
// a path segment and a file name.
var validName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,80}$`)

// ValidName tells whether a lesson called name (its file name without .md) can be served.
func ValidName(name string) bool { return validName.MatchString(name) }

// Info is an entry of index.json.
type Info struct {
	Name  string `json:"name"`
	Title string `json:"title"`
}
