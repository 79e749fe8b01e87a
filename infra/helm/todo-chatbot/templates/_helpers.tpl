{{/*
The chart name, or nameOverride.
*/}}
{{- define "todo-chatbot.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The prefix of every resource name: fullnameOverride, or "<release>-<chart>" (just the release
name when it already contains the chart name). 52 characters leave room for the longest suffix
("-postgresql") within the 63 a label value or DNS label allows.
*/}}
{{- define "todo-chatbot.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 52 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Resource name of one component: (dict "ctx" $ "component" "backend").
*/}}
{{- define "todo-chatbot.componentName" -}}
{{- printf "%s-%s" (include "todo-chatbot.fullname" .ctx) .component }}
{{- end }}

{{/*
The apps, as a JSON list of names for `fromJsonArray`: every top-level block of values with a
`port` (values.yaml describes the block), in name order. Each app gets a Deployment, a Service,
a ConfigMap when it has settings, and a PodDisruptionBudget and an HPA when its values call for
them; the app's name is its component, container and resource name suffix.
*/}}
{{- define "todo-chatbot.apps" -}}
{{- $apps := list }}
{{- range $name, $v := .Values }}
{{- if and (kindIs "map" $v) (hasKey $v "port") }}
{{- $apps = append $apps $name }}
{{- end }}
{{- end }}
{{- toJson $apps }}
{{- end }}

{{/*
Selector labels of one component: stable for the release's lifetime, since a Deployment's
selector cannot change. Takes (dict "ctx" $ "component" "backend").
*/}}
{{- define "todo-chatbot.selectorLabels" -}}
app.kubernetes.io/name: {{ include "todo-chatbot.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/*
The recommended app.kubernetes.io labels plus helm.sh/chart. Takes (dict "ctx" $ "component" "backend").
*/}}
{{- define "todo-chatbot.labels" -}}
{{ include "todo-chatbot.selectorLabels" . }}
app.kubernetes.io/part-of: {{ include "todo-chatbot.name" .ctx }}
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .ctx.Chart.Name .ctx.Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "todo-chatbot.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "todo-chatbot.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
"repository:tag", never an implicit latest: an empty tag falls back to the chart's appVersion.
Takes (dict "ctx" $ "image" .Values.backend.image).
*/}}
{{- define "todo-chatbot.image" -}}
{{- printf "%s:%s" .image.repository (default .ctx.Chart.AppVersion .image.tag) }}
{{- end }}

{{/*
Pod-level part of the Pod Security Standard "restricted". Takes a podSecurityContext value.
*/}}
{{- define "todo-chatbot.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .runAsUser }}
runAsGroup: {{ .runAsGroup }}
fsGroup: {{ .fsGroup }}
fsGroupChangePolicy: OnRootMismatch
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/*
Container-level part of "restricted", plus a read-only root filesystem: a container writes
only to its volumes (PostgreSQL's data and sockets, the migration Job's /tmp); the two apps
write no file at all.
*/}}
{{- define "todo-chatbot.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/*
Pod spec lines every pod of the release shares.
*/}}
{{- define "todo-chatbot.podDefaults" -}}
serviceAccountName: {{ include "todo-chatbot.serviceAccountName" . }}
automountServiceAccountToken: false
enableServiceLinks: false
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- range . }}
  - name: {{ . }}
  {{- end }}
{{- end }}
{{- end }}

{{/*
The cluster DNS name of a Service of this release: (dict "ctx" $ "component" "backend").
*/}}
{{- define "todo-chatbot.serviceHost" -}}
{{- printf "%s.%s.svc.%s" (include "todo-chatbot.componentName" .) .ctx.Release.Namespace .ctx.Values.clusterDomain }}
{{- end }}

{{/*
The port of an app's Service: its `service.port`, else the port the app listens on.
Takes the app's values.
*/}}
{{- define "todo-chatbot.servicePort" -}}
{{- (.service | default dict).port | default .port | int }}
{{- end }}

