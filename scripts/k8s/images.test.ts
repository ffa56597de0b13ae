// The images: on a supported Node LTS within the engines field, non-root, each holding only what its
// service runs, and skaffold.yaml building each one from files that make `skaffold dev` rebuild
// only the image whose files changed.
import path from 'node:path';
import { parse } from 'yaml';
import { copiedSources, covers, dockerignore, instructions } from './dockerfile';
import { IMAGE_PREFIX } from './renderOverlays';
import { read, services, ticketingDependencies, workspaceDirs } from './repository';

interface Artifact {
  image: string;
  context?: string;
  docker?: { dockerfile?: string; target?: string; buildArgs?: Record<string, string> };
}
const skaffold = parse(read('skaffold.yaml')) as {
  build: { artifacts: Artifact[] };
  manifests: { kustomize: { paths: string[] } };
  profiles: { name: string; manifests?: { kustomize: { paths: string[] } } }[];
};
const artifacts = skaffold.build.artifacts;
const DOCKERFILES = ['Dockerfile', 'Dockerfile.web'];
const workspaces = services();

/**
 * End of life of each Node LTS line (nodejs.org's release schedule). A line past its date gets no
 * security fixes: this test then fails until the images move on. A new line is added when it
 * enters LTS.
 */
const NODE_LTS_END_OF_LIFE: Record<number, string> = {
  20: '2026-04-30',
  22: '2027-04-30',
  24: '2028-04-30',
};

const nodeMajor = (dockerfile: string) => {
  const m = /^ARG NODE_IMAGE=node:(\d+)-[\w-]+$/m.exec(read(dockerfile));
  if (!m) throw new Error(`${dockerfile}: no ARG NODE_IMAGE=node:<major>-<variant>`);
  return Number(m[1]);
};

describe.each(DOCKERFILES)('%s', (dockerfile) => {
  const text = read(dockerfile);
  const steps = instructions(text);

  test('runs on a Node LTS line that is still supported, within the engines field', () => {
    const major = nodeMajor(dockerfile);
    const endOfLife = NODE_LTS_END_OF_LIFE[major];
    expect({ major, lts: endOfLife !== undefined }).toEqual({ major, lts: true });
    expect(new Date(`${endOfLife}T00:00:00Z`).getTime()).toBeGreaterThan(Date.now());
    const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
    const minimum = /^>=(\d+)(?:\.\d+)*$/.exec(engines);
    expect(minimum).not.toBeNull();
    // The images' Node and the one the tests run on both satisfy it.
    expect(major).toBeGreaterThanOrEqual(Number(minimum?.[1]));
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(Number(minimum?.[1]));
  });

  test('installs from the lockfile with every workspace package.json, and nothing else before npm ci', () => {
    const manifests = steps.filter((s) => s.stage === 'manifests' && s.keyword === 'COPY');
    const copied = manifests.flatMap((s) => s.args.split(/\s+/).slice(0, -1));
    expect(copied.sort()).toEqual(
      ['package.json', 'package-lock.json', ...workspaceDirs().map((d) => `${d}/package.json`)].sort(),
    );
  });

  test('its last stage runs as a numeric non-root user, node as PID 1 (exec form)', () => {
    const last = steps.filter((s) => s.stage === steps.at(-1)?.stage);
    const inherited = steps.filter((s) => s.keyword === 'USER').at(-1);
    expect(inherited?.args).toMatch(/^[1-9]\d*(:\d+)?$/);
    const cmd = steps.filter((s) => s.keyword === 'CMD').at(-1);
    expect(JSON.parse(cmd?.args ?? '')[0]).toBe('node');
    expect(last.length).toBeGreaterThan(0);
  });
});

test('services image: the runtime holds its workspace, kit and events (built) and production dependencies only', () => {
  const steps = instructions(read('Dockerfile'));
  const service = steps.filter((s) => s.stage === 'service' && s.keyword === 'COPY');
  // The Dockerfile's own {WORKSPACE} reference (with its $), written here as $WORKSPACE.
  const sources = service.map((s) =>
    s.args
      .split(/\s+/)
      .at(-2)
      ?.replace(/\$\{(\w+)\}/, '$$$1'),
  );
  expect(sources.sort()).toEqual(
    [
      '/app/node_modules',
      '/app/kit/package.json',
      '/app/kit/dist',
      '/app/events/package.json',
      '/app/events/dist',
      '/app/$WORKSPACE/package.json',
      '/app/$WORKSPACE/dist',
    ].sort(),
  );
  expect(service.find((s) => s.args.includes('node_modules'))?.args).toMatch(/--from=dependencies /);
  const install = steps.find((s) => s.stage === 'dependencies' && s.keyword === 'RUN')?.args ?? '';
  expect(install).toMatch(/npm ci --omit=dev --workspace "\$WORKSPACE"/);
  // npm links every workspace into node_modules; the links to the others go.
  expect(install).toMatch(/find node_modules\/@ticketing .* -exec rm -rf/);
  // Only the gateway's target adds the supergraph; the default target is the plain service.
  expect(steps.filter((s) => s.stage === 'gateway' && s.keyword === 'COPY').map((s) => s.args)).toEqual([
    'rover.yaml supergraph.graphql /app/',
  ]);
  expect(steps.at(-1)).toMatchObject({ stage: 'runtime', keyword: 'FROM', args: 'service AS runtime' });
});

