package kubelet

import (
	"fmt"
	"maps"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/util/sets"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/kubelet/sh"
	"github.com/kubetab/kubetab/engine/store"
)

// The volume manager's part of the kubelet: the volumes whose files it writes from the API
// (ConfigMap, Secret, projected and downward API), set up before the pod's sandbox as
// WaitForAttachAndMount does, and kept up to date at each periodic pod sync. Their files
// are laid out as the AtomicWriter lays them out: the payload in a `..<timestamp>.<n>`
// directory, a `..data` link to it, and for each top-level name a link `name ->
// ..data/name`, so that an update swaps one link.

var (
	configMapsResource = api.ResourceByName("configmaps")
	secretsResource    = api.ResourceByName("secrets")
)

// syncFrequency is the kubelet's periodic pod sync (KubeletConfiguration.syncFrequency,
// 1m). With the default configMapAndSecretChangeDetectionStrategy, Watch, the kubelet's
// cache has a change at once, so a ConfigMap or Secret change reaches the volumes at the
// pod's next sync. kubetab syncs each pod every minute from its admission (the real pod
// workers add up to 50 % jitter to each interval).
const syncFrequency = time.Minute

// A volume that fails to mount is tried again with the volume manager's back-off for a
// failed operation (nestedpendingoperations): 500 ms doubling to 2m2s.
const (
	mountRetryInitial = 500 * time.Millisecond
	mountRetryMax     = 2*time.Minute + 2*time.Second
)

// podVolume is one volume of a pod: its filesystem, shared by the containers that mount it,
// and for the kubelet-written kinds what it last wrote.
type podVolume struct {
	// fs is made when first read (filesystem): most volumes never are (a Job's pods and
	// their token volume).
	fs *sh.FS
	// files is the last payload written (path → content and mode), shared with the other
	// volumes that show the same (payloads), if written: at writtenSec and writtenNsec (Unix
	// time, exact in any year, unlike an offset from the pod's start, which a Duration holds
	// for 292 years only), into the `..<timestamp>.<dirNum>` directory (dataDir).
	files       map[string]volumeFile
	writtenSec  int64
	writtenNsec int32
	dirNum      uint32
	written     bool
	// open: the root is mode 0777 (emptyDir and the written kinds).
	open bool
}

// writtenAt is when the payload was written.
func (v *podVolume) writtenAt() time.Time { return time.Unix(v.writtenSec, int64(v.writtenNsec)).UTC() }

// setWritten records when the payload was written.
func (v *podVolume) setWritten(at time.Time) {
	v.writtenSec, v.writtenNsec = at.Unix(), int32(at.Nanosecond())
}

// dataDir is the directory holding the payload written (AtomicWriter's `..<timestamp>.<n>`).
func (v *podVolume) dataDir() string {
	return v.writtenAt().Format("..2006_01_02_15_04_05.") + strconv.FormatUint(uint64(v.dirNum), 10)
}

type volumeFile struct {
	data string
	mode int32
	// token: the content is the pod's token (made when first read) instead of data.
	token bool
}

// content is what the file holds; a token file shows the token of r, its pod.
func (f volumeFile) content(r *podRuntime) string {
	if f.token {
		return r.token()
	}
	return f.data
}

// filesystem is the volume's filesystem, made on first use with the payload written so far
// (r is its pod, whose token a token file shows).
func (v *podVolume) filesystem(r *podRuntime) *sh.FS {
	if v.fs == nil {
		v.fs = sh.NewFS()
		if v.open {
			_ = v.fs.Chmod("/", 0777)
		}
		if v.written {
			layOut(v.fs, v.files, nil, v.dataDir(), "", v.writtenAt(), r)
		}
	}
	return v.fs
}

// writtenVolume tells the volume kinds whose files the kubelet writes.
func writtenVolume(vs *corev1.VolumeSource) bool {
	return vs.ConfigMap != nil || vs.Secret != nil || vs.Projected != nil || vs.DownwardAPI != nil
}