{{/*
The in-cluster URL of an app's Service, without a trailing slash: (dict "ctx" $ "component"
"backend").
*/}}
{{- define "todo-chatbot.serviceUrl" -}}
{{- printf "http://%s:%s" (include "todo-chatbot.serviceHost" .) (include "todo-chatbot.servicePort" (index .ctx.Values .component)) }}
{{- end }}

{{/*
The Secret and key of the in-cluster database password.
*/}}
{{- define "todo-chatbot.postgresql.secretName" -}}
{{- default (include "todo-chatbot.componentName" (dict "ctx" . "component" "postgresql")) .Values.postgresql.auth.existingSecret }}
{{- end }}

{{/*
The backend's non-secret settings: the data of its ConfigMap and of the migration hook's
ConfigMap, and (hashed) the checksum/config annotation of the backend pods.
MIGRATE_ON_START is explained in migrations/job.yaml.
*/}}
{{- define "todo-chatbot.backend.configData" -}}
{{- $c := .Values.backend.config -}}
NODE_ENV: production
HOST: 0.0.0.0
PORT: {{ .Values.backend.port | int64 | quote }}
LOG_LEVEL: {{ $c.logLevel | quote }}
DATABASE_POOL_MAX: {{ $c.databasePoolMax | int64 | quote }}
MIGRATE_ON_START: {{ not .Values.externalDatabase.enabled | quote }}
SESSION_TTL_SECONDS: {{ $c.sessionTtlSeconds | int64 | quote }}
COOKIE_SECURE: {{ $c.cookieSecure | quote }}
LOGIN_RATE_LIMIT_MAX: {{ $c.loginRateLimitMax | int64 | quote }}
LOGIN_RATE_LIMIT_WINDOW_MS: {{ $c.loginRateLimitWindowMs | int64 | quote }}
LOGIN_ADDRESS_RATE_LIMIT_MAX: {{ $c.loginAddressRateLimitMax | int64 | quote }}
LOGIN_ADDRESS_RATE_LIMIT_WINDOW_MS: {{ $c.loginAddressRateLimitWindowMs | int64 | quote }}
SIGNUP_RATE_LIMIT_MAX: {{ $c.signupRateLimitMax | int64 | quote }}
SIGNUP_RATE_LIMIT_WINDOW_MS: {{ $c.signupRateLimitWindowMs | int64 | quote }}
TRUST_PROXY_HOPS: {{ add .Values.trustedProxies 1 | quote }}
AUTH_HASH_CONCURRENCY: {{ $c.authHashConcurrency | int64 | quote }}
AUTH_HASH_QUEUE: {{ $c.authHashQueue | int64 | quote }}
{{- with $c.llm.provider }}
LLM_PROVIDER: {{ . | quote }}
{{- end }}
{{- with $c.llm.baseUrl }}
LLM_BASE_URL: {{ . | quote }}
{{- end }}
{{- with $c.llm.model }}
LLM_MODEL: {{ . | quote }}
{{- end }}
LLM_TIMEOUT_MS: {{ $c.llm.timeoutMs | int64 | quote }}
{{- if .Values.externalDatabase.enabled }}
PGSSLMODE: {{ .Values.externalDatabase.sslMode | quote }}
{{- end }}
{{- end }}

{{/*
The secret settings, each read from its Secret by key (never envFrom: a stray key in .env must
not override the ConfigMap). With the in-cluster database, DATABASE_URL is composed by the
kubelet from the password variable, so the password is in no manifest.
Shared by the apps with `secretEnv` (the backend) and the migration Job.
*/}}
{{- define "todo-chatbot.secretEnv" -}}
- name: JWT_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ .Values.secrets.existingSecret }}
      key: {{ .Values.secrets.keys.jwtSecret }}
