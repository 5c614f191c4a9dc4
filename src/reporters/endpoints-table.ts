import type { EndpointsReport } from '../model/services/endpoints-report.js';
import { describePods } from '../model/pods/container-ports.js';
import { escapeControl } from './escape.js';

/**
 * `kubewire endpoints`: what `kubectl get endpointslices` would show once the manifests are applied, one block
 * per Service, one line per Service port and backing workload.
 */
export function endpointsTable(reports: readonly EndpointsReport[]): string {
  const blocks = reports.map((report) => {
    const s = report.service;
    const kind = s.headless ? `${s.type}, headless` : s.type;
    const lines = [escapeControl(`Service ${s.namespace}/${s.name} (${kind})`)];
    if (report.mode === 'external-name') {
      lines.push('  no endpoints: an ExternalName Service is a DNS alias (CNAME)');
      return lines.join('\n');
    }
    if (report.mode === 'selectorless') {
      lines.push(
        report.manual.length > 0
          ? escapeControl(`  no selector: endpoints are given by hand in ${report.manual.map((m) => `${m.kind}/${m.name}`).join(', ')}`)
          : '  no selector and no Endpoints/EndpointSlice in the input: no endpoints unless they are created elsewhere',
      );
      return lines.join('\n');
    }
    if (report.ports.length === 0) lines.push('  no ports');
    for (const port of report.ports) {
      const name = port.name ? `${port.name} ` : '';
      const head = `  ${name}${port.port ?? '?'}/${port.protocol} -> ${port.targetPort ?? '?'}`;
      if (port.backends.length === 0 && port.unresolved.length === 0) {
        const why = report.operator
          ? `no pods in the input: probably created by the operator of ${report.operator.kind}/${report.operator.name}`
          : 'NO ENDPOINTS (the selector matches no pods)';
        lines.push(escapeControl(`${head}   ${why}`));
        continue;
      }
      lines.push(escapeControl(`${head}   ${describePods(port.pods)}`));
      for (const b of port.backends) {
        const container = b.container ? `container ${b.container}` : 'no container declares it';
        lines.push(escapeControl(`      ${b.kind}/${b.name}  ${describePods(b.pods)}  -> ${b.containerPort} (${container})`));
      }
      for (const u of port.unresolved) {
        lines.push(escapeControl(`      ${u.kind}/${u.name}  ${describePods(u.pods)}  NOT SERVED: ${u.reason}`));
      }
    }
    return lines.join('\n');
  });
  return blocks.length === 0 ? 'No Services in the input.\n' : `${blocks.join('\n\n')}\n`;
}
