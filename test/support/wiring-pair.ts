/** A Service in one file and the Deployment it selects in another: the smallest cross-file pair. */

/** Selects `app: web`, targets the container port named `http`. */
export const service = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: http
`;

/** Runs pods labelled `app: <app>` with a port named `http`; line 12 is the template's label. */
export const deployment = (app: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: ${app}
  template:
    metadata:
      labels:
        app: ${app}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - name: http
              containerPort: 8080
`;
