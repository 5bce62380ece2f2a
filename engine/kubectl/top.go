package kubectl

import (
	"errors"
	"fmt"
	"sort"
	"text/tabwriter"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/metrics"
)

// `kubectl top pod|node` (pkg/cmd/top, metricsutil's printer): the resource metrics API's
// samples of kubetab's metrics-server (engine/metrics), while its addon runs.

var topCommand = &command{
	name:        "top",
	short:       "Display resource (CPU/memory) usage",
	usage:       "top (pod | node) [NAME | -l label]",
	subcommands: []*command{topPodCommand, topNodeCommand},
}

type topOptions struct {
	plainArgs
	resourceFlags
	Containers, NoHeaders, Sum, ShowCapacity bool
	SortBy                                   string
}

func (o *topOptions) readOnly() bool { return true }

func (o *topOptions) validate(e *env) error {
	if o.SortBy != "" && o.SortBy != "cpu" && o.SortBy != "memory" {
		return errors.New("--sort-by accepts only cpu or memory")
	}
	if len(o.args) > 1 {
		return e.usageError("%s", e.cmd.usage)
	}
	if len(o.args) == 1 && o.LabelSelector != "" {
		return errors.New("only one of NAME or --selector can be provided")
	}
	return nil
}

var topPodCommand = &command{
	name:    "pod",
	aliases: []string{"pods", "po"},
	short:   "Display resource (CPU/memory) usage of pods",
	usage:   "top pod [NAME | -l label]",
	options: func(fs *flagSet) commandOptions {
		o := &topOptions{}
		o.addLabelSelector(fs)
		o.addAllNamespaces(fs)
		fs.Bool(&o.Containers, "containers", "", false)
		fs.Bool(&o.NoHeaders, "no-headers", "", false)
		fs.Bool(&o.Sum, "sum", "", false)
		fs.String(&o.SortBy, "sort-by", "", "")
		return &topPodOptions{o}
	},
}

var topNodeCommand = &command{
	name:    "node",
	aliases: []string{"nodes", "no"},
	short:   "Display resource (CPU/memory) usage of nodes",
	usage:   "top node [NAME | -l label]",
	options: func(fs *flagSet) commandOptions {
		o := &topOptions{}
		o.addLabelSelector(fs)
		fs.Bool(&o.NoHeaders, "no-headers", "", false)
		fs.Bool(&o.ShowCapacity, "show-capacity", "", false)
		fs.String(&o.SortBy, "sort-by", "", "")
		return &topNodeOptions{o}
	},
}

type topPodOptions struct{ *topOptions }
type topNodeOptions struct{ *topOptions }

// metricsServer is the cluster's metrics API, or the error kubectl reports without one.
func (e *env) metricsServer() (*metrics.Server, error) {
	if e.metrics == nil {
		//lint:ignore ST1005 kubectl's own message, as it prints it
		return nil, errors.New("Metrics API not available")
	}
	switch err := e.metrics.Available(); {
	case errors.Is(err, metrics.ErrNotServed):
		//lint:ignore ST1005 kubectl's own message, as it prints it
		return nil, errors.New("Metrics API not available")
	case err != nil:
		return nil, err
	}
	return e.metrics, nil
}

// start finds the metrics API and reads the label selector.
func (o *topOptions) start(e *env) (*metrics.Server, labels.Selector, error) {
	ms, err := e.metricsServer()
	if err != nil {
		return nil, nil, err
	}
	sel := labels.Everything()
	if o.LabelSelector != "" {
		if sel, err = labels.Parse(o.LabelSelector); err != nil {
			return nil, nil, err
		}
	}
	return ms, sel, nil
}

// sortsBefore orders by --sort-by (the most first), or by name when it is not given.
func (o *topOptions) sortsBefore(a, b metrics.Usage, nameA, nameB string) bool {
	switch o.SortBy {
	case "cpu":
		return a.CPU > b.CPU
	case "memory":
		return a.Memory > b.Memory
	}
	return nameA < nameB
}