- name: LLM_API_KEY
  valueFrom:
    secretKeyRef:
      name: {{ .Values.secrets.existingSecret }}
      key: {{ .Values.secrets.keys.llmApiKey }}
      optional: true
{{- if .Values.externalDatabase.enabled }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ .Values.secrets.existingSecret }}
      key: {{ .Values.secrets.keys.databaseUrl }}
{{- else }}
{{- /* The password apart from the URL: the backend percent-encodes it into the URL, so a
password with `@`, `/` or `%` (an existingSecret's) cannot break it. */}}
- name: DATABASE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "todo-chatbot.postgresql.secretName" . }}
      key: {{ .Values.postgresql.auth.passwordKey }}
- name: DATABASE_URL
  value: {{ printf "postgresql://%s@%s:5432/%s" .Values.postgresql.auth.username (include "todo-chatbot.serviceHost" (dict "ctx" . "component" "database")) .Values.postgresql.auth.database | quote }}
{{- end }}
{{- end }}

{{/*
The frontend's settings: its ConfigMap's data and (hashed) its pods' checksum/config.
HOSTNAME: Next's standalone server listens on $HOSTNAME, which the container runtime sets to the
pod name; 0.0.0.0 keeps it on every interface, loopback included.
*/}}
{{- define "todo-chatbot.frontend.configData" -}}
NODE_ENV: production
HOSTNAME: 0.0.0.0
PORT: {{ .Values.frontend.port | int64 | quote }}
BACKEND_URL: {{ include "todo-chatbot.serviceUrl" (dict "ctx" . "component" "backend") | quote }}
BACKEND_TIMEOUT_MS: {{ .Values.frontend.config.backendTimeoutMs | int64 | quote }}
TRUST_PROXY_HOPS: {{ add .Values.trustedProxies (ternary 1 0 .Values.ingress.enabled) | quote }}
{{- end }}

{{/*
An app's settings: its ConfigMap's data and (hashed) its pods' checksum/config. An app with a
`config` block has it turned into settings by its own template, "todo-chatbot.<app>.configData"
(some settings derive from other values); any other app gives its settings as they are, in
`env`. Empty when it has none. Takes (dict "ctx" $ "component" "backend").
*/}}
{{- define "todo-chatbot.app.configData" -}}
{{- $v := index .ctx.Values .component -}}
{{- if hasKey $v "config" -}}
{{- include (printf "todo-chatbot.%s.configData" .component) .ctx -}}
{{- else if $v.env -}}
{{- toYaml $v.env -}}
{{- end -}}
{{- end }}

{{/*
The in-cluster database's settings. PGDATA is a subdirectory: initdb refuses a mount point that
holds lost+found.
*/}}
{{- define "todo-chatbot.postgresql.configData" -}}
POSTGRES_USER: {{ .Values.postgresql.auth.username | quote }}
POSTGRES_DB: {{ .Values.postgresql.auth.database | quote }}
PGDATA: /var/lib/postgresql/data/pgdata
{{- end }}

{{/*
The pods' topologySpreadConstraints. Unset (null): when the component may run more than one
pod, a soft spread over nodes and zones (ScheduleAnyway: a single-node cluster still schedules
every pod), counting only the current ReplicaSet's pods (pod-template-hash) so a rollout is
not skewed by the pods it replaces. A list in values is used as it is; [] turns it off.
Takes (dict "ctx" $ "component" "backend").
*/}}
{{- define "todo-chatbot.topologySpread" -}}
{{- $v := index .ctx.Values .component -}}
{{- $most := ternary $v.autoscaling.maxReplicas $v.replicaCount $v.autoscaling.enabled -}}
{{- if kindIs "slice" $v.topologySpreadConstraints }}
{{- with $v.topologySpreadConstraints }}
topologySpreadConstraints:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- else if gt (int $most) 1 }}
topologySpreadConstraints:
{{- range $key := list "kubernetes.io/hostname" "topology.kubernetes.io/zone" }}
  - maxSkew: 1
    topologyKey: {{ $key }}
    whenUnsatisfiable: ScheduleAnyway
    labelSelector:
      matchLabels:
        {{- include "todo-chatbot.selectorLabels" $ | nindent 8 }}
    matchLabelKeys: ["pod-template-hash"]
{{- end }}
{{- end }}
{{- end }}

