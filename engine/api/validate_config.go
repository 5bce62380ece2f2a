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

// validateSecret checks the keys, the size, and what the types kubectl makes require
// (kubetab leaves out the rules of the other built-in types: basic-auth, ssh-auth, the
// legacy dockercfg, service account tokens).
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
	case corev1.SecretTypeDockerConfigJson:
		b, ok := s.Data[corev1.DockerConfigJsonKey]
		if !ok {
			errs = append(errs, field.Required(data.Key(corev1.DockerConfigJsonKey), ""))
			break
		}
		if err := json.Unmarshal(b, &map[string]any{}); err != nil {
			errs = append(errs, field.Invalid(data.Key(corev1.DockerConfigJsonKey), redacted, err.Error()))
		}
	case corev1.SecretTypeTLS:
		for _, k := range []string{corev1.TLSCertKey, corev1.TLSPrivateKeyKey} {
			if _, ok := s.Data[k]; !ok {
				errs = append(errs, field.Required(data.Key(k), ""))
			}
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
func validateVolumeSource(vs *corev1.VolumeSource, p lazyPath) field.ErrorList {
	var errs field.ErrorList
	switch {
	case vs.ConfigMap != nil:
		s := vs.ConfigMap
		errs = validateKeyVolume(s.Name, s.DefaultMode, s.Items, p.child("configMap"), "name")
	case vs.Secret != nil:
		s := vs.Secret
		errs = validateKeyVolume(s.SecretName, s.DefaultMode, s.Items, p.child("secret"), "secretName")
	case vs.Projected != nil:
		pp := p.child("projected")
		errs = append(errs, validateFileMode(vs.Projected.DefaultMode, pp.child("defaultMode"))...)
		paths := map[string]bool{}
		for i, src := range vs.Projected.Sources {
			sp := pp.child("sources").index(i)
			var items []corev1.KeyToPath
			switch {
			case src.ConfigMap != nil:
				sp = sp.child("configMap")
				if src.ConfigMap.Name == "" {
					errs = append(errs, field.Required(sp.Child("name"), ""))
				}
				items = src.ConfigMap.Items
			case src.Secret != nil:
				sp = sp.child("secret")
				if src.Secret.Name == "" {
					errs = append(errs, field.Required(sp.Child("name"), ""))
				}
				items = src.Secret.Items
			default:
				continue
			}
			errs = append(errs, validateKeysToPaths(items, sp.child("items"))...)
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
func validateKeyVolume(name string, mode *int32, items []corev1.KeyToPath, p lazyPath, nameField string) field.ErrorList {
	var errs field.ErrorList
	if name == "" {
		errs = append(errs, field.Required(p.Child(nameField), ""))
	}
	errs = append(errs, validateFileMode(mode, p.child("defaultMode"))...)
	return append(errs, validateKeysToPaths(items, p.child("items"))...)
}

func validateFileMode(mode *int32, p lazyPath) field.ErrorList {
	if mode != nil && (*mode > 0777 || *mode < 0) {
		return field.ErrorList{field.Invalid(p(), *mode, fileModeError)}
	}
	return nil
}

// validateKeysToPaths is validateKeyToPath for each item: a key, a relative path that
// does not step out of the volume nor start with "..", a file mode.
func validateKeysToPaths(items []corev1.KeyToPath, p lazyPath) field.ErrorList {
	var errs field.ErrorList
	for i, it := range items {
		ip := p.index(i)
		if it.Key == "" {
			errs = append(errs, field.Required(ip.Child("key"), ""))
		}
		if it.Path == "" {
			errs = append(errs, field.Required(ip.Child("path"), ""))
		}
		pp := ip.child("path")
		if path.IsAbs(it.Path) {
			errs = append(errs, field.Invalid(pp(), it.Path, "must be a relative path"))
		}
		backstep := false
		for part := range strings.SplitSeq(it.Path, "/") {
			if part == ".." {
				backstep = true
				errs = append(errs, field.Invalid(pp(), it.Path, "must not contain '..'"))
				break
			}
		}
		if !backstep && strings.HasPrefix(it.Path, "..") {
			errs = append(errs, field.Invalid(pp(), it.Path, "must not start with '..'"))
		}
		errs = append(errs, validateFileMode(it.Mode, ip.child("mode"))...)
	}
	return errs
}
