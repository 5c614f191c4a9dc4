import path from 'node:path';

/**
 * Helm chart sources met while scanning a directory. A chart is a directory with a `Chart.yaml`; its
 * `templates/` hold Go templates (`{{ .Values.x }}`) that are YAML only after `helm template` renders them,
 * and `Chart.yaml` is chart metadata (apiVersion v1/v2, no kind), not a Kubernetes object (helm.sh/docs
 * topics/charts.md, "The Chart File Structure"). Linting them as manifests reports a YAML syntax error on every
 * template action, so a directory scan leaves them out; render the chart and lint the output instead
 * (`helm template ./chart | kubewire -`). A chart's `crds/` folder holds plain manifests and is still linted.
 * Files named on the command line are always read.
 */
export function partitionHelmChartSources(files: readonly string[]): { manifests: string[]; chartSources: string[] } {
  const chartRoots = new Set(files.filter((f) => path.basename(f) === 'Chart.yaml').map((f) => path.dirname(f)));
  const manifests: string[] = [];
  const chartSources: string[] = [];
  for (const file of files) (chartRoots.size > 0 && isHelmChartSource(file, chartRoots) ? chartSources : manifests).push(file);
  return { manifests, chartSources };
}

function isHelmChartSource(file: string, chartRoots: ReadonlySet<string>): boolean {
  const directory = path.dirname(file);
  if (path.basename(file) === 'Chart.yaml' && chartRoots.has(directory)) return true;
  // Inside <chart>/templates/, at any depth.
  for (let dir = directory, child = ''; ; child = path.basename(dir), dir = path.dirname(dir)) {
    if (child === 'templates' && chartRoots.has(dir)) return true;
    if (path.dirname(dir) === dir) return false;
  }
}
