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
	// Track is the series the lesson belongs to (its front matter's track:), which the
	// index groups lessons by; empty for none.
	Track string `json:"track,omitempty"`
}

// Track is a series of lessons as the index shows it: in the order of its first lesson.
type Track struct {
	Title   string
	Lessons []Info
}

// Tracks groups an index's lessons by track, keeping their order; lessons without a track
// form one untitled group.
func Tracks(list []Info) []Track {
	var tracks []Track
	at := map[string]int{}
	for _, l := range list {
		i, ok := at[l.Track]
		if !ok {
			i = len(tracks)
			at[l.Track] = i
			tracks = append(tracks, Track{Title: l.Track})
		}
		tracks[i].Lessons = append(tracks[i].Lessons, l)
	}
	return tracks
}
