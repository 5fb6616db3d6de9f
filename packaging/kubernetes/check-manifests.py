#!/usr/bin/python3
"""Checks packaging/kubernetes/ offline, without a cluster (ctest packaging_kubernetes):

1. every object of the kustomization (its resources and what its generators make) against strict
   JSON Schemas of the Kubernetes API (tests/data/kubernetes-schemas/: a misspelled field or a
   wrong type is an error, as `kubectl apply --validate=strict` makes it);
2. swarm's own consistency: every swarm container's arguments are accepted by the built binary
   (`swarm --check` with those arguments, $(VAR)s and mounted files filled in), the scenario and
   module of the ConfigMap load, the scenario copies equal scripts/ and protocols/, and the
   ports, names and labels agree between the Service, the StatefulSet, its Prometheus
   annotations, the controller's dns: SPEC and the NetworkPolicy;
3. negative controls: broken copies (a misspelled field, a wrong type, an unknown swarm option,
   a ConfigMap without the module, a port that disagrees) must each be rejected, so a check that silently passes fails.

    packaging/kubernetes/check-manifests.py SWARM_BINARY

/usr/bin/python3 on purpose: Debian's python3-jsonschema and python3-yaml (make.sh's PACKAGES).
"""
import base64
import copy
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import jsonschema
import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SCHEMAS = ROOT / "tests" / "data" / "kubernetes-schemas" / "kubernetes-strict.json"
# The scenario copies the ConfigMap carries, and the files they copy.
COPIES = {"scenario/redis.yml": "scripts/redis.yml", "scenario/redis.js": "protocols/redis.js"}
# Kustomization fields this checker knows how to read (others would be silently ignored).
KUSTOMIZE_FIELDS = {"apiVersion", "kind", "namespace", "labels", "resources", "images",
                    "configMapGenerator", "secretGenerator"}
# The pod-index label a StatefulSet sets: its stand-in value when checking an agent's arguments.
POD_INDEX_FIELD = "metadata.labels['apps.kubernetes.io/pod-index']"


def load_yaml_documents(path):
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f) if d is not None]


def generated_objects(kustomization, base):
    """What the configMapGenerator and secretGenerator entries make (as kustomize would)."""
    objects = []
    for entry in kustomization.get("configMapGenerator", []):
        data = {}
        for file in entry.get("files", []):
            data[Path(file).name] = (base / file).read_text()
        for literal in entry.get("literals", []):
            key, _, value = literal.partition("=")
            data[key] = value
        objects.append(("configMapGenerator", {"apiVersion": "v1", "kind": "ConfigMap",
                                               "metadata": {"name": entry["name"]}, "data": data}))
    for entry in kustomization.get("secretGenerator", []):
        data = {}
        for env in entry.get("envs", []):
            path = base / env
            if not path.exists():  # tokens.env is the user's; its committed example stands in
                path = base / (env + ".example")
            for line in path.read_text().splitlines():
                if line.strip() and not line.startswith("#"):
                    key, _, value = line.partition("=")
                    data[key] = base64.b64encode(value.encode()).decode()
        objects.append(("secretGenerator", {"apiVersion": "v1", "kind": "Secret",
                                            "metadata": {"name": entry["name"]}, "data": data}))
    return objects


def load_kustomization(base, problems):
    kustomization = yaml.safe_load((base / "kustomization.yaml").read_text())
    for field in sorted(set(kustomization) - KUSTOMIZE_FIELDS):
        problems.append(f"kustomization.yaml: field '{field}' is not one this check reads")
    objects = []
    for resource in kustomization.get("resources", []):
        if not (base / resource).exists():
            problems.append(f"kustomization.yaml: resource '{resource}' does not exist")
            continue
        objects += [(resource, d) for d in load_yaml_documents(base / resource)]
    objects += generated_objects(kustomization, base)
    images = {i["name"] for i in kustomization.get("images", [])}
    if "swarm" not in images:
        problems.append("kustomization.yaml: images: no entry for the image 'swarm'")
    namespace = kustomization.get("namespace")
    for _, obj in objects:
        if namespace and obj.get("kind") != "Namespace":
            obj.setdefault("metadata", {})["namespace"] = namespace
    return kustomization, objects


