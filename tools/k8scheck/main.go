// k8scheck renders kustomizations the way `kubectl apply -k` and skaffold do, and checks every
// rendered object against the Kubernetes API's own Go types and libraries, without a cluster:
//
//   - strict decoding with client-go's scheme: an unknown or duplicated field, a wrong type or a
//     kind the API does not serve is a problem (what `kubectl apply --validate=strict` refuses);
//   - only GA APIs (a beta type carries a deprecation lifecycle);
//   - the API server's metadata, label-selector and name rules (apimachinery's validation);
//   - the pod template rules the API server enforces that decoding cannot see (selector matches the
//     template, named ports, volume mounts, requests not above limits);
//   - the "restricted" Pod Security Standard, with the admission controller's own evaluator.
//
// Usage: k8scheck DIR... prints {"DIR": {"objects": [...], "problems": [...]}} as JSON.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/client-go/kubernetes/scheme"
	psaapi "k8s.io/pod-security-admission/api"
	"k8s.io/pod-security-admission/policy"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

type report struct {
	Objects  []map[string]any `json:"objects"`
	Problems []string         `json:"problems"`
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: k8scheck KUSTOMIZATION_DIR...")
		os.Exit(2)
	}
	evaluator, err := policy.NewEvaluator(policy.DefaultChecks(), nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	decoder := serializer.NewCodecFactory(scheme.Scheme, serializer.EnableStrict).UniversalDeserializer()
	out := map[string]report{}
	for _, dir := range os.Args[1:] {
		out[dir] = check(dir, decoder, evaluator)
	}
	enc := json.NewEncoder(os.Stdout)
	if err := enc.Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}

func check(dir string, decoder runtime.Decoder, evaluator policy.Evaluator) report {
	r := report{Objects: []map[string]any{}, Problems: []string{}}
	resources, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), dir)
	if err != nil {
		r.Problems = append(r.Problems, fmt.Sprintf("kustomize: %v", err))
		return r
	}
	for _, res := range resources.Resources() {
		id := fmt.Sprintf("%s/%s", res.GetKind(), res.GetName())
		problem := func(format string, args ...any) {
			r.Problems = append(r.Problems, id+": "+fmt.Sprintf(format, args...))
		}
		data, err := res.MarshalJSON()
		if err != nil {
			problem("%v", err)
			continue
		}
		var raw map[string]any
		if err := json.Unmarshal(data, &raw); err != nil {
			problem("%v", err)
			continue
		}
		r.Objects = append(r.Objects, raw)
		obj, _, err := decoder.Decode(data, nil, nil)
		if err != nil {
			problem("%v", err)
			continue
		}
		if _, beta := obj.(interface{ APILifecycleDeprecated() (int, int) }); beta {
			problem("%s is not a GA API (it has a deprecation lifecycle)", res.GetApiVersion())
		}
		for _, e := range validate(obj) {
			problem("%v", e)
		}
		if meta, spec := podTemplate(obj); spec != nil {
			level := psaapi.LevelVersion{Level: psaapi.LevelRestricted, Version: psaapi.LatestVersion()}
			result := policy.AggregateCheckResults(evaluator.EvaluatePod(level, meta, spec))
			if !result.Allowed {
				problem("violates PodSecurity \"restricted\": %s (%s)", result.ForbiddenReason(), result.ForbiddenDetail())
			}
		}
	}
	return r
}

// podTemplate is the pod metadata and spec of a workload, or nil for other kinds.
func podTemplate(obj runtime.Object) (*metav1.ObjectMeta, *corev1.PodSpec) {
	switch o := obj.(type) {
	case *corev1.Pod:
		return &o.ObjectMeta, &o.Spec
	case *appsv1.Deployment:
		return &o.Spec.Template.ObjectMeta, &o.Spec.Template.Spec
	case *appsv1.StatefulSet:
		return &o.Spec.Template.ObjectMeta, &o.Spec.Template.Spec
	case *appsv1.DaemonSet:
		return &o.Spec.Template.ObjectMeta, &o.Spec.Template.Spec
	case *batchv1.Job:
		return &o.Spec.Template.ObjectMeta, &o.Spec.Template.Spec
	case *batchv1.CronJob:
		return &o.Spec.JobTemplate.Spec.Template.ObjectMeta, &o.Spec.JobTemplate.Spec.Template.Spec
	}
	return nil, nil
}

// selectorOf is a workload's selector, which the API server requires to match its template's labels.
func selectorOf(obj runtime.Object) (*metav1.LabelSelector, bool) {
	switch o := obj.(type) {
	case *appsv1.Deployment:
		return o.Spec.Selector, true
	case *appsv1.StatefulSet:
		return o.Spec.Selector, true
	case *appsv1.DaemonSet:
		return o.Spec.Selector, true
	}
	return nil, false
}

func validate(obj runtime.Object) field.ErrorList {
	var errs field.ErrorList
	if accessor, ok := obj.(metav1.Object); ok {
		errs = append(errs, apivalidation.ValidateObjectMetaAccessor(accessor, accessor.GetNamespace() != "",
			apivalidation.NameIsDNSSubdomain, field.NewPath("metadata"))...)
	}
	opts := metav1validation.LabelSelectorValidationOptions{}
	if sel, ok := selectorOf(obj); ok {
		path := field.NewPath("spec", "selector")
		if sel == nil || (len(sel.MatchLabels) == 0 && len(sel.MatchExpressions) == 0) {
			errs = append(errs, field.Required(path, "a workload needs a non-empty selector"))
		} else {
			errs = append(errs, metav1validation.ValidateLabelSelector(sel, opts, path)...)
			meta, _ := podTemplate(obj)
			if s, err := metav1.LabelSelectorAsSelector(sel); err == nil && !s.Matches(labels.Set(meta.Labels)) {
				errs = append(errs, field.Invalid(path, sel, "does not match the template's labels"))
			}
		}
	}
	if meta, spec := podTemplate(obj); spec != nil {
		path := field.NewPath("spec", "template")
		errs = append(errs, metav1validation.ValidateLabels(meta.Labels, path.Child("metadata", "labels"))...)
		var claims []string
		if sts, ok := obj.(*appsv1.StatefulSet); ok {
			for _, c := range sts.Spec.VolumeClaimTemplates {
				claims = append(claims, c.Name)
			}
		}
		errs = append(errs, validatePodSpec(spec, claims, path.Child("spec"))...)
	}
	return errs
}