func (o *topPodOptions) run(e *env) error {
	ms, sel, err := o.start(e)
	if err != nil {
		return err
	}
	ns := e.ns
	if o.AllNamespaces {
		ns = ""
	}
	pods, err := ms.Pods(ns, sel)
	if err != nil {
		return err
	}
	if len(o.args) == 1 {
		pods = onlyPod(pods, o.args[0])
		if len(pods) == 0 {
			obj, err := e.c.Store.Get(api.ResourceByName("pods"), e.ns, o.args[0])
			if err != nil {
				return err
			}
			// kubectl's checkPodAge: a pod older than two minutes should have metrics.
			if age := e.c.Now().Sub(obj.GetCreationTimestamp().Time); age > 2*60e9 {
				//lint:ignore ST1005 kubectl's own message, as it prints it
				return fmt.Errorf("Metrics not available for pod %s/%s, age: %s", obj.GetNamespace(), obj.GetName(), age)
			}
		}
	}
	if len(pods) == 0 {
		if o.AllNamespaces {
			e.errf("No resources found\n")
		} else {
			e.errf("No resources found in %s namespace.\n", e.ns)
		}
		return nil
	}
	sort.SliceStable(pods, func(i, j int) bool {
		if o.SortBy == "" && o.AllNamespaces && pods[i].Namespace != pods[j].Namespace {
			return pods[i].Namespace < pods[j].Namespace
		}
		return o.sortsBefore(pods[i].Total(), pods[j].Total(), pods[i].Name, pods[j].Name)
	})
	tw := tabwriter.NewWriter(e.io.Out, 6, 4, 3, ' ', 0)
	defer tw.Flush()
	width := 3
	if !o.NoHeaders {
		if o.AllNamespaces {
			fmt.Fprint(tw, "NAMESPACE\t")
			width++
		}
		if o.Containers {
			fmt.Fprint(tw, "POD\t")
			width++
		}
		fmt.Fprint(tw, "NAME\tCPU(cores)\tMEMORY(bytes)\t\n")
	}
	var total metrics.Usage
	for _, p := range pods {
		t := p.Total()
		total.CPU += t.CPU
		total.Memory += t.Memory
		if !o.Containers {
			if o.AllNamespaces {
				fmt.Fprintf(tw, "%s\t", p.Namespace)
			}
			fmt.Fprintf(tw, "%s\t%s\t\n", p.Name, topUsage(t))
			continue
		}
		cs := append([]metrics.ContainerMetrics(nil), p.Containers...)
		sort.SliceStable(cs, func(i, j int) bool { return o.sortsBefore(cs[i].Usage, cs[j].Usage, cs[i].Name, cs[j].Name) })
		for _, c := range cs {
			if o.AllNamespaces {
				fmt.Fprintf(tw, "%s\t", p.Namespace)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t\n", p.Name, c.Name, topUsage(c.Usage))
		}
	}
	if o.Sum {
		for i := 0; i < width-2; i++ {
			fmt.Fprint(tw, "\t")
		}
		fmt.Fprint(tw, "________\t________\t\n")
		for i := 0; i < width-3; i++ {
			fmt.Fprint(tw, "\t")
		}
		fmt.Fprintf(tw, "\t%s\t\n", topUsage(total))
	}
	return nil
}

func onlyPod(pods []metrics.PodMetrics, name string) []metrics.PodMetrics {
	for _, p := range pods {
		if p.Name == name {
			return []metrics.PodMetrics{p}
		}
	}
	return nil
}

// topUsage is the CPU and memory cells: millicores and whole mebibytes.
func topUsage(u metrics.Usage) string {
	return fmt.Sprintf("%dm\t%dMi", u.CPU, u.Memory/(1<<20))
}

func (o *topNodeOptions) run(e *env) error {
	ms, sel, err := o.start(e)
	if err != nil {
		return err
	}
	name := ""
	if len(o.args) == 1 {
		name = o.args[0]
	}
	nodes, err := ms.Nodes(name)
	if err != nil {
		return err
	}
	var shown []metrics.NodeMetrics
	available := map[string]corev1.ResourceList{}
	for _, m := range nodes {
		obj := e.c.Store.Lookup(api.ResourceByName("nodes"), "", m.Name)
		if obj == nil || !sel.Matches(labels.Set(obj.GetLabels())) {
			continue
		}
		n := obj.(*corev1.Node)
		available[m.Name] = n.Status.Allocatable
		if o.ShowCapacity {
			available[m.Name] = n.Status.Capacity
		}
		shown = append(shown, m)
	}
	if name != "" && len(shown) == 0 {
		_, err := e.c.Store.Get(api.ResourceByName("nodes"), "", name)
		return err
	}
	if len(shown) == 0 {
		return errors.New("metrics not available yet")
	}
	sort.SliceStable(shown, func(i, j int) bool {
		return o.sortsBefore(shown[i].Usage, shown[j].Usage, shown[i].Name, shown[j].Name)
	})
	tw := tabwriter.NewWriter(e.io.Out, 6, 4, 3, ' ', 0)
	defer tw.Flush()
	if !o.NoHeaders {
		fmt.Fprint(tw, "NAME\tCPU(cores)\tCPU(%)\tMEMORY(bytes)\tMEMORY(%)\t\n")
	}
	for _, m := range shown {
		a := available[m.Name]
		cpu, mem := a[corev1.ResourceCPU], a[corev1.ResourceMemory]
		fmt.Fprintf(tw, "%s\t%dm\t%d%%\t%dMi\t%d%%\t\n", m.Name,
			m.CPU, percent(m.CPU, cpu.MilliValue()), m.Memory/(1<<20), percent(m.Memory*1000, mem.MilliValue()))
	}
	return nil
}

func percent(used, available int64) int64 {
	if available == 0 {
		return 0
	}
	return int64(float64(used) / float64(available) * 100)
}
