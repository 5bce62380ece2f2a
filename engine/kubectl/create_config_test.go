package kubectl

import (
	"strings"
	"testing"
)

func TestCreateConfigMapsAndSecrets(t *testing.T) {
	testFiles["conf/game.properties"] = "lives=3\n"
	testFiles["conf/ui.properties"] = "color=purple\n"
	testFiles["conf/sub/skipped"] = "x"
	testFiles["binary.dat"] = "\xff\xfe"
	testFiles["app.env"] = "\xEF\xBB\xBF# comment\n\n  A=1\nB=\"two\"\nEMPTY\n"
	testFiles["config.json"] = `{"auths":{}}`
	defer func() {
		for _, f := range []string{"conf/game.properties", "conf/ui.properties", "conf/sub/skipped", "binary.dat", "app.env", "config.json"} {
			delete(testFiles, f)
		}
	}()
	runSteps(t, []step{
		{cmd: "create configmap game --from-file=conf --from-file=bin=binary.dat --from-literal=k=a=b", out: "configmap/game created\n"},
		{cmd: "get cm game -o jsonpath={.data}", out: `{"game.properties":"lives=3\n","k":"a=b","ui.properties":"color=purple\n"}`},
		{cmd: "get cm game -o jsonpath={.binaryData.bin}", out: "//4="},
		{cmd: "get cm game", out: "NAME   DATA   AGE\ngame   4      0s\n"},
		{cmd: "create cm env --from-env-file=app.env", out: "configmap/env created\n"},
		{cmd: "get cm env -o jsonpath={.data}", out: `{"A":"1","B":"\"two\"","EMPTY":""}`},
		{cmd: "create configmap game --from-literal=a=b", err: "error: failed to create configmap: configmaps \"game\" already exists\n", code: 1},
		{cmd: "create configmap x --from-literal=a=b extra", err: "error: exactly one NAME is required, got 2\nSee 'kubectl create configmap -h' for help and examples\n", code: 1},
		{cmd: "create configmap x --from-file==conf", err: "error: key name for file path conf missing\n", code: 1},
		{cmd: "create configmap x --from-file=k=", err: "error: file path for key name k missing\n", code: 1},
		{cmd: "create configmap x --from-file=a=b=c", err: "error: key names or file paths cannot contain '='\n", code: 1},
		{cmd: "create configmap x --image=nginx", err: "error: unknown flag: --image\nSee 'kubectl create configmap --help' for usage.\n", code: 1},
		{cmd: "create configmap x --from-literal=a=b --dry-run=client -o yaml", out: "apiVersion: v1\ndata:\n  a: b\nkind: ConfigMap\nmetadata:\n  name: x\n"},
		{cmd: "get cm x", err: "Error from server (NotFound): configmaps \"x\" not found\n", code: 1},

		{cmd: "create secret generic s --from-literal=user=admin --from-file=pass=conf/ui.properties", out: "secret/s created\n"},
		{cmd: "get secret s -o jsonpath={.data.user}", out: "YWRtaW4="},
		{cmd: "get secrets", out: "NAME   TYPE     DATA   AGE\ns      Opaque   2      0s\n"},
		{cmd: "describe secret s", out: "Name:         s\nNamespace:    default\nLabels:       <none>\nAnnotations:  <none>\n\nType:  Opaque\n\nData\n====\npass:  13 bytes\nuser:  5 bytes\n"},
		{cmd: "create secret generic s --from-literal=a=b", err: "error: failed to create secret secrets \"s\" already exists\n", code: 1},
		{cmd: "create secret generic t --from-literal='a b=c'", err: "error: \"a b\" is not valid key name for a Secret a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')\n", code: 1},
		{cmd: "create secret generic t --from-env-file=conf", err: "error: env secret file cannot be a directory\n", code: 1},
		{cmd: "create secret docker-registry reg --docker-server=r.example --docker-username=u --docker-password=p", out: "secret/reg created\n"},
		{cmd: "get secret reg -o jsonpath={.type}", out: "kubernetes.io/dockerconfigjson"},
		{cmd: "create secret docker-registry reg2 --from-file=config.json", out: "secret/reg2 created\n"},
		{cmd: "get secret reg2 -o jsonpath={.data}", out: `{".dockerconfigjson":"eyJhdXRocyI6e319"}`},
		{cmd: "create secret tls t --cert=nope.crt --key=nope.key", err: "error: Cannot read file nope.crt, open nope.crt: no such file or directory\n", code: 1},
		{cmd: "create secret generic h --from-literal=a=b --append-hash", out: "secret/h-d5ctf29272 created\n"},
		{cmd: "create secret nope x", err: "error: unknown command \"nope x\"\nSee 'kubectl create secret -h' for help and examples\n", code: 1},
	})
}

// The docker-registry secret holds a ~/.docker/config.json for its server.
func TestDockerRegistrySecretJSON(t *testing.T) {
	s := newSession(t)
	if _, errOut, code := s.run("create secret docker-registry reg --docker-username=u --docker-password=p --docker-email=e@x"); code != 0 {
		t.Fatal(errOut)
	}
	out, _, _ := s.run("get secret reg -o jsonpath={.data.\\.dockerconfigjson}")
	want := "eyJhdXRocyI6eyJodHRwczovL2luZGV4LmRvY2tlci5pby92MS8iOnsidXNlcm5hbWUiOiJ1IiwicGFzc3dvcmQiOiJwIiwiZW1haWwiOiJlQHgiLCJhdXRoIjoiZFRwdyJ9fX0="
	if strings.TrimSpace(out) != want {
		t.Errorf("got %s", out)
	}
}

func TestCreateSubcommandsAreReadOnlyOnlyWhenDry(t *testing.T) {
	for line, want := range map[string]bool{
		"create configmap x --from-literal=a=b":                  false,
		"create configmap x --from-literal=a=b --dry-run=client": true,
		"create -n x secret generic s --from-literal=a=b":        false,
		"create secret tls t --cert=a --key=b --dry-run=client":  true,
		"create secret": true,
		"create cm x --from-literal=a=b -o yaml --dry-run=client": true,
	} {
		args, _ := splitWords(line)
		if got := ReadOnly(args); got != want {
			t.Errorf("ReadOnly(%q) = %v, want %v", line, got, want)
		}
	}
}
