package kubectl

import "testing"

func TestExpose(t *testing.T) {
	s := newSession(t)
	s.files["kubia-rc.yaml"] = rcYAML
	steps := []struct{ cmd, out, err string }{
		{cmd: "create -f kubia-rc.yaml", out: "replicationcontroller/kubia created\n"},
		{cmd: "expose rc kubia --type=LoadBalancer --name kubia-http", out: "service/kubia-http exposed\n"},
		{cmd: "get svc kubia-http", out: `~kubia-http +LoadBalancer +10\.\d+\.\d+\.\d+ +<pending> +8080:3\d{4}/TCP`},
		{cmd: "expose rc kubia --port=80 --target-port=8080 --session-affinity=ClientIP", out: "service/kubia exposed\n"},
		{cmd: "get svc kubia -o jsonpath={.spec.ports[0].port}/{.spec.ports[0].targetPort}/{.spec.sessionAffinity}/{.spec.selector.app}", out: "80/8080/ClientIP/kubia"},
		{cmd: "expose svc kubia --name=kubia-headless --cluster-ip=None", out: "service/kubia-headless exposed\n"},
		{cmd: "get svc kubia-headless", out: `~kubia-headless +ClusterIP +None +<none> +80/TCP`},
		{cmd: "expose svc kubia --name=kubia --port=81", err: "Error from server (AlreadyExists): services \"kubia\" already exists\n"},
		{cmd: "expose rc", err: "error: resource(s) were provided, but no name was specified\n"},
		{cmd: "expose ns default", err: "error: cannot expose a Namespace\n"},
		{cmd: "expose rc kubia --name=x --session-affinity=Sticky", err: "error: unknown session affinity: Sticky\n"},
		{cmd: "run solo --image=busybox --expose", err: "error: --port must be set when exposing a service\n"},
		{cmd: "run web --image=nginx --port=80 --expose", out: "pod/web created\nservice/web created\n"},
		{cmd: "get svc web -o jsonpath={.spec.selector.run}", out: "web"},
	}
	for i, st := range steps {
		out, errOut, _ := s.run(st.cmd)
		if !textMatches(out, st.out) || !textMatches(errOut, st.err) {
			t.Errorf("step %d: kubectl %s\n--- got stdout:\n%s--- want:\n%s\n--- got stderr:\n%s--- want:\n%s", i, st.cmd, out, st.out, errOut, st.err)
		}
	}
}
