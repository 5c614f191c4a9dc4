// Synthetic corpora for `npm run bench`, written to disk as repositories lay them out: per namespace, some
// objects alone in a file, some apps in a file of their own, the rest in bundles of hundreds of documents
// (rendered charts, `kustomize build` output). Every pod template carries its namespace's
// `app.kubernetes.io/part-of` label and every Service selects on it too, as Helm's common labels do: the
// selector requirement that every template of the namespace shares. One app in PLANT_EVERY has a mistake.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const PLANT_EVERY = 50;
const BUNDLE_DOCUMENTS = 250;

const configMap = (name, ns) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}-config
  namespace: ${ns}
data:
  LOG_LEVEL: info
  FEATURE_FLAGS: "checkout,search"
  app.properties: |
    server.port=8080
    cache.size=512
`;

function webApp(name, ns, plant) {
  const selectorApp = plant === 'selector' ? `${name}-typo` : name;
  const targetPort = plant === 'target-port' ? 'htpp' : 'http';
  const probePort = plant === 'probe-port' ? 'healthz' : 'http';
  const backend = plant === 'ingress-backend' ? `${name}-missing` : name;
  const scaleTarget = plant === 'hpa-target' ? `${name}-old` : name;
  return [
    `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
  labels:
    app: ${name}
    app.kubernetes.io/part-of: ${ns}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
        app.kubernetes.io/part-of: ${ns}
        tier: web
    spec:
      containers:
        - name: app
          image: registry.example.com/${ns}/${name}:1.4.2
          ports:
            - name: http
              containerPort: 8080
            - name: metrics
              containerPort: 9090
          envFrom:
            - configMapRef:
                name: ${name}-config
          readinessProbe:
            httpGet:
              path: /healthz
              port: ${probePort}
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
            limits:
              memory: 256Mi
`,
    `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  selector:
    app: ${selectorApp}
    app.kubernetes.io/part-of: ${ns}
  ports:
    - name: http
      port: 80
      targetPort: ${targetPort}
    - name: metrics
      port: 9090
      targetPort: metrics
`,
    configMap(name, ns),
    `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: ${scaleTarget}
  minReplicas: 2
  maxReplicas: 10
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: 70
`,
    `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  ingressClassName: nginx
  rules:
    - host: ${name}.${ns}.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: ${backend}
                port:
                  name: http
`,
  ];
}

function statefulApp(name, ns, plant) {
  const serviceName = plant === 'statefulset-service-name' ? `${name}-hl` : `${name}-headless`;
  return [
    `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  serviceName: ${serviceName}
  replicas: 3
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
        app.kubernetes.io/part-of: ${ns}
        tier: data
    spec:
      containers:
        - name: db
          image: postgres:16.3
          ports:
            - name: postgres
              containerPort: 5432
          readinessProbe:
            tcpSocket:
              port: postgres
          volumeMounts:
            - name: data
              mountPath: /var/lib/postgresql/data
        - name: exporter
          image: quay.io/prometheuscommunity/postgres-exporter:v0.15.0
          ports:
            - name: metrics
              containerPort: 9187
          livenessProbe:
            httpGet:
              path: /
              port: metrics
  volumeClaimTemplates:
    - metadata:
        name: data
      spec:
        accessModes: [ReadWriteOnce]
        resources:
          requests:
            storage: 10Gi
`,
    `apiVersion: v1
kind: Service
metadata:
  name: ${name}-headless
  namespace: ${ns}
spec:
  clusterIP: None
  selector:
    app: ${name}
    app.kubernetes.io/part-of: ${ns}
  ports:
    - name: postgres
      port: 5432
      targetPort: postgres
`,
    `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  selector:
    app: ${name}
    app.kubernetes.io/part-of: ${ns}
  ports:
    - name: postgres
      port: 5432
      targetPort: postgres
    - name: metrics
      port: 9187
      targetPort: metrics
`,
    configMap(name, ns),
  ];
}

/** A Service and its Deployment only: the corpora that compare one namespace with many. */
function servicePair(name, ns, plant) {
  return webApp(name, ns, plant).slice(0, 2);
}

const WEB_PLANTS = ['selector', 'target-port', 'probe-port', 'ingress-backend', 'hpa-target'];

/**
 * The apps of a corpus: `resources` objects in `namespaces` namespaces. `kind: 'mixed'` is four web apps
 * (Deployment, multi-port Service, ConfigMap, HPA, Ingress) to one database (StatefulSet with an exporter
 * sidecar, headless and client Services, ConfigMap); `kind: 'pairs'` is Services and Deployments only.
 */
function appsOf({ resources, namespaces, kind }) {
  const apps = [];
  let count = 0;
  let planted = 0;
  for (let i = 0; count < resources; i++) {
    const ns = namespaces === 1 ? 'shop' : `team-${String(i % namespaces).padStart(2, '0')}`;
    // Apps 7, 57, 107... are web apps (i % 5 < 4); every fifth planted mistake is a database's instead.
    const plantHere = i % PLANT_EVERY === 7 || (kind !== 'pairs' && i % (5 * PLANT_EVERY) === 5 * PLANT_EVERY - 1);
    let documents;
    if (kind === 'pairs') {
      documents = servicePair(`svc-${i}`, ns, plantHere ? 'selector' : undefined);
    } else if (i % 5 === 4) {
      documents = statefulApp(`db-${i}`, ns, plantHere ? 'statefulset-service-name' : undefined);
    } else {
      documents = webApp(`web-${i}`, ns, plantHere ? WEB_PLANTS[Math.floor(i / PLANT_EVERY) % WEB_PLANTS.length] : undefined);
    }
    documents = documents.slice(0, resources - count);
    if (plantHere) planted++;
    count += documents.length;
    apps.push({ index: i, ns, name: `app-${i}`, documents });
  }
  return { apps, planted };
}

/**
 * Writes the corpus below `dir` and returns what it holds. Three apps in ten are one object per file, three in
 * ten a file per app, four in ten go to per-namespace bundles of BUNDLE_DOCUMENTS documents.
 */
export function writeCorpus(dir, spec) {
  const { apps, planted } = appsOf(spec);
  const bundles = new Map();
  let files = 0;
  let documents = 0;
  const write = (relative, docs) => {
    const file = path.join(dir, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, docs.join('---\n'));
    files++;
    documents += docs.length;
  };
  for (const app of apps) {
    const layout = app.index % 10;
    if (layout < 3) {
      app.documents.forEach((doc, d) => write(`${app.ns}/${app.name}/${d}-${doc.match(/^kind: (\w+)/m)[1].toLowerCase()}.yaml`, [doc]));
    } else if (layout < 6) {
      write(`${app.ns}/${app.name}.yaml`, app.documents);
    } else {
      let bundle = bundles.get(app.ns);
      if (!bundle) bundles.set(app.ns, (bundle = { part: 0, documents: [] }));
      bundle.documents.push(...app.documents);
      if (bundle.documents.length >= BUNDLE_DOCUMENTS) {
        write(`${app.ns}/rendered/bundle-${bundle.part++}.yaml`, bundle.documents);
        bundle.documents = [];
      }
    }
  }
  for (const [ns, bundle] of bundles) if (bundle.documents.length > 0) write(`${ns}/rendered/bundle-${bundle.part}.yaml`, bundle.documents);
  return { files, documents, planted };
}

/** One small file, for start-up time. */
export function writeSmallFile(file) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, servicePair('web', 'default').join('---\n'));
}