def check_schemas(objects, schemas, problems):
    for source, obj in objects:
        kind = f"{obj.get('apiVersion')}/{obj.get('kind')}"
        model = schemas["kinds"].get(kind)
        if model is None:
            problems.append(f"{source}: kind {kind} has no schema here (add it to generate.py)")
            continue
        schema = {"definitions": schemas["definitions"], "$ref": "#/definitions/" + model}
        name = obj.get("metadata", {}).get("name", "?")
        for error in jsonschema.Draft7Validator(schema).iter_errors(obj):
            where = "/".join(str(p) for p in error.absolute_path) or "(top)"
            problems.append(f"{source}: {kind} {name}: {where}: {error.message}")


def find(objects, kind, name=None):
    found = [o for _, o in objects if o.get("kind") == kind
             and (name is None or o["metadata"].get("name") == name)]
    return found[0] if found else None


def option_value(args, option):
    """The value after `option` in an argument list (None if absent)."""
    return args[args.index(option) + 1] if option in args else None


def port_of(text):
    return int(text.rsplit(":", 1)[1]) if text else None


def swarm_containers(objects):
    """(owner kind, pod spec, pod template metadata, container) of every swarm container."""
    for _, obj in objects:
        template = obj.get("spec", {}).get("template", {})
        for container in template.get("spec", {}).get("containers", []):
            if container.get("image", "").split(":")[0] == "swarm":
                yield obj["kind"], template["spec"], template.get("metadata", {}), container


def check_consistency(objects, problems):
    service = find(objects, "Service")
    agents = find(objects, "StatefulSet")
    job = find(objects, "Job")
    policy = find(objects, "NetworkPolicy")
    if not (service and agents and job and policy):
        problems.append("consistency: expected a Service, a StatefulSet, a Job and a NetworkPolicy")
        return
    pod = agents["spec"]["template"]
    container = pod["spec"]["containers"][0]
    ports = {p.get("name"): p.get("containerPort") for p in container.get("ports", [])}
    service_ports = {p["name"]: p for p in service["spec"]["ports"]}

    def expect(what, got, wanted):
        if got != wanted:
            problems.append(f"consistency: {what} is {got!r}, expected {wanted!r}")

    expect("StatefulSet serviceName", agents["spec"]["serviceName"], service["metadata"]["name"])
    expect("Service clusterIP (headless)", service["spec"].get("clusterIP"), "None")
    labels = pod["metadata"]["labels"]
    for what, selector in (("Service selector", service["spec"]["selector"]),
                           ("StatefulSet selector", agents["spec"]["selector"]["matchLabels"]),
                           ("NetworkPolicy podSelector", policy["spec"]["podSelector"]["matchLabels"])):
        expect(what, {k: labels.get(k) for k in selector}, selector)
    for name in ("console", "metrics"):
        expect(f"Service port '{name}'", service_ports.get(name, {}).get("port"), ports.get(name))
        expect(f"Service targetPort '{name}'", service_ports.get(name, {}).get("targetPort"), name)
    args = container["args"]
    expect("agent --listen port", port_of(option_value(args, "--listen")), ports.get("console"))
    expect("agent --metrics port", port_of(option_value(args, "--metrics")), ports.get("metrics"))
    annotations = pod["metadata"].get("annotations", {})
    expect("prometheus.io/scrape", annotations.get("prometheus.io/scrape"), "true")
    expect("prometheus.io/port", annotations.get("prometheus.io/port"), str(ports.get("metrics")))
    expect("prometheus.io/path", annotations.get("prometheus.io/path"), "/metrics")
    expect("agent readinessProbe port", container["readinessProbe"]["tcpSocket"]["port"], "console")
    spec = option_value(job["spec"]["template"]["spec"]["containers"][0]["args"], "--fleet") or ""
    wanted = (f"dns:{service['metadata']['name']}.{service['metadata']['namespace']}"
              f".svc.cluster.local:{ports.get('console')}")
    expect("controller --fleet SPEC", spec, wanted)
    rules = policy["spec"]["ingress"]
    expect("NetworkPolicy ports", sorted(r["ports"][0]["port"] for r in rules),
           sorted(ports.values()))
    controller_labels = job["spec"]["template"]["metadata"]["labels"]
    selector = rules[0]["from"][0]["podSelector"]["matchLabels"]
    expect("NetworkPolicy's controller selector", {k: controller_labels.get(k) for k in selector},
           selector)


