/**
 * Drift: an object the release applied that no longer holds what Helm applied (scaled by hand,
 * an env var set, a Service deleted). The cheap signal is each live object's identity and
 * version (uid plus `metadata.generation`, which only a spec change moves, or the
 * resourceVersion of kinds without one), recorded when a deploy leaves the release; only when
 * it moves are the objects compared with the release's manifest, field by field. All pure but
 * the manifest's decoding, which needs a YAML parser and is loaded only then.
 */
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';

export type ManifestObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [field: string]: unknown };
  [field: string]: unknown;
};

export type LiveObject = {
  kind?: string;
  metadata: { name: string; uid?: string; generation?: number; resourceVersion?: string };
  [field: string]: unknown;
};

/** `Kind/name`: how the release's objects are told apart (all of them live in its namespace). */
export const objectKey = (object: { kind?: string; metadata: { name: string } }, kind?: string) =>
  `${kind ?? object.kind}/${object.metadata.name}`;

/**
 * Helm's release record: the Secret's `release` value is base64 (the Secret's own encoding) of
 * base64 of gzipped JSON, whose `manifest` is the YAML Helm applied.
 */
export async function manifestObjects(releaseData: string): Promise<ManifestObject[]> {
  const once = Buffer.from(releaseData, 'base64').toString('utf8');
  const json = gunzipSync(Buffer.from(once, 'base64')).toString('utf8');
  const { manifest } = JSON.parse(json) as { manifest?: string };
  const { parseAllDocuments } = await import('yaml');
  return parseAllDocuments(manifest ?? '')
    .map((document) => document.toJS() as ManifestObject | null)
    .filter((object): object is ManifestObject => Boolean(object?.kind && object.metadata?.name));
}

/**
 * Kinds without a generation whose status a controller keeps writing (a ResourceQuota's `used`
 * moves with every pod): their resourceVersion says nothing of their spec, a digest of it does.
 */
const STATUS_WRITTEN = new Set(['ResourceQuota']);

/** Pure: the signal of one live object of `kind` (list items name none), or `absent`. */
export function objectSignal(live: LiveObject | undefined, kind = live?.kind): string {
  if (!live) return 'absent';
  const { uid, generation, resourceVersion } = live.metadata;
  if (generation) return `${uid} g${generation}`;
  if (kind && STATUS_WRITTEN.has(kind)) {
    const spec = createHash('sha256')
      .update(JSON.stringify(live.spec ?? {}))
      .digest('hex');
    return `${uid} s${spec.slice(0, 16)}`;
  }
  return `${uid} v${resourceVersion}`;
}

/** Pure: a digest of the signals by object key, as recorded and as seen. */
export function signalDigest(signals: Record<string, string>): string {
  const lines = Object.keys(signals)
    .sort()
    .map((key) => `${key} ${signals[key]}`);
  return createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16);
}

