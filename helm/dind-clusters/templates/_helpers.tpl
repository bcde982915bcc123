{{- define "dind-clusters.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "dind-clusters.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "dind-clusters.selectorLabels" -}}
app.kubernetes.io/name: {{ include "dind-clusters.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "dind-clusters.labels" -}}
{{ include "dind-clusters.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "dind-clusters.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "dind-clusters.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Refuses value sets that cannot work. */}}
{{- define "dind-clusters.validate" -}}
{{- if not (regexMatch "^[1-9][0-9]*$" (toString .Values.drain.timeoutSeconds)) -}}
{{- fail "drain.timeoutSeconds must be a whole number of seconds, at least 1" -}}
{{- end -}}
{{- if and (gt (int .Values.replicaCount) 1) (not .Values.database.url) -}}
{{- fail "replicaCount > 1 needs PostgreSQL: set database.url (the embedded H2 database serves one replica)" -}}
{{- end -}}
{{- if and .Values.docker.host .Values.docker.hosts -}}
{{- fail "set docker.host (one engine) or docker.hosts (several), not both" -}}
{{- end -}}
{{- range $i, $host := .Values.docker.hosts -}}
{{- if not (and $host.name $host.url) -}}
{{- fail (printf "docker.hosts[%d] needs a name and a url" $i) -}}
{{- end -}}
{{- if and (eq (default "" $host.apiServerAddress) "0.0.0.0") (not $host.kubeconfigHost) -}}
{{- fail (printf "docker.hosts[%d].apiServerAddress 0.0.0.0 needs kubeconfigHost: the name users reach that host by" $i) -}}
{{- end -}}
{{- end -}}
{{- if and (eq .Values.kubernetes.apiServerAddress "0.0.0.0") (not .Values.kubernetes.kubeconfigHost) -}}
{{- fail "kubernetes.apiServerAddress 0.0.0.0 needs kubernetes.kubeconfigHost: the name users reach the Docker host by" -}}
{{- end -}}
{{- end -}}
