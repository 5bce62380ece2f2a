// Package kubelet runs the pods bound to each node: one Kubelet per node, all held by the
// cluster's Manager (For(c)), driven by pod and node watch events and by timers on the
// virtual clock.
//
// A pod's life as the kubelet writes it: admission (phase Pending, containers waiting
// ContainerCreating, sandbox ready, pod IP from the node's pod CIDR: the lowest free
// 10.244.N.x, given back when the pod goes), then per container in order Pulling → Pulled
// (pulls serialised per node, timed from the image size and the seeded random source, or
// "already present" for IfNotPresent/Never) → Created → Started, then phase Running with
// the conditions, containerStatuses and IDs the real kubelet reports. A deletion gets
// Killing, SIGTERM to the program, SIGKILL (exit 137) when the grace period ends, a final
// status and the kubelet's delete with grace 0; a pod deleted before all its containers
// ran (one waiting in ImagePullBackOff, say) ends Failed, keeping the conditions others
// put in its status, which a Job's podFailurePolicy reads. Containers that end by
// themselves follow the restart policy (Succeeded/Failed, or a restart after the kubelet's
// crash-loop back-off, backoff.go: immediate, then 10 s doubling to 300 s measured from
// the exit, CrashLoopBackOff and BackOff events meanwhile, reset after ten quiet minutes).
//
// Probes (probe.go) run as the kubelet's prober workers: one per container and probe
// type, ticking every periodSeconds from the pod's admission; initial delay, startup
// gating, success/failure thresholds, Unhealthy events on every failed attempt. httpGet
// (ServeHTTP, named ports, headers, HTTPS as HTTP), tcpSocket (PortListener), exec
// (ProgramExecer or Manager.Exec) and grpc (GRPCHealthServer). Readiness drives the
// container's ready flag and the pod's Ready conditions; a liveness/startup failure kills
// the container with the probe's or the pod's grace period (lifecycle.go) and restarts it.
//
// Containers run Programs (program.go): resumable state machines advanced by Run(now),
// signalled with Signal, asked with ServeHTTP. The image catalogue (images.go) maps
// repositories, whatever registry, to programs: luksa/kubia, luksa/kubia-unhealthy,
// luksa/batch-job, luksa/ssd-monitor, luksa/fortune, nginx, httpd, perl (the docs' pi Job), agnhost,
// goproxy, etcd, redis, the tutorials' apps (samples.go: kubernetes-bootcamp v1/v2,
// hello-app, hashicorp/http-echo, echoserver) and the shell images; images kubetab does
// not know run a generic server on their declared ports and say so with a Normal
// `Simulated` event. Images whose reference says they do not exist (a repository path
// component containing "non-existing", "nonexistent", "non-existent", "does-not-exist" or
// "doesnotexist"), and tags the registry does not have for the repositories whose tags
// kubetab knows (knownTags: nginx on Docker Hub by a generous rule, the tutorials' apps by
// list; nginx:1.161 fails, nginx:1.16.1 pulls), fail to pull with containerd's messages:
// ErrImagePull, then ImagePullBackOff under the image back-off (10 s doubling to 300 s per
// pod and image); unparsable references are InvalidImageName (pull.go).
// Output that only depends on time is produced lazily when a program is next run, with its
// own timestamps, so idle clusters cost nothing per virtual second.
//
// The pods' network (network.go): requests from a container go through kube-proxy's rules
// (Manager.Proxy, engine/proxy) to a Service's endpoint, or straight to a pod or a node;
// names resolve through the cluster DNS (Manager.DNS, engine/dns) as the container's
// /etc/resolv.conf and /etc/hosts say, which the kubelet writes as it does (cluster name
// server, the namespace's search path, ndots:5; the pod's IP and hostname, its
// hostAliases). HTTPGet/HTTPGetFrom make such requests from outside a shell, with Go's
// connection errors; ContainerLogs reads a container's log with the API server's errors.
// Each request a pod serves through the network (not the kubelet's probes) is remembered for
// LoadWindow: RequestsServed is the load engine/metrics' model reads (load.go).
// Stop/Resume/Stopped model a node whose kubelet dies and comes back (see
// engine/cluster/nodeops.go); the node lifecycle controller learns of it through Stopped.
//
// Containers (shell.go, env.go, initcontainers.go, exec.go):
//   - The process a container runs is resolved as the runtime does (resolveArgv): command
//     replaces the image's ENTRYPOINT, args its CMD, both after $(VAR) expansion with the
//     container's environment. The environment (env.go) is built as the kubelet builds it:
//     the Service variables of the Services that exist when the container starts
//     (serviceenv.go: `KUBIA_SERVICE_HOST`, the Docker-link ones; `kubernetes` always),
//     envFrom ConfigMaps and Secrets (every key, with the prefix: since relaxed variable
//     names, v1.32, the kubelet skips none), then env values, fieldRef (name, namespace,
//     uid, labels['x'], annotations['x'], nodeName, serviceAccountName, podIP, hostIP),
//     resourceFieldRef, configMapKeyRef and secretKeyRef (decoded). A missing ConfigMap or
//     Secret (`configmap "x" not found`) or key (`couldn't find key k in Secret ns/x`),
//     unless optional, leaves the container waiting in CreateContainerConfigError, retried
//     every 10 s. A container keeps the environment it started with.
//   - Shell images (busybox, alpine, ubuntu, debian, bash, perl for `sh -c`) and unknown
//     images whose command the shell knows run through engine/kubelet/sh: output lines go to
//     the container log with their virtual time, the filesystem is fresh for every
//     instance. Debian-based images' sh is dash (its echo). A program the image lacks fails
//     as containerd says (StartError, exit 128, Warning Failed). Images with their own
//     program also run it for the commands they claim (Image.Runs: perl's pi, agnhost,
//     etcd, redis-server, the book's fortuneloop.sh).
//   - Init containers run in order before the others; sidecars (restartPolicy Always) keep
//     running and are stopped when the other containers are done for good.
//   - Manager.Exec runs a command in a running container at once (kubectl exec, exec
//     probes), through the program itself if it implements ProgramExecer, the image's own
//     binaries (nginx -s reload), else the shell.
//
// Volumes (volumes.go) live with the pod and are mounted where the containers ask, subPath
// included. ConfigMap, Secret, projected and downward API volumes are written before the
// sandbox (a missing object or key: Warning FailedMount `MountVolume.SetUp failed for
// volume "v" : configmap "x" not found`, the pod ContainerCreating without an IP, tried
// again after 500 ms doubling to 2m2s), with items, defaultMode and mode, laid out as the
// AtomicWriter does (`..<timestamp>.<n>`, `..data`, a link per name) and mounted
// read-only. A ConfigMap or Secret change reaches them at the pod's next periodic sync
// (syncFrequency, every minute from its admission; the Watch change detection has no cache
// delay), or at once when the pod's labels or annotations change; never a subPath file
// (copied when the container starts) nor the environment. emptyDir volumes start empty.
// A projection's serviceAccountToken (token.go; every pod's kube-api-access-xxxxx volume
// has one) is a JWT shaped as a bound token for the pod and its node, made once per pod.
// The book's luksa/fortune images (fortune.go) write index.html into a shared volume that
// nginx (nginx.go) serves, with the listen ports and certificates its conf.d names; an
// https request gets the certificate in the handshake (https.go) that curl checks.
//
// Probes, restart back-off and probe kills live in probe.go, backoff.go and lifecycle.go.
//
// A cluster snapshot keeps the container runtime (restart.go: Runtime, a RuntimeState);
// Restart brings the kubelets of a restored cluster up over it: finished pods keep their
// logs, running ones are re-adopted (each program started again and run silently up to
// the snapshot's instant), the rest admitted again, keeping their restart counts.
//
// Memory: 100,000 pods each keep a runtime, so it holds only what it must. It reads the
// pod from the version the store holds (onPod follows it; no version the store replaced
// stays alive) and keeps of the version admitted only its resourceVersion: the runtime
// itself is the pod its events name (the pod manager's copy: status writes leave its
// resourceVersion). What pods have alike is made once and shared: an image reference's
// parsing, name, imageID, size, pull verdict and messages (containerImage), a container
// name's field path and messages (containerWords), equal volume payloads (payloads; a
// token file shows the pod's token, which is made when read), a waiting state without a
// message. What the status shows and the runtime needs is one value for both (the pod's
// start time, a container's running state). What few pods or containers need is kept
// apart (podSeldom, containerSeldom, containerHealth); times are kept as offsets where a
// base is at hand, log lines with their instant in Unix seconds; a program's Container
// reads the runtime rather than copying it; pods are found by address through their
// node's pod CIDR; a volume's filesystem is made when first read, and a timer that fired
// is not kept.
//
// Imports sim, store, events, clock, api, and the node-side network (proxy, dns); never the
// controllers or the scheduler.
package kubelet