const QUANTITY = /^([+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const SCALE: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** Pure: a resource quantity's value (`500m` -> 0.5, `1Gi` -> 2^30), which the API server rewrites. */
export function quantity(text: string): number | undefined {
  const match = QUANTITY.exec(text);
  return match ? Number(match[1]) * (SCALE[match[2] ?? ''] ?? 1) : undefined;
}

function sameScalar(want: unknown, live: unknown, inQuantities: boolean): boolean {
  if (want === live || String(want) === String(live)) return true;
  if (!inQuantities) return false;
  const [a, b] = [quantity(String(want)), quantity(String(live))];
  return a !== undefined && b !== undefined && Math.abs(a - b) <= Math.abs(a) * 1e-9;
}

const isEmpty = (value: unknown) =>
  value === undefined ||
  value === null ||
  (Array.isArray(value) && value.length === 0) ||
  (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0);

const brief = (value: unknown) => {
  if (value === undefined) return 'unset';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

/** `named`: the values are the names of list items (env var names, ports), never secret. */
export type Difference = { path: string; live: string; want: string; named?: boolean };

/**
 * Pure: the first place where the live object does not hold what was applied. Maps may carry
 * more (defaults, status, controllers' annotations); lists must have the applied items, no
 * more (an env var added by hand is drift); quantities compare by value.
 */
export function firstDifference(
  want: unknown,
  live: unknown,
  path = '',
  inQuantities = false,
): Difference | undefined {
  if (want === null || want === undefined) return undefined;
  if (isEmpty(want) && isEmpty(live)) return undefined;
  if (Array.isArray(want)) {
    const items = Array.isArray(live) ? live : [];
    if (items.length !== want.length) {
      const nameOf = (item: unknown) => (item as { name?: unknown })?.name;
      const named = [...items, ...want].every((item) => typeof nameOf(item) === 'string');
      const list = (of: unknown[]) =>
        `[${of.map((item) => (named ? nameOf(item) : brief(item))).join(', ')}]`;
      return { path, live: list(items), want: list(want), named };
    }
    for (const [index, item] of want.entries()) {
      const name = (item as { name?: unknown })?.name;
      const at = typeof name === 'string' ? `${path}[${name}]` : `${path}[${index}]`;
      const found = firstDifference(item, items[index], at, inQuantities);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof want === 'object') {
    if (typeof live !== 'object' || live === null || Array.isArray(live)) {
      return { path, live: brief(live), want: brief(want) };
    }
    for (const [key, value] of Object.entries(want)) {
      const found = firstDifference(
        value,
        (live as Record<string, unknown>)[key],
        path ? `${path}.${key}` : key,
        inQuantities || key === 'limits' || key === 'requests',
      );
      if (found) return found;
    }
    return undefined;
  }
  return sameScalar(want, live, inQuantities)
    ? undefined
    : { path, live: brief(live), want: brief(want) };
}

/** Pure: a Secret's `stringData` as the `data` the API server stores (base64). */
function asStored(object: ManifestObject): ManifestObject {
  if (object.kind !== 'Secret' || !object.stringData) return object;
  const { stringData, ...rest } = object;
  const data = { ...(rest.data as Record<string, string> | undefined) };
  for (const [key, value] of Object.entries(stringData as Record<string, string>)) {
    data[key] = Buffer.from(String(value)).toString('base64');
  }
  return { ...rest, data };
}

/** Fields Helm applies that the API server keeps elsewhere or rewrites: not drift. */
function comparable(object: ManifestObject): Record<string, unknown> {
  const { apiVersion: _version, kind: _kind, status: _status, ...rest } = asStored(object);
  return rest;
}

const sensitive = (kind: string, path: string) =>
  kind === 'Secret' || /(^|\.)(env|data|stringData)(\[|\.|$)/.test(path);

type ManagedFields = {
  manager?: string;
  operation?: string;
  subresource?: string;
  fieldsV1?: Record<string, unknown>;
}[];

/** Who may write a release's objects without it being drift: Helm and the control plane. */
const OWN_MANAGERS = new Set([
  'helm',
  'kube-controller-manager',
  'kube-scheduler',
  'kubelet',
  'kube-apiserver',
  'before-first-apply',
]);

/** `f:spec`, `k:{"name":"x"}`, `v:"y"` -> `spec`, `[x]`, `[y]`. */
function fieldName(key: string): string {
  if (key.startsWith('f:')) return `.${key.slice(2)}`;
  if (key.startsWith('k:')) {
    try {
      const identity = JSON.parse(key.slice(2)) as Record<string, unknown>;
      return `[${Object.values(identity).join(',')}]`;
    } catch {
      return `[${key.slice(2)}]`;
    }
  }
  return `[${key.slice(2)}]`;
}

/** Pure: the first field under `fields` (a managedFields `fieldsV1` tree), as a path. */
function firstField(fields: Record<string, unknown>, path = ''): string | undefined {
  for (const [key, value] of Object.entries(fields)) {
    if (key === '.') continue;
    const at = `${path}${fieldName(key)}`;
    // "." marks an element the manager owns whole (an env var it added): name the element.
    if (value && typeof value === 'object' && '.' in value) return at;
    const deeper =
      value && typeof value === 'object'
        ? firstField(value as Record<string, unknown>, at)
        : undefined;
    return deeper ?? at;
  }
  return undefined;
}

/**
 * Pure: a field of the object's spec or data that someone other than Helm and the control
 * plane wrote (`kubectl set env`, `kubectl edit`, a dashboard), as `<path> set by <manager>`.
 * This finds what a value comparison cannot: a field the release never set (an env list on a
 * container that had none). The object's own labels and annotations are left alone.
 */
export function foreignField(live: LiveObject): string | undefined {
  const managed = (live.metadata as { managedFields?: ManagedFields }).managedFields ?? [];
  for (const entry of managed) {
    if (entry.subresource === 'status' || OWN_MANAGERS.has(entry.manager ?? '')) continue;
    const { 'f:metadata': _metadata, 'f:status': _status, ...rest } = entry.fieldsV1 ?? {};
    const field = firstField(rest);
    if (field) return `${field.slice(1)} set by ${entry.manager ?? 'an unnamed client'}`;
  }
  return undefined;
}

/** Pure: the first object that no longer holds what the release applied, as a sentence. */
export function driftReason(
  objects: ManifestObject[],
  live: Map<string, LiveObject>,
): string | undefined {
  for (const object of objects) {
    const key = objectKey(object);
    const found = live.get(key);
    if (!found) return `${object.kind} ${object.metadata.name} was deleted outside the release`;
    const difference = firstDifference(comparable(object), found);
    if (difference) {
      // Values of a Secret or an env var may be credentials: name the field only.
      const what =
        sensitive(object.kind, difference.path) && !difference.named
          ? `${difference.path} differs`
          : `${difference.path} ${difference.live}, want ${difference.want}`;
      return `${object.kind} ${object.metadata.name} changed outside the release (${what})`;
    }
    const foreign = foreignField(found);
    if (foreign)
      return `${object.kind} ${object.metadata.name} changed outside the release (${foreign})`;
  }
  return undefined;
}