def check_references(objects, problems):
    """Every ConfigMap, Secret, key and claim a pod refers to exists."""
    names = {(o["kind"], o["metadata"]["name"]): o for _, o in objects}
    for kind, spec, _, container in swarm_containers(objects):
        for env in container.get("env", []):
            source = env.get("valueFrom", {})
            for ref_kind, ref in (("ConfigMap", source.get("configMapKeyRef")),
                                  ("Secret", source.get("secretKeyRef"))):
                if ref and ref["key"] not in names.get((ref_kind, ref["name"]), {}).get("data", {}):
                    problems.append(f"{kind}: env {env['name']}: {ref_kind} {ref['name']} has no "
                                    f"key '{ref['key']}'")
        for volume in spec.get("volumes", []):
            for ref_kind, ref, field in (("ConfigMap", volume.get("configMap"), "name"),
                                         ("Secret", volume.get("secret"), "secretName"),
                                         ("PersistentVolumeClaim",
                                          volume.get("persistentVolumeClaim"), "claimName")):
                if ref and (ref_kind, ref[field]) not in names:
                    problems.append(f"{kind}: volume {volume['name']}: no {ref_kind} {ref[field]}")


def materialise_mounts(objects, spec, container, root):
    """Writes what each volume mount would hold under root; returns {mountPath: local dir}."""
    volumes = {v["name"]: v for v in spec.get("volumes", [])}
    mounts = {}
    for mount in container.get("volumeMounts", []):
        local = Path(tempfile.mkdtemp(dir=root))
        volume = volumes[mount["name"]]
        files = {}
        if "configMap" in volume:
            files = find(objects, "ConfigMap", volume["configMap"]["name"])["data"]
        elif "secret" in volume:
            data = find(objects, "Secret", volume["secret"]["secretName"])["data"]
            files = {k: base64.b64decode(v).decode() for k, v in data.items()}
        items = (volume.get("configMap") or volume.get("secret") or {}).get("items")
        if items:
            files = {i["path"]: files[i["key"]] for i in items}
        for name, text in files.items():
            (local / name).write_text(text)
        mounts[mount["mountPath"]] = str(local)
    return mounts


def env_values(objects, container):
    values = {}
    for env in container.get("env", []):
        source = env.get("valueFrom")
        if source is None:
            values[env["name"]] = env.get("value", "")
        elif "fieldRef" in source:
            values[env["name"]] = "0" if source["fieldRef"]["fieldPath"] == POD_INDEX_FIELD else "x"
        elif "configMapKeyRef" in source:
            ref = source["configMapKeyRef"]
            values[env["name"]] = find(objects, "ConfigMap", ref["name"])["data"][ref["key"]]
        elif "secretKeyRef" in source:
            ref = source["secretKeyRef"]
            data = find(objects, "Secret", ref["name"])["data"][ref["key"]]
            values[env["name"]] = base64.b64decode(data).decode()
    return values


NOTED = set()


def without_unbuilt_fleet(args, swarm_help):
    """This swarm may predate the fleet controller: its options are then left out, said aloud."""
    if "--fleet " in swarm_help or "--fleet <" in swarm_help:
        return args
    kept, skip = [], False
    for arg in args:
        if skip:
            skip = False
        elif arg in ("--fleet", "--fleet-rebalance"):
            if arg not in NOTED:
                print(f"check-manifests: NOTE: this swarm has no --fleet: '{arg}' not checked")
                NOTED.add(arg)
            skip = True
        else:
            kept.append(arg)
    return kept


