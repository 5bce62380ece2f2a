package filters

import (
	"errors"
	"strings"
	"testing"
)

// run runs a filter on stdin with no files, as a shell would.
func run(f func(*Call) int, stdin string, args ...string) (out, errOut string, code int) {
	var o, e strings.Builder
	c := &Call{
		Args: args,
		Inputs: func(files []string) ([]string, int) {
			if len(files) == 0 {
				return []string{stdin}, 0
			}
			return nil, 1
		},
		ReadFile:  func(string) (string, error) { return "", errors.New("no files") },
		WriteFile: func(string, string, bool) error { return errors.New("no files") },
		ErrText:   func(err error) string { return err.Error() },
		Out:       func(s string) bool { o.WriteString(s); return true },
		Err:       func(line string) { e.WriteString(line + "\n") },
		Step:      func() bool { return true },
	}
	code = f(c)
	return o.String(), e.String(), code
}

const podList = `{
    "apiVersion": "v1",
    "items": [
        {
            "kind": "Pod",
            "metadata": {"name": "web-1", "labels": {"app": "web", "tier": "front"}},
            "spec": {"containers": [{"name": "web", "image": "nginx:1.25"}], "replicas": 3},
            "status": {"phase": "Running", "podIP": "10.244.1.2"}
        },
        {
            "kind": "Pod",
            "metadata": {"name": "db-0", "labels": {"app": "db"}},
            "spec": {"containers": [{"name": "db", "image": "redis"}, {"name": "side", "image": "busybox"}]},
            "status": {"phase": "Pending"}
        }
    ],
    "kind": "List",
    "metadata": {"resourceVersion": ""}
}`

func TestJq(t *testing.T) {
	for _, tc := range []struct {
		args     []string
		in, want string
		code     int
	}{
		{[]string{"-r", ".items[].metadata.name"}, podList, "web-1\ndb-0\n", 0},
		{[]string{".items[0].metadata"}, podList, "{\n  \"name\": \"web-1\",\n  \"labels\": {\n    \"app\": \"web\",\n    \"tier\": \"front\"\n  }\n}\n", 0},
		{[]string{"-c", ".items | map(.metadata.name)"}, podList, "[\"web-1\",\"db-0\"]\n", 0},
		{[]string{".items | length"}, podList, "2\n", 0},
		{[]string{"-r", `.items[] | select(.status.phase == "Running") | .metadata.name`}, podList, "web-1\n", 0},
		{[]string{"-r", `.items[] | "\(.metadata.name) \(.spec.containers | length)"`}, podList, "web-1 1\ndb-0 2\n", 0},
		{[]string{"-c", `[.items[] | {name: .metadata.name, ip: (.status.podIP // "none")}]`}, podList, `[{"name":"web-1","ip":"10.244.1.2"},{"name":"db-0","ip":"none"}]` + "\n", 0},
		{[]string{"-r", `.items[].spec.containers[].image`}, podList, "nginx:1.25\nredis\nbusybox\n", 0},
		{[]string{"-c", `.items[0].metadata.labels | keys, to_entries[0], has("app")`}, podList, "[\"app\",\"tier\"]\n{\"key\":\"app\",\"value\":\"web\"}\ntrue\n", 0},
		// paths (parents first, as path(..)), leaf_paths (no null or false leaves), getpath.
		{[]string{"-c", `[paths], [leaf_paths|join(".")], getpath(["a","b",1]), getpath(["x","y"])`}, `{"a":{"b":[1,{"c":2}]},"d":null}`, "[[\"a\"],[\"a\",\"b\"],[\"a\",\"b\",0],[\"a\",\"b\",1],[\"a\",\"b\",1,\"c\"],[\"d\"]]\n[\"a.b.0\",\"a.b.1.c\"]\n{\"c\":2}\nnull\n", 0},
		{[]string{"-r", `.items | map(.metadata.name) | sort | join(",")`}, podList, "db-0,web-1\n", 0},
		{[]string{".items[0].spec.replicas * 2 + 1, 7 / 2, -1"}, podList, "7\n3.5\n-1\n", 0},
		{[]string{"-r", `.items[] | if .status.phase == "Running" then "up" elif .status.phase == "Pending" then "wait" else "?" end`}, podList, "up\nwait\n", 0},
		{[]string{"-c", `.items[0].metadata.labels | with_entries(.value |= .)`}, podList, "", 3},
		{[]string{"-r", `.data.pw | @base64d`}, `{"data":{"pw":"czNjcjN0"}}`, "s3cr3t\n", 0},
		{[]string{"-r", `.a[1:], .s[:2], .a[-1]`}, `{"a":[1,2,3],"s":"hello"}`, "[\n  2,\n  3\n]\nhe\n3\n", 0},
		{[]string{"-c", `.[] | select(test("^w"))`}, `["web","db","www"]`, "\"web\"\n\"www\"\n", 0},
		{[]string{"--arg", "n", "db-0", "-r", `.items[] | select(.metadata.name == $n) | .status.phase`}, podList, "Pending\n", 0},
		{[]string{".", "-c"}, `{"a":"x\ty\u0001\"","b":[],"c":{},"d":null,"e":1e100,"f":0.5}`, `{"a":"x\ty\u0001\"","b":[],"c":{},"d":null,"e":1e+100,"f":0.5}` + "\n", 0},
		{[]string{"-c", `[.[] | tostring], (map(type) | unique), add`}, `[1,"a",null,[2]]`, `["1","a","null","[2]"]` + "\n" + `["array","null","number","string"]` + "\n", 5},
		{[]string{".items[0].metadata.name.x"}, podList, "", 5},
		{[]string{".items[0].metadata.name.x?, 1"}, podList, "1\n", 0},
		{[]string{".[0"}, `[]`, "", 3},
		{[]string{"frob"}, `[]`, "", 3},
		{[]string{"-e", ".missing"}, `{}`, "null\n", 1},
	} {
		out, errOut, code := run(Jq, tc.in, append([]string{"jq"}, tc.args...)...)
		if out != tc.want || code != tc.code {
			t.Errorf("jq %q:\n got %q (exit %d, %q)\nwant %q (exit %d)", tc.args, out, code, errOut, tc.want, tc.code)
		}
	}
	_, errOut, _ := run(Jq, podList, "jq", ".items[0].metadata.name.x")
	if errOut != "jq: error (at <stdin>:18): Cannot index string with \"x\"\n" {
		t.Errorf("error %q", errOut)
	}
	_, errOut, _ = run(Jq, "[]", "jq", ".[0")
	if !strings.HasPrefix(errOut, "jq: error: syntax error, unexpected end of file") || !strings.HasSuffix(errOut, "jq: 1 compile error\n") {
		t.Errorf("error %q", errOut)
	}
}