// readOnlyVolume tells the kinds the kubelet mounts read-only whatever the volumeMount says
// (since Kubernetes 1.10).
func readOnlyVolume(vs *corev1.VolumeSource) bool { return writtenVolume(vs) }

func (r *podRuntime) configMap(name string) (*corev1.ConfigMap, error) {
	obj := r.k.m.c.Store.Lookup(configMapsResource, r.pod.Namespace, name)
	if obj == nil {
		// The kubelet's watch-based cache answers with the singular resource.
		return nil, apierrors.NewNotFound(corev1.Resource("configmap"), name)
	}
	return obj.(*corev1.ConfigMap), nil
}

func (r *podRuntime) secret(name string) (*corev1.Secret, error) {
	obj := r.k.m.c.Store.Lookup(secretsResource, r.pod.Namespace, name)
	if obj == nil {
		return nil, apierrors.NewNotFound(corev1.Resource("secret"), name)
	}
	return obj.(*corev1.Secret), nil
}

// podVolume returns the pod's volume name, made when first asked for; nil for a name the
// pod does not have.
func (r *podRuntime) podVolume(name string) *podVolume {
	if v := r.mounted(name); v != nil {
		return v
	}
	spec := r.volumeSpec(name)
	if spec == nil {
		return nil
	}
	v := &podVolume{open: spec.EmptyDir != nil || writtenVolume(&spec.VolumeSource)}
	r.volumes = append(r.volumes, namedVolume{name, v})
	return v
}

// namedVolume is one of a pod's volumes made so far. A pod has a few: a slice searched
// in order costs less than a map per pod (which 100,000 pods each keep).
type namedVolume struct {
	name string
	v    *podVolume
}

// mounted returns the pod's volume name if it was made, or nil.
func (r *podRuntime) mounted(name string) *podVolume {
	for _, nv := range r.volumes {
		if nv.name == name {
			return nv.v
		}
	}
	return nil
}

func (r *podRuntime) volumeSpec(name string) *corev1.Volume {
	for i := range r.pod.Spec.Volumes {
		if r.pod.Spec.Volumes[i].Name == name {
			return &r.pod.Spec.Volumes[i]
		}
	}
	return nil
}

// mountVolumes sets up the volumes the kubelet writes, each failure recorded as the
// operation executor records it (Warning FailedMount); it tells whether all are ready.
func (r *podRuntime) mountVolumes() bool {
	ok := true
	for i := range r.pod.Spec.Volumes {
		v := &r.pod.Spec.Volumes[i]
		if !writtenVolume(&v.VolumeSource) {
			continue
		}
		if err := r.setUpVolume(v); err != nil {
			r.k.rec.Eventf(r, corev1.EventTypeWarning, "FailedMount", "MountVolume.SetUp failed for volume %q : %v", v.Name, err)
			ok = false
		}
	}
	return ok
}

// setUpVolume (re)writes one volume from the API objects it shows, if they changed.
func (r *podRuntime) setUpVolume(v *corev1.Volume) error {
	m := r.k.m
	// The payload is gathered into the manager's working map: share returns the payload
	// kept or a copy, never the working map itself.
	if m.payloadWork == nil || len(m.payloadWork) > 64 {
		m.payloadWork = map[string]volumeFile{}
	}
	files := m.payloadWork
	clear(files)
	if err := r.volumePayload(&v.VolumeSource, files); err != nil {
		return err
	}
	r.podVolume(v.Name).write(m.payloads.share(files), r.now(), r.k.volumeRand, r)
	return nil
}

// retryMount tries the volumes again after the back-off; once they are mounted the pod
// goes on as admit would have.
func (r *podRuntime) retryMount(delay time.Duration) {
	if r.mountVolumes() {
		r.startSandbox()
		return
	}
	delay = min(2*delay, mountRetryMax)
	r.schedule(r.now().Add(delay), "mount", func() { r.retryMount(delay) })
}