test("web image: Next's standalone output with its static assets, not the whole node_modules", () => {
  expect(read('web/next.config.ts')).toMatch(/output: 'standalone'/);
  const runtime = instructions(read('Dockerfile.web')).filter(
    (s) => s.stage === 'runtime' && s.keyword === 'COPY',
  );
  expect(runtime.map((s) => s.args)).toEqual([
    '--from=build /app/web/.next/standalone ./',
    '--from=build /app/web/.next/static web/.next/static',
    '--from=build /app/web/scripts/server.mjs web/scripts/',
  ]);
});

describe('skaffold.yaml', () => {
  test('one artifact per service, from its Dockerfile, the gateway with its own target', () => {
    expect(artifacts.map((a) => a.image).sort()).toEqual(
      workspaces.map((w) => `${IMAGE_PREFIX}${w.name}`).sort(),
    );
    for (const a of artifacts) {
      const ws = workspaces.find((w) => `${IMAGE_PREFIX}${w.name}` === a.image);
      expect(a.context ?? '.').toBe('.');
      if (ws?.name === 'web') {
        expect(a.docker?.dockerfile).toBe('Dockerfile.web');
        continue;
      }
      expect({
        image: a.image,
        dockerfile: a.docker?.dockerfile,
        workspace: a.docker?.buildArgs?.WORKSPACE,
      }).toEqual({
        image: a.image,
        dockerfile: 'Dockerfile',
        workspace: ws?.dir,
      });
      expect(a.docker?.target).toBe(ws?.name === 'gateway' ? 'gateway' : undefined);
    }
  });

  test('deploys the local overlay, and the production overlay with -p production', () => {
    expect(skaffold.manifests.kustomize.paths).toEqual(['k8s/overlays/local']);
    const production = skaffold.profiles.find((p) => p.name === 'production');
    expect(production?.manifests?.kustomize.paths).toEqual(['k8s/overlays/production']);
  });

  // What skaffold watches for an artifact is what its Dockerfile copies with its build args, less
  // the .dockerignore'd files: a change rebuilds the artifacts whose sources cover the file.
  const ignored = dockerignore(read('.dockerignore'));
  const rebuiltBy = (file: string) =>
    ignored(file)
      ? []
      : artifacts
          .filter((a) =>
            copiedSources(read(a.docker?.dockerfile ?? 'Dockerfile'), a.docker?.buildArgs ?? {}).some((s) =>
              covers(s, file),
            ),
          )
          .map((a) => a.image)
          .sort();
  const imagesUsing = (pkg: string) =>
    workspaces
      .filter((w) => ticketingDependencies(w.dir).includes(pkg))
      .map((w) => `${IMAGE_PREFIX}${w.name}`)
      .sort();

  test.each(workspaces.map((w) => [w.dir, w.name]))(
    '`skaffold dev` rebuilds only %s for a change in it',
    (dir, name) => {
      expect(rebuiltBy(`${dir}/src/${path.basename(dir)}.ts`)).toEqual([`${IMAGE_PREFIX}${name}`]);
    },
  );

  test.each([['kit'], ['events']])(
    'a change in %s rebuilds the images of the services that depend on it',
    (dir) => {
      expect(rebuiltBy(`${dir}/src/index.ts`)).toEqual(imagesUsing(`@ticketing/${dir}`));
      expect(rebuiltBy(`${dir}/src/index.ts`)).not.toContain(`${IMAGE_PREFIX}web`);
    },
  );

  test.each([
    ['subgraphs/users/src/settings.test.ts'],
    ['kit/src/testing/index.ts'],
    ['e2e/src/index.ts'],
    ['k8s/base/services/users.yaml'],
    ['README.md'],
    ['web/src/e2e/signIn.test.ts'],
  ])('a change in %s rebuilds no image', (file) => {
    expect(rebuiltBy(file)).toEqual([]);
  });
});

test('.dockerignore keeps local build output and tests out of the context', () => {
  const ignored = dockerignore(read('.dockerignore'));
  for (const file of [
    'node_modules/x/index.js',
    'kit/dist/index.js',
    'web/.next/BUILD_ID',
    '.cache/bin/x',
    '.git/HEAD',
    'gateway/tsconfig.tsbuildinfo',
    'subgraphs/users/src/x.test.ts',
    'events/src/testing/index.ts',
  ]) {
    expect({ file, ignored: ignored(file) }).toEqual({ file, ignored: true });
  }
  expect(ignored('subgraphs/users/src/main.ts')).toBe(false);
});