{{/*
The smallest pod count an app runs with: decides whether a PodDisruptionBudget helps.
Takes the app's values.
*/}}
{{- define "todo-chatbot.minReplicas" -}}
{{- if .autoscaling.enabled }}{{ .autoscaling.minReplicas }}{{ else }}{{ .replicaCount }}{{ end }}
{{- end }}

{{/*
Hook annotations of the migration Job and of its own ServiceAccount and ConfigMap; the phases
are explained in migrations/job.yaml. Takes (dict "ctx" $ "weight" 0).
*/}}
{{- define "todo-chatbot.migrations.hookAnnotations" -}}
helm.sh/hook: {{ ternary "pre-install,pre-upgrade" "post-install,pre-upgrade" .ctx.Values.externalDatabase.enabled }}
helm.sh/hook-weight: {{ .weight | quote }}
helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
{{- end }}

{{/*
An app container's readiness probe, as values' `readinessProbe` says (see values.yaml): http,
a GET every second; or wait, the same GET made from inside the container by bash, repeated
(every 10 ms while the port is closed, every 100 ms while the app answers anything but 200)
for 4 to 5 s (bash counts whole seconds), a whole 5 s period. The kubelet makes its first
readiness probe as the container starts, when nothing listens yet: an HTTP probe then fails,
and the pod becomes Ready only at the next probe, a period after it could serve. The waiting
probe answers the moment the app does, and the kubelet starts the next one at once when a
probe outlasts the period (its ticker keeps one tick), so a slow start is watched without a
gap. Once Ready it costs one exec every 5 s rather than one a second (each some 20 ms of CPU:
at one a second, two app pods kept 10% of a core busy). A failed probe is 4 to 5 s of answers
other than 200, so one is enough to take the pod out of its Service.
Takes (dict "mode" "wait" "path" "/readyz" "port" 8000).
*/}}
{{- define "todo-chatbot.readinessProbe" -}}
{{- if eq .mode "wait" -}}
exec:
  command:
    - bash
    - -c
    - {{ printf "while [ $SECONDS -lt 5 ]; do if exec 3<>/dev/tcp/127.0.0.1/%d; then printf \"GET %s HTTP/1.0\\r\\n\\r\\n\" >&3; read -r -t 1 _ code _ <&3; exec 3<&-; [ \"$code\" = 200 ] && exit 0; sleep 0.1; else sleep 0.01; fi; done 2>/dev/null; exit 1" (int .port) .path | squote }}
timeoutSeconds: 7
periodSeconds: 5
failureThreshold: 1
{{- else -}}
httpGet: { path: {{ .path }}, port: http }
timeoutSeconds: 1
periodSeconds: 1
failureThreshold: 3
{{- end }}
{{- end }}

{{/*
NetworkPolicy egress rules of the pods that use the database: the release's own PostgreSQL, or
with an external database anywhere (the chart does not know where it is), unless
networkPolicy.externalDatabaseAnywhere is false and networkPolicy.backendEgress names it.
*/}}
{{- define "todo-chatbot.databaseEgress" -}}
{{- if not .Values.externalDatabase.enabled }}
- to:
    - podSelector:
        matchLabels:
          {{- include "todo-chatbot.selectorLabels" (dict "ctx" . "component" "postgresql") | nindent 10 }}
  ports:
    - { port: 5432, protocol: TCP }
{{- else if .Values.networkPolicy.externalDatabaseAnywhere }}
- {}
{{- end }}
{{- end }}

{{/*
The `helm test` pods' GET, as JavaScript: retried for 30 s while the connection itself fails,
because where NetworkPolicy is enforced a new pod's traffic is refused until the policy
controller has seen the pod, a second or two; an HTTP answer, good or bad, is final.
*/}}
{{- define "todo-chatbot.testGet" -}}
const get = async (url) => {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
      return { status: response.status, body: await response.text() };
    } catch (error) {
      if (Date.now() > deadline) throw error;
      console.log(`GET ${url}: ${error.cause?.code ?? error.message}, retrying`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
};
{{- end }}