// volumePayload adds to files what a volume shows: path → content and mode (MakePayload of
// the configmap, secret, downwardapi and projected plugins), with their errors.
func (r *podRuntime) volumePayload(vs *corev1.VolumeSource, files map[string]volumeFile) error {
	switch {
	case vs.ConfigMap != nil:
		s := vs.ConfigMap
		return r.objectPayload(files, false, s.Name, s.Items, s.Optional, modeOr(s.DefaultMode, corev1.ConfigMapVolumeSourceDefaultMode))
	case vs.Secret != nil:
		s := vs.Secret
		return r.objectPayload(files, true, s.SecretName, s.Items, s.Optional, modeOr(s.DefaultMode, corev1.SecretVolumeSourceDefaultMode))
	case vs.DownwardAPI != nil:
		return r.downwardPayload(files, vs.DownwardAPI.Items, modeOr(vs.DownwardAPI.DefaultMode, corev1.DownwardAPIVolumeSourceDefaultMode))
	case vs.Projected != nil:
		mode := modeOr(vs.Projected.DefaultMode, corev1.ProjectedVolumeSourceDefaultMode)
		var errs []string
		for _, src := range vs.Projected.Sources {
			var err error
			switch {
			case src.ConfigMap != nil:
				err = r.objectPayload(files, false, src.ConfigMap.Name, src.ConfigMap.Items, src.ConfigMap.Optional, mode)
			case src.Secret != nil:
				err = r.objectPayload(files, true, src.Secret.Name, src.Secret.Items, src.Secret.Optional, mode)
			case src.DownwardAPI != nil:
				err = r.downwardPayload(files, src.DownwardAPI.Items, mode)
			case src.ServiceAccountToken != nil:
				r.tokenPayload(files, src.ServiceAccountToken, mode)
			}
			if err != nil {
				errs = append(errs, err.Error())
			}
		}
		// The projected plugin aggregates its sources' errors.
		switch len(errs) {
		case 0:
		case 1:
			return fmt.Errorf("%s", errs[0])
		default:
			return fmt.Errorf("[%s]", strings.Join(errs, ", "))
		}
	}
	return nil
}

func modeOr(mode *int32, def int32) int32 {
	if mode != nil {
		return *mode
	}
	return def
}

// objectPayload adds the files of a ConfigMap's (or a Secret's) keys, all of them or its
// items; a missing optional object adds none.
func (r *podRuntime) objectPayload(files map[string]volumeFile, secret bool, name string, items []corev1.KeyToPath, optional *bool, mode int32) error {
	var data map[string]string // read only
	missing := "configmap references non-existent config key: "
	var err error
	if secret {
		var s *corev1.Secret
		if s, err = r.secret(name); err == nil {
			data = make(map[string]string, len(s.Data))
			for k, v := range s.Data {
				data[k] = string(v)
			}
		}
		missing = "references non-existent secret key: "
	} else {
		var cm *corev1.ConfigMap
		if cm, err = r.configMap(name); err == nil {
			// The ConfigMap's own data when it has no binary data (every pod's
			// kube-root-ca.crt): nothing is copied.
			data = cm.Data
			if len(cm.BinaryData) > 0 {
				data = make(map[string]string, len(cm.Data)+len(cm.BinaryData))
				maps.Copy(data, cm.Data)
				for k, v := range cm.BinaryData {
					data[k] = string(v)
				}
			}
		}
	}
	if err != nil {
		if optional != nil && *optional {
			return nil
		}
		return err
	}
	return keyPayload(files, data, items, optional, mode, missing)
}

// keyPayload is a file per key, or per item (its path, its mode) when items are given.
func keyPayload(files map[string]volumeFile, data map[string]string, items []corev1.KeyToPath, optional *bool, mode int32, missing string) error {
	if len(items) == 0 {
		for k, v := range data {
			files[k] = volumeFile{data: v, mode: mode}
		}
		return nil
	}
	for _, it := range items {
		v, ok := data[it.Key]
		if !ok {
			if optional != nil && *optional {
				continue
			}
			return fmt.Errorf("%s%s", missing, it.Key)
		}
		files[it.Path] = volumeFile{data: v, mode: modeOr(it.Mode, mode)}
	}
	return nil
}

