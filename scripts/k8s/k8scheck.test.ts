// tools/k8scheck refuses what the API server (or its Pod Security admission) would refuse: each case
// is a mistake a manifest could hold, and the checker must name it.
import { renderYaml } from './renderOverlays';

const pod = (spec: string, extra = '') => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: app }
spec:
  selector: { matchLabels: { app: app } }
  template:
    metadata: { labels: { app: app } }
    spec:
      securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: RuntimeDefault } }
      containers:
        - name: app
          image: app:1
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: [ALL] } }
${spec}
${extra}`;

test('a correct, restricted Deployment passes', () => {
  const { objects, problems } = renderYaml(pod(''));
  expect(problems).toEqual([]);
  expect(objects).toHaveLength(1);
});

test.each([
  [
    'a misspelt field',
    pod('          imagePullPolicyy: Always'),
    /unknown field "spec.template.spec.containers\[0\].imagePullPolicyy"/,
  ],
  [
    'a field of the wrong type',
    pod('          ports: [{ containerPort: "http" }]'),
    /cannot unmarshal|json: /,
  ],
  [
    'a quantity that is none',
    pod('          resources: { limits: { memory: lots } }'),
    /quantities must match/,
  ],
  [
    'requests above limits',
    pod('          resources: { requests: { cpu: "2" }, limits: { cpu: "1" } }'),
    /must be less than or equal to the limit/,
  ],
  [
    'a probe on a port the container does not name',
    pod('          readinessProbe: { httpGet: { path: /, port: http } }'),
    /readinessProbe.port: Not found: "http"/,
  ],
  [
    'a mount of a volume that does not exist',
    pod('          volumeMounts: [{ name: tmp, mountPath: /tmp }]'),
    /volumeMounts\[0\].name: Not found: "tmp"/,
  ],
  ['a field set twice', pod('          image: app:2'), /mapping key "image" already defined/],
  [
    'a privileged container',
    pod('').replace('allowPrivilegeEscalation: false,', 'privileged: true,'),
    /PodSecurity "restricted".*privileged/,
  ],
  [
    'a container that may run as root',
    pod('', '').replace('runAsNonRoot: true, runAsUser: 1000, ', ''),
    /PodSecurity "restricted".*runAsNonRoot/,
  ],
  [
    'a hostPath volume',
    pod('', '      volumes: [{ name: h, hostPath: { path: /var } }]'),
    /PodSecurity "restricted".*hostPath/,
  ],
  [
    'a selector that misses its template',
    pod('').replace('matchLabels: { app: app } }', 'matchLabels: { app: other } }'),
    /does not match the template's labels/,
  ],
  [
    'a kind the API does not serve',
    'apiVersion: v1\nkind: Pipeline\nmetadata: { name: x }\n',
    /no kind "Pipeline" is registered/,
  ],
  [
    'a beta API',
    'apiVersion: flowcontrol.apiserver.k8s.io/v1beta3\nkind: FlowSchema\nmetadata: { name: x }\nspec: { priorityLevelConfiguration: { name: x } }\n',
    /not a GA API/,
  ],
  [
    'an invalid name',
    'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: Not_A_Name }\n',
    /metadata.name: Invalid value/,
  ],
])('refuses %s', (_what, yaml, expected) => {
  const { problems } = renderYaml(yaml);
  expect(problems.join('\n')).toMatch(expected);
});
