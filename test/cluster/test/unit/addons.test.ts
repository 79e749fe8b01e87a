import { describe, expect, it } from 'vitest';
import { immutableStorageClassChanges, storageClass } from '../../lib/addons.ts';

describe('storageClass', () => {
  it('binds volumes when the first consumer is scheduled, as kind and minikube do', () => {
    expect(storageClass().volumeBindingMode).toBe('WaitForFirstConsumer');
    expect(storageClass().metadata.annotations).toEqual({
      'storageclass.kubernetes.io/is-default-class': 'true',
    });
  });
});

describe('immutableStorageClassChanges', () => {
  const wanted = storageClass();
  /** The class as the API server returns it: defaults filled in, server metadata added. */
  const served = {
    ...wanted,
    metadata: { ...wanted.metadata, uid: 'u', resourceVersion: '7' },
  };

  it('finds nothing to replace in the class the cluster already serves', () => {
    expect(immutableStorageClassChanges(served, wanted)).toEqual([]);
  });

  it('ignores mutable changes such as the default-class annotation', () => {
    const current = { ...served, metadata: { name: wanted.metadata.name } };
    expect(immutableStorageClassChanges(current, wanted)).toEqual([]);
  });

  it('names each immutable field that differs, with both values', () => {
    const current = {
      ...served,
      provisioner: 'rancher.io/local-path',
      reclaimPolicy: 'Retain',
      volumeBindingMode: 'Immediate',
      parameters: { path: '/data' },
    };
    expect(immutableStorageClassChanges(current, wanted)).toEqual([
      'provisioner: "rancher.io/local-path" -> "todo-chatbot.local/hostpath"',
      'parameters: {"path":"/data"} -> undefined',
      'reclaimPolicy: "Retain" -> "Delete"',
      'volumeBindingMode: "Immediate" -> "WaitForFirstConsumer"',
    ]);
  });
});
