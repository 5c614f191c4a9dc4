/**
 * A repository scan meets Helm charts: their templates/ are Go templates, not YAML, and Chart.yaml is chart
 * metadata. A directory scan leaves them out (and says so when nothing else is found); a file named on the
 * command line is still read.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProject } from '../src/engine/project.js';

let root: string;

const TEMPLATE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "shop.fullname" . }}
  labels:
    {{- include "shop.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.replicaCount }}
`;

const PLAIN = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: fast
`;

function write(relative: string, text: string): void {
  const file = path.join(root, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'kubewire-helm-'));
  write('charts/shop/Chart.yaml', 'apiVersion: v2\nname: shop\nversion: 1.0.0\n');
  write('charts/shop/values.yaml', 'replicaCount: 2\n');
  write('charts/shop/templates/deployment.yaml', TEMPLATE);
  write('charts/shop/templates/nested/service.yaml', TEMPLATE);
  write('charts/shop/crds/settings.yaml', PLAIN.replace('settings', 'chart-crd-stand-in'));
  write('deploy/templates/config.yaml', PLAIN); // a templates/ folder outside any chart is plain manifests
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Paths as shown in reports: relative to the working directory (root here). */
const shown = (files: readonly { path: string }[]) => files.map((f) => f.path).sort();

describe('Helm charts in a directory scan', () => {
  it('leaves out templates/ and Chart.yaml of a chart, and keeps its crds/, values and other folders', async () => {
    const project = await loadProject({ cwd: root, operands: ['.'] });
    expect(shown(project.files)).toEqual(['charts/shop/crds/settings.yaml', 'charts/shop/values.yaml', 'deploy/templates/config.yaml']);
    expect(project.helmChartSources).toBe(3);
    expect(project.inputProblems).toEqual([]);
  });

  it('still reads a template named on the command line', async () => {
    const project = await loadProject({ cwd: root, operands: ['charts/shop/templates/deployment.yaml'] });
    expect(shown(project.files)).toEqual(['charts/shop/templates/deployment.yaml']);
    expect(project.helmChartSources).toBe(0);
  });
});
