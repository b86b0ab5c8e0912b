// The deployment files in infra/ against the server they deploy: every environment variable they
// set for a Convivio process is one env.ts reads, and the values parse (a typo in a name is
// silently ignored by the server, a bad value stops it at start-up, in production); TRUST_PROXY
// counts the one proxy in front of the processes; and /metrics is not served through the public
// entry (the Caddyfile and the Kubernetes Ingress).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { EnvSchema, readEnv } from "./env.js";

const INFRA = new URL("../../../infra/", import.meta.url);
const read = (path: string) => readFileSync(new URL(path, INFRA), "utf8");
const SERVER_IMAGE = /^convivio\/server(:|$)/;
const KNOWN = new Set(Object.keys(EnvSchema.shape));

/** A stand-in for each value compose takes from the shell, so the interpolated result can be parsed. */
const SHELL: Record<string, string> = {
  CONVIVIO_DOMAIN: "convivio.example.org",
  LIVEKIT_DOMAIN: "media.example.org",
  POSTGRES_PASSWORD: "postgres-password",
  LIVEKIT_API_SECRET: "a-livekit-secret-of-32-characters!",
};

/** Compose's interpolation: `${X}`, `${X:-default}` (unset or empty), `${X:?error}` (required), `$$`. */
function interpolate(value: string): string {
  return value.replace(
    /\$\$|\$\{(\w+)(?::([-?])([^}]*))?\}/g,
    (whole, name: string | undefined, op, arg: string) => {
      if (!name) return "$";
      const set = SHELL[name];
      if (op === "-") return set ?? arg;
      if (set === undefined) throw new Error(`no stand-in for \${${name}} in ${whole}`);
      return set;
    },
  );
}

/** A compose `environment:` as a map (it may be a map or a list of NAME=value). */
function composeEnvironment(environment: unknown): Record<string, string> {
  if (Array.isArray(environment)) {
    return Object.fromEntries(
      environment.map((line: string) => {
        const at = line.indexOf("=");
        return at < 0 ? [line, ""] : [line.slice(0, at), line.slice(at + 1)];
      }),
    );
  }
  return Object.fromEntries(
    Object.entries((environment ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v ?? "")]),
  );
}

interface K8sContainer {
  image: string;
  ports?: { name?: string; containerPort: number }[];
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  envFrom?: { secretRef?: { name: string }; configMapRef?: { name: string } }[];
}
interface K8sObject {
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec: Record<string, unknown>;
}
interface IngressPath {
  path: string;
  pathType: string;
  backend: { service?: { name: string } };
}
interface IngressSpec {
  ingressClassName?: string;
  rules: { host: string; http: { paths: IngressPath[] } }[];
}

const k8s = (): K8sObject[] =>
  parseAllDocuments(read("k8s/convivio.yaml")).map((doc) => doc.toJS() as K8sObject);

const serverContainers = (objects: K8sObject[]): K8sContainer[] =>
  objects
    .filter((o) => o.kind === "Deployment")
    .flatMap(
      (o) => (o.spec as { template: { spec: { containers: K8sContainer[] } } }).template.spec.containers,
    )
    .filter((c) => SERVER_IMAGE.test(c.image));

