import { describe, expect, it } from 'vitest';
import { componentSpec, isSameProgram } from '../../lib/processes.ts';

describe('isSameProgram', () => {
  it('matches on the program a process was started from', () => {
    expect(isSameProgram('/bin/kubelet\0--config=x\0', '/bin/kubelet')).toBe(true);
    expect(isSameProgram('/usr/bin/sleep\0/bin/kubelet\0', '/bin/kubelet')).toBe(false);
    expect(isSameProgram('/bin/kubelet-helper\0', '/bin/kubelet')).toBe(false);
    expect(isSameProgram('', '/bin/kubelet')).toBe(false);
  });

  it('finds a component started from another version or cache folder', () => {
    const other = '/home/dev/.cache/todo-chatbot/cluster/v1.33.12/bin/kube-apiserver\0--a\0';
    expect(
      isSameProgram(other, '/root/.cache/todo-chatbot/cluster/v1.33.13/bin/kube-apiserver'),
    ).toBe(true);
  });
});

describe('componentSpec', () => {
  const etcd = { name: 'etcd', command: '/bin/etcd', args: ['--a'] };

  it('changes with the arguments and the recorded inputs', () => {
    expect(componentSpec(etcd)).toBe(componentSpec({ ...etcd }));
    expect(componentSpec({ ...etcd, args: ['--b'] })).not.toBe(componentSpec(etcd));
    expect(componentSpec({ ...etcd, inputs: 'x' })).not.toBe(componentSpec(etcd));
  });
});
