#!/usr/bin/env python3
"""Writes the JSON types of the Docker Engine API's request bodies that skiffd checks (ApiBodyTypes), from the
swagger in ../shared/specs: src/main/resources/dev/skiff/api/api-types.json. A developer tool: run it when the
swagger changes, and commit what it writes.

Usage: tools/api-types/gen.py [SWAGGER_YAML]

A type is "string", "boolean", "number", "any", "integer:FORMAT" (int64, int32, uint16, ...), "strslice" (a string
or an array of strings: Go's strslice.StrSlice), "#Name" (a definition), ["T"] (an array of T), {"map": T} (an
object of T), or {"props": {FIELD: T, ...}} (an object with those fields; other fields are ignored, as Go ignores
them)."""
import json
import os
import sys

import yaml

here = os.path.dirname(os.path.abspath(__file__))
repo = os.path.dirname(os.path.dirname(here))
swagger = sys.argv[1] if len(sys.argv) > 1 else os.path.join(repo, '..', 'shared', 'specs',
                                                             'docker-engine-api-v1.50.yaml')
out = os.path.join(repo, 'src', 'main', 'resources', 'dev', 'skiff', 'api', 'api-types.json')
spec = yaml.safe_load(open(swagger))
defs = spec['definitions']

# The bodies skiffd reads, by the name ApiBodyTypes.check is called with.
BODIES = {
    'ContainerCreate': ('POST', '/containers/create'),
    'ContainerUpdate': ('POST', '/containers/{id}/update'),
    'ContainerCommit': ('POST', '/commit'),
    'ExecCreate': ('POST', '/containers/{id}/exec'),
    'ExecStart': ('POST', '/exec/{id}/start'),
    'VolumeCreate': ('POST', '/volumes/create'),
    'NetworkCreate': ('POST', '/networks/create'),
    'NetworkConnect': ('POST', '/networks/{id}/connect'),
    'NetworkDisconnect': ('POST', '/networks/{id}/disconnect'),
}
# Go fields of type strslice.StrSlice, which take a string as well as an array.
STRSLICE = {('ContainerConfig', 'Cmd'), ('ContainerConfig', 'Entrypoint'), ('ContainerConfig', 'Shell')}

used = set()


def convert(schema, owner=None, field=None):
    if (owner, field) in STRSLICE:
        return 'strslice'
    if '$ref' in schema:
        name = schema['$ref'].split('/')[-1]
        used.add(name)
        return '#' + name
    if 'allOf' in schema:
        if len(schema['allOf']) == 1:  # a field typed by one definition, with its own description
            return convert(schema['allOf'][0], owner, field)
        props = {}
        for part in schema['allOf']:
            t = convert(part, owner)
            if isinstance(t, str) and t.startswith('#'):
                t = definition(t[1:])
            if isinstance(t, dict) and 'props' in t:
                props.update(t['props'])
        return {'props': props}
    t = schema.get('type')
    if t == 'array':
        return [convert(schema.get('items', {}), owner)]
    if t == 'object' or (t is None and 'properties' in schema):
        if 'properties' in schema:
            return {'props': {k: convert(v, owner, k) for k, v in schema['properties'].items()}}
        extra = schema.get('additionalProperties')
        if isinstance(extra, dict):
            return {'map': convert(extra, owner)}
        return 'any'  # an object of anything
    if t == 'integer':
        return 'integer:' + schema.get('format', 'int64')
    if t in ('string', 'boolean', 'number'):
        return t
    return 'any'


resolved = {}


def definition(name):
    if name not in resolved:
        resolved[name] = None  # recursion guard
        resolved[name] = convert(defs[name], name)
    return resolved[name]


bodies = {}
for key, (method, path) in BODIES.items():
    op = spec['paths'][path][method.lower()]
    schema = next(p['schema'] for p in op['parameters'] if p.get('in') == 'body')
    owner = schema['$ref'].split('/')[-1] if '$ref' in schema else None
    bodies[key] = convert(schema, owner)
while True:
    pending = [n for n in used if n not in resolved]
    if not pending:
        break
    for n in pending:
        definition(n)
result = {'source': os.path.basename(swagger), 'bodies': bodies,
          'definitions': {k: resolved[k] for k in sorted(resolved)}}
with open(out, 'w') as f:
    json.dump(result, f, indent=1, sort_keys=True)
    f.write('\n')
print(out, len(resolved), 'definitions')
