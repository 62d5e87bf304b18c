#!/usr/bin/env bash
# Renders every overlay with `kubectl kustomize` and validates the objects against the Kubernetes schemas
# (npm kubernetes-models, pinned in validate/package.json and package-lock.json). Run by .ci/run.
set -euo pipefail
cd "$(dirname "$0")"
command -v kubectl >/dev/null || { echo "check.sh: kubectl is needed (kubectl kustomize)" >&2; exit 1; }
command -v npm >/dev/null || { echo "check.sh: Node.js/npm is needed" >&2; exit 1; }
(cd validate && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
for overlay in overlays/*/; do
  name="$(basename "$overlay")"
  kubectl kustomize "$overlay" > "$out/$name.yaml"
  echo "rendered $overlay: $(grep -c '^kind:' "$out/$name.yaml") objects"
done
node validate/validate.mjs "$out"/*.yaml
