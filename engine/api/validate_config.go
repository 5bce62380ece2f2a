package api

import (
	"encoding/json"
	"maps"
	"path"
	"reflect"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// The validation of ConfigMaps, Secrets and what pods take from them
// (pkg/apis/core/validation upstream).

// maxConfigSize is the most data a ConfigMap or a Secret holds (core.MaxSecretSize, 1 MiB).
const maxConfigSize = 1 * 1024 * 1024

// redacted is what the API server shows instead of a Secret's contents in an error.
const redacted = "<secret contents redacted>"

const immutableSet = "field is immutable when `immutable` is set"

func validateConfigMap(cm *corev1.ConfigMap) field.ErrorList {
	var errs field.ErrorList
	size := 0
	for _, k := range slices.Sorted(maps.Keys(cm.Data)) {
		for _, msg := range validation.IsConfigMapKey(k) {
			errs = append(errs, field.Invalid(field.NewPath("data").Key(k), k, msg))
		}
		if _, dup := cm.BinaryData[k]; dup {
			errs = append(errs, field.Invalid(field.NewPath("data").Key(k), k, "duplicate of key present in binaryData"))
		}
		size += len(cm.Data[k])
	}
	for _, k := range slices.Sorted(maps.Keys(cm.BinaryData)) {
		for _, msg := range validation.IsConfigMapKey(k) {
			errs = append(errs, field.Invalid(field.NewPath("binaryData").Key(k), k, msg))
		}
		size += len(cm.BinaryData[k])
	}
	if size > maxConfigSize {
		// The API server names no field: the whole object is too long.
		errs = append(errs, field.TooLong(field.NewPath(""), "", maxConfigSize))
	}
	return errs
}

func validateSecret(s *corev1.Secret) field.ErrorList {
	var errs field.ErrorList
	data := field.NewPath("data")
	size := 0
	for _, k := range slices.Sorted(maps.Keys(s.Data)) {
		for _, msg := range validation.IsConfigMapKey(k) {
			errs = append(errs, field.Invalid(data.Key(k), k, msg))
		}
		size += len(s.Data[k])
	}
	if size > maxConfigSize {
		errs = append(errs, field.TooLong(data, "", maxConfigSize))
	}
	switch s.Type {
	case corev1.SecretTypeServiceAccountToken:
		if s.Annotations[corev1.ServiceAccountNameKey] == "" {
			errs = append(errs, field.Required(field.NewPath("metadata", "annotations").Key(corev1.ServiceAccountNameKey), ""))
		}
	case corev1.SecretTypeDockercfg, corev1.SecretTypeDockerConfigJson:
		key := corev1.DockerConfigKey
		if s.Type == corev1.SecretTypeDockerConfigJson {
			key = corev1.DockerConfigJsonKey
		}
		b, ok := s.Data[key]
		if !ok {
			errs = append(errs, field.Required(data.Key(key), ""))
			break
		}
		if err := json.Unmarshal(b, &map[string]any{}); err != nil {
			errs = append(errs, field.Invalid(data.Key(key), redacted, err.Error()))
		}
	case corev1.SecretTypeBasicAuth:
		_, user := s.Data[corev1.BasicAuthUsernameKey]
		_, pass := s.Data[corev1.BasicAuthPasswordKey]
		if !user && !pass {
			// Upstream builds these paths from a literal "data[%s]".
			errs = append(errs, field.Required(field.NewPath("data[%s]").Key(corev1.BasicAuthUsernameKey), ""),
				field.Required(field.NewPath("data[%s]").Key(corev1.BasicAuthPasswordKey), ""))
		}
	case corev1.SecretTypeSSHAuth:
		if len(s.Data[corev1.SSHAuthPrivateKey]) == 0 {
			errs = append(errs, field.Required(field.NewPath("data[%s]").Key(corev1.SSHAuthPrivateKey), ""))
		}
	case corev1.SecretTypeTLS:
		if _, ok := s.Data[corev1.TLSCertKey]; !ok {
			errs = append(errs, field.Required(data.Key(corev1.TLSCertKey), ""))
		}
		if _, ok := s.Data[corev1.TLSPrivateKeyKey]; !ok {
			errs = append(errs, field.Required(data.Key(corev1.TLSPrivateKeyKey), ""))
		}
	}
	return errs
}

// validateImmutable refuses what `immutable: true` freezes: the flag itself and the data.
func validateImmutable(was *bool, now *bool, changed map[string]bool) field.ErrorList {
	if was == nil || !*was {
		return nil
	}
	var errs field.ErrorList
	if now == nil || !*now {
		errs = append(errs, field.Forbidden(field.NewPath("immutable"), immutableSet))
	}
	for _, f := range []string{"data", "binaryData"} {
		if changed[f] {
			errs = append(errs, field.Forbidden(field.NewPath(f), immutableSet))
		}
	}
	return errs
}

func validateConfigMapUpdate(cm, old *corev1.ConfigMap) field.ErrorList {
	errs := validateImmutable(old.Immutable, cm.Immutable, map[string]bool{
		"data":       !reflect.DeepEqual(cm.Data, old.Data),
		"binaryData": !reflect.DeepEqual(cm.BinaryData, old.BinaryData),
	})
	return append(errs, validateConfigMap(cm)...)
}

func validateSecretUpdate(s, old *corev1.Secret) field.ErrorList {
	errs := apivalidation.ValidateImmutableField(s.Type, old.Type, field.NewPath("type"))
	errs = append(errs, validateImmutable(old.Immutable, s.Immutable, map[string]bool{"data": !reflect.DeepEqual(s.Data, old.Data)})...)
	return append(errs, validateSecret(s)...)
}

const fileModeError = "must be a number between 0 and 0777 (octal), both inclusive"

// validateVolumeSource checks the sources that read ConfigMaps and Secrets (and the
// projections of a projected volume).
func validateVolumeSource(vs *corev1.VolumeSource, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	switch {
	case vs.ConfigMap != nil:
		s := vs.ConfigMap
		errs = validateKeyVolume(s.Name, s.DefaultMode, s.Items, p.Child("configMap"), "name")
	case vs.Secret != nil:
		s := vs.Secret
		errs = validateKeyVolume(s.SecretName, s.DefaultMode, s.Items, p.Child("secret"), "secretName")
	case vs.Projected != nil:
		pp := p.Child("projected")
		errs = append(errs, validateFileMode(vs.Projected.DefaultMode, pp.Child("defaultMode"))...)
		paths := map[string]bool{}
		for i, src := range vs.Projected.Sources {
			sp := pp.Child("sources").Index(i)
			var items []corev1.KeyToPath
			switch {
			case src.ConfigMap != nil:
				sp = sp.Child("configMap")
				if src.ConfigMap.Name == "" {
					errs = append(errs, field.Required(sp.Child("name"), ""))
				}
				items = src.ConfigMap.Items
			case src.Secret != nil:
				sp = sp.Child("secret")
				if src.Secret.Name == "" {
					errs = append(errs, field.Required(sp.Child("name"), ""))
				}
				items = src.Secret.Items
			default:
				continue
			}
			errs = append(errs, validateKeysToPaths(items, sp.Child("items"))...)
			for j, it := range items {
				if paths[it.Path] {
					errs = append(errs, field.Invalid(sp.Child("items").Index(j).Child("path"), it.Path, "conflicting duplicate paths"))
				}
				paths[it.Path] = true
			}
		}
	}
	return errs
}

// validateKeyVolume is validateConfigMapVolumeSource and validateSecretVolumeSource.
func validateKeyVolume(name string, mode *int32, items []corev1.KeyToPath, p *field.Path, nameField string) field.ErrorList {
	var errs field.ErrorList
	if name == "" {
		errs = append(errs, field.Required(p.Child(nameField), ""))
	}
	errs = append(errs, validateFileMode(mode, p.Child("defaultMode"))...)
	return append(errs, validateKeysToPaths(items, p.Child("items"))...)
}

func validateFileMode(mode *int32, p *field.Path) field.ErrorList {
	if mode != nil && (*mode > 0777 || *mode < 0) {
		return field.ErrorList{field.Invalid(p, *mode, fileModeError)}
	}
	return nil
}

// validateKeysToPaths is validateKeyToPath for each item: a key, a relative path that
// does not step out of the volume nor start with "..", a file mode.
func validateKeysToPaths(items []corev1.KeyToPath, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i, it := range items {
		ip := p.Index(i)
		if it.Key == "" {
			errs = append(errs, field.Required(ip.Child("key"), ""))
		}
		if it.Path == "" {
			errs = append(errs, field.Required(ip.Child("path"), ""))
		}
		pp := ip.Child("path")
		if path.IsAbs(it.Path) {
			errs = append(errs, field.Invalid(pp, it.Path, "must be a relative path"))
		}
		backstep := false
		for _, part := range strings.Split(it.Path, "/") {
			if part == ".." {
				backstep = true
				errs = append(errs, field.Invalid(pp, it.Path, "must not contain '..'"))
				break
			}
		}
		if !backstep && strings.HasPrefix(it.Path, "..") {
			errs = append(errs, field.Invalid(pp, it.Path, "must not start with '..'"))
		}
		errs = append(errs, validateFileMode(it.Mode, ip.Child("mode"))...)
	}
	return errs
}

// validateKeySelector is validateConfigMapKeySelector and validateSecretKeySelector: a
// name that could be an object's, a key that could be a data key.
func validateKeySelector(name, key string, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, msg := range apivalidation.NameIsDNSSubdomain(name, false) {
		errs = append(errs, field.Invalid(p.Child("name"), name, msg))
	}
	if key == "" {
		errs = append(errs, field.Required(p.Child("key"), ""))
	} else {
		for _, msg := range validation.IsConfigMapKey(key) {
			errs = append(errs, field.Invalid(p.Child("key"), key, msg))
		}
	}
	return errs
}

// validateEnvSources checks a container's envFrom and the ConfigMap and Secret keys of its
// env.
func validateEnvSources(c *corev1.Container, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i, e := range c.Env {
		if e.ValueFrom == nil {
			continue
		}
		vp := p.Child("env").Index(i).Child("valueFrom")
		if r := e.ValueFrom.ConfigMapKeyRef; r != nil {
			errs = append(errs, validateKeySelector(r.Name, r.Key, vp.Child("configMapKeyRef"))...)
		}
		if r := e.ValueFrom.SecretKeyRef; r != nil {
			errs = append(errs, validateKeySelector(r.Name, r.Key, vp.Child("secretKeyRef"))...)
		}
	}
	for i, from := range c.EnvFrom {
		fp := p.Child("envFrom").Index(i)
		if from.Prefix != "" {
			for _, msg := range validation.IsRelaxedEnvVarName(from.Prefix) {
				errs = append(errs, field.Invalid(fp.Child("prefix"), from.Prefix, msg))
			}
		}
		var name string
		var np *field.Path
		switch {
		case from.ConfigMapRef != nil && from.SecretRef != nil:
			errs = append(errs, field.Invalid(fp, "", "may not have more than one field specified at a time"))
			continue
		case from.ConfigMapRef != nil:
			name, np = from.ConfigMapRef.Name, fp.Child("configMapRef", "name")
		case from.SecretRef != nil:
			name, np = from.SecretRef.Name, fp.Child("secretRef", "name")
		default:
			errs = append(errs, field.Invalid(fp, "", "must specify one of: `configMapRef` or `secretRef`"))
			continue
		}
		for _, msg := range apivalidation.NameIsDNSSubdomain(name, false) {
			errs = append(errs, field.Invalid(np, name, msg))
		}
	}
	return errs
}