def check_swarm_arguments(objects, swarm, problems):
    swarm_help = subprocess.run([swarm, "--help"], capture_output=True, text=True).stdout
    for kind, spec, _, container in swarm_containers(objects):
        with tempfile.TemporaryDirectory() as root:
            mounts = materialise_mounts(objects, spec, container, root)
            values = env_values(objects, container)
            args = []
            for arg in container.get("args", []):
                arg = re.sub(r"\$\((\w+)\)", lambda m: values.get(m[1], m[0]), arg)
                for path in sorted(mounts, key=len, reverse=True):  # the deepest mount first
                    if arg == path or arg.startswith(path + "/"):
                        arg = mounts[path] + arg[len(path):]
                        break
                args.append(arg)
            args = without_unbuilt_fleet(args, swarm_help)
            run = subprocess.run([swarm, "--check"] + args, capture_output=True, text=True,
                                 timeout=60)
            if run.returncode != 0:
                problems.append(f"{kind}: swarm --check with its arguments: exit {run.returncode}: "
                                f"{(run.stderr or run.stdout).strip()}")


def check_copies(base, problems):
    for copy_path, original in COPIES.items():
        if (base / copy_path).read_text() != (ROOT / original).read_text():
            problems.append(f"{copy_path}: differs from {original} (copy it again)")


def check_all(objects, schemas, swarm):
    problems = []
    check_schemas(objects, schemas, problems)
    # The schemas said what is malformed: the other checks report what they cannot read.
    for check in (check_references, check_consistency,
                  lambda o, p: check_swarm_arguments(o, swarm, p)):
        try:
            check(objects, problems)
        except (KeyError, TypeError, IndexError, AttributeError, ValueError) as e:
            problems.append(f"{getattr(check, '__name__', 'check')}: cannot read the objects: {e!r}")
    return problems


def agent_container(objects):
    return find(objects, "StatefulSet")["spec"]["template"]["spec"]["containers"][0]


def rename_container_port(objects):
    port = agent_container(objects)["ports"][0]
    port["containerPrt"] = port.pop("containerPort")


NEGATIVE = [
    ("a misspelled field (containerPrt)", "containerPrt", rename_container_port),
    ("a wrong type (replicas: 'three')", "replicas",
     lambda objects: find(objects, "StatefulSet")["spec"].update(replicas="three")),
    ("an unknown swarm option (--consle-token)", "consle-token",
     lambda objects: agent_container(objects)["args"].__setitem__(3, "--consle-token")),
    ("a Prometheus port that is not the metrics port", "prometheus.io/port",
     lambda objects: find(objects, "StatefulSet")["spec"]["template"]["metadata"]["annotations"]
     .update({"prometheus.io/port": "9465"})),
    ("a scenario ConfigMap without its module", "module 'redis.js' not found",
     lambda objects: find(objects, "ConfigMap", "swarm-scenario")["data"].pop("redis.js")),
    ("a dns: SPEC on another port", "--fleet SPEC",
     lambda objects: find(objects, "Job")["spec"]["template"]["spec"]["containers"][0]["args"]
     .__setitem__(2, "dns:swarm-agents.swarm.svc.cluster.local:8412")),
]


def main():
    swarm = sys.argv[1]
    schemas = json.loads(SCHEMAS.read_text())
    problems = []
    kustomization, objects = load_kustomization(HERE, problems)
    check_copies(HERE, problems)
    problems += check_all(objects, schemas, swarm)
    print(f"check-manifests: {len(objects)} objects, {len(schemas['kinds'])} kinds known "
          f"({schemas['$comment']})")
    for source, obj in objects:
        print(f"  {source}: {obj['kind']} {obj['metadata']['name']}")
    for description, needle, mutate in NEGATIVE:
        mutant = copy.deepcopy(objects)
        mutate(mutant)
        found = [p for p in check_all(mutant, schemas, swarm) if needle in p]
        if found:
            print(f"  negative control, {description}: rejected: {found[0]}")
        else:
            problems.append(f"negative control, {description}: NOT rejected")
    for problem in problems:
        print("check-manifests: " + problem, file=sys.stderr)
    print("check-manifests: " + ("FAILED" if problems else "OK"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
