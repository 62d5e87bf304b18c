// Validates Kubernetes objects (multi-document YAML files, e.g. `kubectl kustomize` output) against the schemas of
// the kubernetes-models package. Every object must be of a known apiVersion/kind and pass its schema; anything
// else fails the run. Usage: node validate.mjs rendered-1.yaml [rendered-2.yaml ...]
import { readFileSync } from "node:fs";
import yaml from "js-yaml";

// apiVersion -> kubernetes-models module: core "v1" -> "kubernetes-models/v1", "apps/v1" -> "kubernetes-models/apps/v1".
async function modelClass(apiVersion, kind) {
  const module = await import(`kubernetes-models/${apiVersion}`).catch(() => null);
  if (!module || typeof module[kind] !== "function") return null;
  return module[kind];
}

let failures = 0;
let checked = 0;
for (const file of process.argv.slice(2)) {
  const docs = yaml.loadAll(readFileSync(file, "utf8")).filter((d) => d != null);
  if (docs.length === 0) {
    console.error(`${file}: no objects`);
    failures++;
  }
  for (const doc of docs) {
    const name = `${file}: ${doc.apiVersion}/${doc.kind} ${doc.metadata?.name ?? "(no name)"}`;
    const Model = await modelClass(doc.apiVersion, doc.kind);
    if (!Model) {
      console.error(`FAIL ${name}: no schema for this apiVersion/kind`);
      failures++;
      continue;
    }
    // kustomize's secretGenerator wraps base64 at 70 columns; the API server decodes []byte fields with Go's
    // base64 decoder, which skips line breaks, while the schema's "byte" format does not: compare as the server reads it.
    if (doc.kind === "Secret" && doc.data) {
      for (const k of Object.keys(doc.data)) doc.data[k] = String(doc.data[k]).replace(/[\r\n]/g, "");
    }
    try {
      new Model(doc).validate();
      checked++;
      console.log(`ok   ${name}`);
    } catch (e) {
      failures++;
      console.error(`FAIL ${name}: ${e.message}`);
    }
  }
}
console.log(`${checked} objects valid, ${failures} failures`);
process.exit(failures === 0 && checked > 0 ? 0 : 1);
