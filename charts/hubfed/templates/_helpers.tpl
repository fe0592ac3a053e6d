{{- define "hubfed.labels" -}}
app.kubernetes.io/name: hubfed
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}

{{- define "hubfed.secretEnv" -}}
{{- range $key := list "DATABASE_URL" "REDIS_URL" "NEXTAUTH_SECRET" "HUBFED_SECRET_KEY" }}
- name: {{ $key }}
  valueFrom:
    secretKeyRef:
      name: {{ $.Values.existingSecret }}
      key: {{ $key }}
{{- end }}
{{- end -}}