func (r *podRuntime) downwardPayload(files map[string]volumeFile, items []corev1.DownwardAPIVolumeFile, mode int32) error {
	pod := r.latestPod()
	for _, it := range items {
		var val string
		var err error
		switch {
		case it.FieldRef != nil:
			val, err = r.fieldRefValue(pod, it.FieldRef.FieldPath)
		case it.ResourceFieldRef != nil:
			val, err = r.resourceFieldValue(r.containerSpec(it.ResourceFieldRef.ContainerName), it.ResourceFieldRef)
		}
		if err != nil {
			return err
		}
		files[it.Path] = volumeFile{data: val, mode: modeOr(it.Mode, mode)}
	}
	return nil
}

// containerSpec is the pod's container of that name (the first one for "").
func (r *podRuntime) containerSpec(name string) *corev1.Container {
	for _, c := range r.containers {
		if c.spec.Name == name || name == "" {
			return c.spec
		}
	}
	return &corev1.Container{}
}

// write lays out files as the AtomicWriter does (r is the volume's pod). An unchanged payload
// writes nothing; a changed one goes to a new `..<timestamp>.<n>` directory, `..data` is
// pointed at it, the top-level links are made or removed, and the old directory goes.
func (v *podVolume) write(files map[string]volumeFile, now time.Time, rnd func() uint32, r *podRuntime) {
	if v.written && maps.Equal(files, v.files) {
		return
	}
	// The directory's number is drawn now, whenever the files are laid out: the draws stay
	// in the order the volumes are written.
	num := rnd()
	if !v.written {
		// The first payload is laid out when the volume is first read (filesystem).
		v.files, v.dirNum, v.written = files, num, true
		v.setWritten(now)
		return
	}
	fs := v.filesystem(r)
	old, oldDir := v.files, v.dataDir()
	v.files, v.dirNum = files, num
	v.setWritten(now)
	layOut(fs, files, old, v.dataDir(), oldDir, now, r)
}

// layOut writes files into dir, points ..data and the top-level links at them, and removes
// what the old payload had there.
func layOut(fs *sh.FS, files, old map[string]volumeFile, dir, oldDir string, now time.Time, r *podRuntime) {
	_ = fs.Mkdir("/" + dir)
	_ = fs.SetModTime("/"+dir, now)
	for _, p := range slices.Sorted(maps.Keys(files)) {
		f := files[p]
		full := "/" + dir + "/" + p
		if d := path.Dir(full); d != "/"+dir {
			_ = fs.MkdirAll(d)
		}
		_ = fs.WriteFile(full, f.content(r))
		_ = fs.Chmod(full, uint32(f.mode))
		_ = fs.SetModTime(full, now)
	}
	_ = fs.Remove("/..data")
	_ = fs.Symlink(dir, "/..data")
	_ = fs.Lchtimes("/..data", now)
	was, top := topLevel(old), topLevel(files)
	for _, name := range sets.List(was.Difference(top)) {
		_ = fs.Remove("/" + name)
	}
	for _, name := range sets.List(top.Difference(was)) {
		_ = fs.Symlink("..data/"+name, "/"+name)
		_ = fs.Lchtimes("/"+name, now)
	}
	if oldDir != "" {
		_ = fs.RemoveAll("/" + oldDir)
	}
}

// topLevel is the first path component of each file.
func topLevel(files map[string]volumeFile) sets.Set[string] {
	s := sets.New[string]()
	for p := range files {
		first, _, _ := strings.Cut(p, "/")
		s.Insert(first)
	}
	return s
}

// volumeRand draws the number of a `..<timestamp>.<n>` directory (os.MkdirTemp's) from the
// node's own stream for it, so that writing volumes changes no other draw.
func (k *Kubelet) volumeRand() uint32 {
	if k.volumeStream == nil {
		k.volumeStream = k.m.c.Stream(Component + "/" + k.name + "/volumes")
	}
	return k.volumeStream.Uint32()
}

