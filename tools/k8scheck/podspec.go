package main

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// validatePodSpec applies the API server's pod rules that strict decoding cannot see: what each
// name must look like, that names used as references exist, and that requests fit their limits.
// claims are a StatefulSet's volumeClaimTemplates, which its containers mount like volumes.
func validatePodSpec(spec *corev1.PodSpec, claims []string, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	volumes := sets.New(claims...)
	for i, v := range spec.Volumes {
		p := path.Child("volumes").Index(i)
		errs = append(errs, names(p.Child("name"), v.Name, validation.IsDNS1123Label)...)
		if volumes.Has(v.Name) {
			errs = append(errs, field.Duplicate(p.Child("name"), v.Name))
		}
		volumes.Insert(v.Name)
	}
	containers := sets.New[string]()
	all := append(append([]corev1.Container{}, spec.InitContainers...), spec.Containers...)
	if len(spec.Containers) == 0 {
		errs = append(errs, field.Required(path.Child("containers"), "a pod needs a container"))
	}
	for i, c := range all {
		p := path.Child("containers").Index(i)
		errs = append(errs, names(p.Child("name"), c.Name, validation.IsDNS1123Label)...)
		if containers.Has(c.Name) {
			errs = append(errs, field.Duplicate(p.Child("name"), c.Name))
		}
		containers.Insert(c.Name)
		if c.Image == "" {
			errs = append(errs, field.Required(p.Child("image"), ""))
		}
		errs = append(errs, validateContainer(&c, volumes, p)...)
	}
	return errs
}

func validateContainer(c *corev1.Container, volumes sets.Set[string], p *field.Path) field.ErrorList {
	var errs field.ErrorList
	ports := sets.New[string]()
	for j, port := range c.Ports {
		pp := p.Child("ports").Index(j)
		if port.Name != "" {
			errs = append(errs, names(pp.Child("name"), port.Name, validation.IsValidPortName)...)
			if ports.Has(port.Name) {
				errs = append(errs, field.Duplicate(pp.Child("name"), port.Name))
			}
			ports.Insert(port.Name)
		}
		for _, msg := range validation.IsValidPortNum(int(port.ContainerPort)) {
			errs = append(errs, field.Invalid(pp.Child("containerPort"), port.ContainerPort, msg))
		}
	}
	for j, e := range c.Env {
		errs = append(errs, names(p.Child("env").Index(j).Child("name"), e.Name, validation.IsEnvVarName)...)
	}
	for j, m := range c.VolumeMounts {
		if !volumes.Has(m.Name) {
			errs = append(errs, field.NotFound(p.Child("volumeMounts").Index(j).Child("name"), m.Name))
		}
	}
	probes := map[string]*corev1.Probe{
		"startupProbe": c.StartupProbe, "readinessProbe": c.ReadinessProbe, "livenessProbe": c.LivenessProbe,
	}
	for name, probe := range probes {
		if probe == nil {
			continue
		}
		var port *intstr.IntOrString
		switch {
		case probe.HTTPGet != nil:
			port = &probe.HTTPGet.Port
		case probe.TCPSocket != nil:
			port = &probe.TCPSocket.Port
		case probe.Exec == nil && probe.GRPC == nil:
			errs = append(errs, field.Required(p.Child(name), "a probe needs a handler"))
		}
		if port != nil && port.Type == intstr.String && !ports.Has(port.StrVal) {
			errs = append(errs, field.NotFound(p.Child(name, "port"), port.StrVal))
		}
	}
	for resource, limit := range c.Resources.Limits {
		if request, ok := c.Resources.Requests[resource]; ok && request.Cmp(limit) > 0 {
			errs = append(errs, field.Invalid(p.Child("resources", "requests").Key(string(resource)),
				request.String(), fmt.Sprintf("must be less than or equal to the limit %s", limit.String())))
		}
	}
	return errs
}

func names(p *field.Path, value string, rule func(string) []string) field.ErrorList {
	var errs field.ErrorList
	for _, msg := range rule(value) {
		errs = append(errs, field.Invalid(p, value, msg))
	}
	return errs
}