describe("infra/compose.yaml", () => {
  const compose = parse(read("compose.yaml"), { merge: true }) as {
    services: Record<string, { image?: string; environment?: unknown }>;
  };
  const servers = Object.entries(compose.services).filter(([, s]) => SERVER_IMAGE.test(s.image ?? ""));

  it("runs two Convivio processes", () => {
    expect(servers.map(([name]) => name)).toEqual(["convivio-1", "convivio-2"]);
  });

  it("sets only variables the server reads, with values it accepts, one proxy in front", () => {
    for (const [name, service] of servers) {
      const environment = composeEnvironment(service.environment);
      expect(
        Object.keys(environment).filter((key) => !KNOWN.has(key)),
        name,
      ).toEqual([]);
      const env = readEnv(
        Object.fromEntries(Object.entries(environment).map(([k, v]) => [k, interpolate(v)])),
      );
      expect(env.NODE_ENV).toBe("production");
      expect(env.DATABASE_URL).toMatch(/^postgres:\/\//);
      expect(env.REDIS_URL).toMatch(/^redis:\/\//);
      // Caddy is the one hop: each client keeps its own address for the rate limits.
      expect(env.TRUST_PROXY, name).toBe(1);
    }
  });
});

describe("infra/Dockerfile", () => {
  it("sets only variables the server reads", () => {
    const assignments = [...read("Dockerfile").matchAll(/^ENV\s+(.+)$/gm)].flatMap((m) =>
      m[1]!.split(/\s+/).map((pair) => pair.split("=") as [string, string]),
    );
    expect(assignments.map(([key]) => key).filter((key) => !KNOWN.has(key))).toEqual([]);
    expect(readEnv(Object.fromEntries(assignments))).toMatchObject({ NODE_ENV: "production", PORT: 3000 });
  });
});

describe("infra/k8s", () => {
  it("sets only variables the server reads, with values it accepts, one proxy in front", () => {
    const containers = serverContainers(k8s());
    expect(containers).toHaveLength(1);
    for (const container of containers) {
      const env = container.env ?? [];
      expect(env.map((e) => e.name).filter((key) => !KNOWN.has(key))).toEqual([]);
      const parsed = readEnv(
        Object.fromEntries(env.flatMap((e) => (e.value === undefined ? [] : [[e.name, e.value]]))),
      );
      expect(parsed.NODE_ENV).toBe("production");
      // The Ingress controller is the one hop.
      expect(parsed.TRUST_PROXY).toBe(1);
      expect(container.ports?.map((p) => p.containerPort)).toEqual([parsed.PORT]);
    }
  });

  it("fills its Secret only with variables the server reads", () => {
    // The Secret is created by hand, from the commands in the manifest's header and the README.
    for (const file of ["k8s/convivio.yaml", "k8s/README.md"]) {
      const keys = [...read(file).matchAll(/--from-literal=(\w+)=/g)].map((m) => m[1]!);
      expect(keys.length, file).toBeGreaterThan(0);
      expect(
        keys.filter((key) => !KNOWN.has(key)),
        file,
      ).toEqual([]);
    }
  });

  it("does not serve /metrics through the Ingress", () => {
    const ingresses = k8s().filter((o) => o.kind === "Ingress");
    const publicHosts = ingresses.flatMap((o) =>
      (o.spec as unknown as IngressSpec).rules
        .filter((rule) => rule.http.paths.some((p) => p.path === "/"))
        .map((rule) => rule.host),
    );
    expect(publicHosts.length).toBeGreaterThan(0);
    for (const host of publicHosts) {
      const deny = ingresses.find((o) => {
        const annotations = o.metadata.annotations ?? {};
        const spec = o.spec as unknown as IngressSpec;
        return (
          spec.ingressClassName === "nginx" &&
          // Case-insensitive matching (ingress-nginx's regex locations are ~*), as Express routes.
          annotations["nginx.ingress.kubernetes.io/use-regex"] === "true" &&
          (annotations["nginx.ingress.kubernetes.io/denylist-source-range"] ?? "")
            .split(",")
            .map((range) => range.trim())
            .sort()
            .join(",") === "0.0.0.0/0,::/0" &&
          spec.rules.some(
            (rule) =>
              rule.host === host &&
              rule.http.paths.some((p) => p.path === "/metrics" && p.pathType === "ImplementationSpecific"),
          )
        );
      });
      expect(deny, `an Ingress refusing /metrics on ${host}`).toBeDefined();
      // Nothing else on the deny Ingress: its annotations would refuse those paths too.
      expect(
        (deny!.spec as unknown as IngressSpec).rules.flatMap((r) => r.http.paths.map((p) => p.path)),
      ).toEqual(["/metrics"]);
    }
  });
});

describe("infra/Caddyfile", () => {
  it("answers 404 for /metrics and /metrics/ (the server's routes take a trailing slash)", () => {
    const caddyfile = read("Caddyfile");
    const matcher = /^\s*@(\w+) path ([^\n]+)$/m.exec(caddyfile);
    expect(matcher).not.toBeNull();
    expect(matcher![2]!.split(/\s+/)).toEqual(expect.arrayContaining(["/metrics", "/metrics/*"]));
    expect(caddyfile).toMatch(new RegExp(`^\\s*respond @${matcher![1]} 404$`, "m"));
  });
});