// onConfigObject is a ConfigMap or Secret change: the volumes showing it are brought up to
// date at their pod's next periodic sync (never the environment, which a container keeps
// as it started).
func (m *Manager) onConfigObject(ev store.WatchEvent) {
	obj := ev.Object
	_, isSecret := obj.(*corev1.Secret)
	var keys []string
	for key, r := range m.pods {
		if r.pod.Namespace == obj.GetNamespace() && r.volumesShow(isSecret, obj.GetName()) {
			keys = append(keys, key)
		}
	}
	slices.Sort(keys)
	for _, key := range keys {
		m.pods[key].resyncVolumesLater()
	}
}

// volumesShow tells whether one of the pod's volumes shows the ConfigMap (or Secret) name.
func (r *podRuntime) volumesShow(secret bool, name string) bool {
	for i := range r.pod.Spec.Volumes {
		vs := &r.pod.Spec.Volumes[i].VolumeSource
		if !secret && vs.ConfigMap != nil && vs.ConfigMap.Name == name || secret && vs.Secret != nil && vs.Secret.SecretName == name {
			return true
		}
		if vs.Projected != nil {
			for _, src := range vs.Projected.Sources {
				if !secret && src.ConfigMap != nil && src.ConfigMap.Name == name || secret && src.Secret != nil && src.Secret.Name == name {
					return true
				}
			}
		}
	}
	return false
}

// resyncVolumesLater brings the pod's volumes up to date at its next periodic sync.
func (r *podRuntime) resyncVolumesLater() {
	if r.gone || r.terminal || r.seldom != nil && r.seldom.volumeSync.Pending() || len(r.volumes) == 0 {
		return
	}
	now := r.now()
	start := r.startTime()
	at := start.Add((now.Sub(start)/syncFrequency + 1) * syncFrequency)
	x := r.more()
	x.volumeSync = r.k.m.c.Clock.At(at, r.timerLabel("sync", "", ""), func() {
		x.volumeSync = nil // as r.step's (schedule)
		if r.gone {
			return
		}
		if r.k.stopped {
			r.stall(r.resyncVolumes)
			return
		}
		r.resyncVolumes()
	})
}

// resyncVolumes rewrites the mounted volumes whose content changed. A volume whose
// ConfigMap or Secret is gone keeps its files, and the failure is recorded.
func (r *podRuntime) resyncVolumes() {
	if r.gone || r.terminal {
		return
	}
	for i := range r.pod.Spec.Volumes {
		v := &r.pod.Spec.Volumes[i]
		if !writtenVolume(&v.VolumeSource) || r.mounted(v.Name) == nil {
			continue
		}
		if err := r.setUpVolume(v); err != nil {
			r.k.rec.Eventf(r, corev1.EventTypeWarning, "FailedMount", "MountVolume.SetUp failed for volume %q : %v", v.Name, err)
		}
	}
}

// follow makes pod the version the runtime reads. The labels and annotations the pod was
// last synced with are kept first if they are about to differ from the version followed.
func (r *podRuntime) follow(pod *corev1.Pod) {
	if old := r.pod; (r.seldom == nil || !r.seldom.synced) &&
		!(maps.Equal(old.Labels, pod.Labels) && maps.Equal(old.Annotations, pod.Annotations)) {
		x := r.more()
		x.synced, x.syncedLabels, x.syncedAnnotations = true, old.Labels, old.Annotations
	}
	r.pod = pod
}

// podUpdated is a change of the pod's labels or annotations: the pod worker syncs it, and
// the volumes are remounted at once (the docs' way to force a refresh).
func (r *podRuntime) podUpdated(pod *corev1.Pod) {
	labels, annotations := r.pod.Labels, r.pod.Annotations
	if x := r.seldom; x != nil && x.synced {
		labels, annotations = x.syncedLabels, x.syncedAnnotations
	}
	if maps.Equal(pod.Labels, labels) && maps.Equal(pod.Annotations, annotations) {
		return
	}
	// Synced with pod's labels and annotations from now on.
	x := r.more()
	x.synced, x.syncedLabels, x.syncedAnnotations = pod != r.pod, pod.Labels, pod.Annotations
	if !x.synced {
		x.syncedLabels, x.syncedAnnotations = nil, nil
	}
	if len(r.volumes) > 0 {
		r.resyncVolumes()
	}
}

