{{/* Names and labels. */}}
{{- define "hubfed.fullname" -}}
{{- if contains "hubfed" .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-hubfed" .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "hubfed.labels" -}}
app.kubernetes.io/name: hubfed
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "hubfed.selectorLabels" -}}
app.kubernetes.io/name: hubfed
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "hubfed.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{- define "hubfed.secretName" -}}
{{- .Values.secrets.existingSecret | default (include "hubfed.fullname" .) -}}
{{- end -}}

{{- define "hubfed.publicHost" -}}
{{- .Values.portal.ingress.host | default (urlParse .Values.publicUrl).host -}}
{{- end -}}

{{/*
The restricted Pod Security Standard, for every pod of the chart: non-root, no privilege
escalation, no capabilities, the runtime's seccomp profile, a read-only root filesystem.
*/}}
{{- define "hubfed.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "hubfed.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: [ALL]
{{- end -}}

{{/* Settings every process reads: the database, Redis, the key that seals secrets. */}}
{{- define "hubfed.commonEnv" -}}
{{- $secret := include "hubfed.secretName" . -}}
{{- range $key := list "DATABASE_URL" "REDIS_URL" "HUBFED_SECRET_KEY" }}
- name: {{ $key }}
  valueFrom:
    secretKeyRef: { name: {{ $secret }}, key: {{ $key }} }
{{- end }}
- name: HUBFED_PREVIOUS_SECRET_KEYS
  valueFrom:
    secretKeyRef: { name: {{ $secret }}, key: HUBFED_PREVIOUS_SECRET_KEYS, optional: true }
- name: NODE_ENV
  value: production
- name: LOG_LEVEL
  value: {{ .Values.logLevel | quote }}
- name: HUBFED_METRICS_TOKEN
  valueFrom:
    secretKeyRef: { name: {{ $secret }}, key: HUBFED_METRICS_TOKEN, optional: true }
{{- if .Values.extraCaSecret.name }}
- name: NODE_EXTRA_CA_CERTS
  value: /etc/hubfed/ca/{{ .Values.extraCaSecret.key }}
{{- end }}
{{- end -}}

{{/* An optional key of the Secret as an environment variable. */}}
{{- define "hubfed.optionalSecretEnv" -}}
- name: {{ .key }}
  valueFrom:
    secretKeyRef: { name: {{ include "hubfed.secretName" .root }}, key: {{ .key }}, optional: true }
{{- end -}}

{{/* Writable places under a read-only root filesystem, and the private CA. */}}
{{- define "hubfed.commonVolumeMounts" -}}
- name: tmp
  mountPath: /tmp
{{- if .Values.extraCaSecret.name }}
- name: extra-ca
  mountPath: /etc/hubfed/ca
  readOnly: true
{{- end }}
{{- end -}}

{{- define "hubfed.commonVolumes" -}}
- name: tmp
  emptyDir: { sizeLimit: 256Mi }
{{- if .Values.extraCaSecret.name }}
- name: extra-ca
  secret:
    secretName: {{ .Values.extraCaSecret.name }}
    items:
      - { key: {{ .Values.extraCaSecret.key }}, path: {{ .Values.extraCaSecret.key }} }
{{- end }}
{{- end -}}

{{- define "hubfed.imagePullSecrets" -}}
{{- with .Values.image.pullSecrets }}
imagePullSecrets:
  {{- range . }}
  - name: {{ . }}
  {{- end }}
{{- end }}
{{- end -}}

{{/* The regions' slugs, from the files given or the existing ConfigMap's list. */}}
{{- define "hubfed.regionSlugs" -}}
{{- if .Values.regions.existingConfigMap -}}
{{- join "," .Values.regions.slugs -}}
{{- else -}}
{{- join "," (keys .Values.regions.files | sortAlpha) -}}
{{- end -}}
{{- end -}}