// mountContainerVolumes mounts the pod's volumes into a container's filesystem where its
// volumeMounts say. A subPath of a file is the file as it is now (a bind mount of what the
// link points at, which later updates do not reach); of a directory, that directory, made
// if missing.
func (r *podRuntime) mountContainerVolumes(c *containerRuntime, fs *sh.FS) {
	for _, vm := range c.spec.VolumeMounts {
		spec := r.volumeSpec(vm.Name)
		v := r.podVolume(vm.Name)
		if spec == nil || v == nil {
			continue
		}
		ro := vm.ReadOnly || readOnlyVolume(&spec.VolumeSource)
		if vm.SubPath == "" {
			_ = fs.MountSub(vm.MountPath, v.filesystem(r), "/", ro)
			continue
		}
		sub := "/" + vm.SubPath
		vfs := v.filesystem(r)
		st, err := vfs.Stat(sub)
		if err == nil && !st.IsDir {
			data, _ := vfs.ReadFile(sub)
			if d := path.Dir(cleanAbs(vm.MountPath)); d != "/" {
				_ = fs.MkdirAll(d)
			}
			_ = fs.WriteFile(vm.MountPath, data)
			_ = fs.Chmod(vm.MountPath, st.Mode)
			continue
		}
		if err != nil {
			_ = vfs.MkdirAll(sub)
		}
		_ = fs.MountSub(vm.MountPath, vfs, sub, ro)
	}
}

func cleanAbs(p string) string { return path.Clean("/" + p) }

// hasSubPathMounts tells whether a container mounts a subPath: its filesystem is then made
// when it starts, so that the files it takes are those of that instant.
func hasSubPathMounts(c *containerRuntime) bool {
	for _, vm := range c.spec.VolumeMounts {
		if vm.SubPath != "" {
			return true
		}
	}
	return false
}

// payloads shares the volume payloads that are the same between pods (the kube-api-access
// volume of every pod of a namespace shows the same files, its token apart): a payload is
// never changed once made, so the volumes that show the same one keep one map.
type payloads map[uint64]map[string]volumeFile

// Only small payloads are kept (maxPayloadBytes of data, the kube-api-access volume's are
// about 1.1 KB), and at most maxPayloads of them: what payloads no volume shows any more
// keep alive stays under 1 MiB, however often a large ConfigMap changes.
const (
	maxPayloads     = 256
	maxPayloadBytes = 4 << 10
)

// share returns a payload equal to files: the one kept, else a copy of files, kept if small.
func (p *payloads) share(files map[string]volumeFile) map[string]volumeFile {
	h, size := payloadHash(files)
	if size > maxPayloadBytes {
		return maps.Clone(files)
	}
	if *p == nil {
		*p = payloads{}
	}
	if kept, ok := (*p)[h]; ok && maps.Equal(kept, files) {
		return kept
	}
	if len(*p) >= maxPayloads {
		clear(*p)
	}
	files = maps.Clone(files)
	(*p)[h] = files
	return files
}

// payloadHash is a cheap hash of a payload, independent of map order (only a key into
// payloads, whose entries are compared in full), and the size of its data.
func payloadHash(files map[string]volumeFile) (hash uint64, size int) {
	var sum uint64
	for p, f := range files {
		size += len(f.data)
		h := fnvString(fnvOffset, p)
		if d := f.data; len(d) > 64 {
			h = fnvString(fnvString(h, d[:32]), d[len(d)-32:])
		} else {
			h = fnvString(h, d)
		}
		h = (h ^ uint64(len(f.data))) * fnvPrime
		h = (h ^ uint64(uint32(f.mode))) * fnvPrime
		if f.token {
			h = (h ^ 1) * fnvPrime
		}
		sum += h
	}
	return sum, size
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// fnvString is FNV-1a of s, from h.
func fnvString(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * fnvPrime
	}
	return h
}
