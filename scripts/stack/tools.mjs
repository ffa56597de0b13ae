// @ts-check
// Binaries the stack needs that npm does not provide: found on PATH or in .cache/bin, otherwise
// built with Go (or, for Debian packages, installed with apt-get when we are root).
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { StackError, say } from './log.mjs';
import { BIN_DIR, ROOT } from './paths.mjs';

/** @param {string} name */
export function onPath(name) {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : null;
}

/**
 * @param {string} component
 * @param {string} what
 */
function requireGo(component, what) {
  if (!onPath('go')) {
    throw new StackError(
      component,
      `${what} is not built yet and no Go toolchain is on PATH to build it`,
      `install Go 1.22+ (https://go.dev/dl) or point the service at a running server with the setting shown above`,
    );
  }
}

/**
 * Builds into a temporary name and renames, so concurrent runners never see half a binary.
 * @param {string} target
 * @param {(tmp: string) => void} build
 */
function buildAtomically(target, build) {
  fs.mkdirSync(BIN_DIR, { recursive: true });
  const tmp = `${target}.tmp-${process.pid}`;
  build(tmp);
  fs.renameSync(tmp, target);
}

/** Our FerretDB launcher (tools/ferretdb), rebuilt when its sources change. */
export function ensureFerretDB() {
  const src = path.join(ROOT, 'tools/ferretdb');
  const hash = createHash('sha256');
  for (const file of ['go.mod', 'go.sum', 'main.go']) hash.update(fs.readFileSync(path.join(src, file)));
  const target = path.join(BIN_DIR, `ferretdb-${hash.digest('hex').slice(0, 12)}`);
  if (fs.existsSync(target)) return target;
  requireGo('MongoDB (FerretDB)', 'the FerretDB launcher');
  say('building the FerretDB launcher with Go (first run only, about a minute)…');
  buildAtomically(target, (tmp) =>
    execFileSync('go', ['build', '-o', tmp, '.'], { cwd: src, stdio: 'inherit' }),
  );
  return target;
}

/** tools/k8scheck: renders the kustomizations and checks them against the Kubernetes API's Go types. */
export function ensureK8sCheck() {
  const src = path.join(ROOT, 'tools/k8scheck');
  const hash = createHash('sha256');
  for (const file of fs
    .readdirSync(src)
    .filter((f) => /^go\.(mod|sum)$|\.go$/.test(f))
    .sort())
    hash.update(fs.readFileSync(path.join(src, file)));
  const target = path.join(BIN_DIR, `k8scheck-${hash.digest('hex').slice(0, 12)}`);
  if (fs.existsSync(target)) return target;
  requireGo('Kubernetes manifests check', 'tools/k8scheck');
  say('building tools/k8scheck with Go (first run only, two or three minutes)…');
  buildAtomically(target, (tmp) =>
    execFileSync('go', ['build', '-o', tmp, '.'], { cwd: src, stdio: 'inherit' }),
  );
  return target;
}

/**
 * A Go program installed by module path and version into .cache/bin.
 * @param {string} component
 * @param {string} binary
 * @param {string} modulePath
 */
function ensureGoInstall(component, binary, modulePath) {
  const target = path.join(BIN_DIR, binary);
  if (fs.existsSync(target)) return target;
  requireGo(component, binary);
  say(`building ${binary} with Go (first run only)…`);
  const gobin = fs.mkdtempSync(path.join(BIN_DIR, '.gobin-'));
  try {
    execFileSync('go', ['install', modulePath], { env: { ...process.env, GOBIN: gobin }, stdio: 'inherit' });
    buildAtomically(target, (tmp) => fs.renameSync(path.join(gobin, binary), tmp));
  } finally {
    fs.rmSync(gobin, { recursive: true, force: true });
  }
  return target;
}

export const ensureStripeMock = () =>
  onPath('stripe-mock') ??
  ensureGoInstall('Stripe (stripe-mock)', 'stripe-mock', 'github.com/stripe/stripe-mock@v0.197.0');

/** Mailpit: an SMTP server that keeps every message for a web inbox and an HTTP API (tests read it). */
export const ensureMailpit = () =>
  onPath('mailpit') ?? ensureGoInstall('Mail (Mailpit)', 'mailpit', 'github.com/axllent/mailpit@v1.33.1');

export const ensureNatsServer = () =>
  onPath('nats-server') ??
  ensureGoInstall('NATS JetStream', 'nats-server', 'github.com/nats-io/nats-server/v2@v2.15.2');

/**
 * A Debian package's binary: on PATH, or installed with apt-get when we may.
 * @param {string} component
 * @param {string} binary
 * @param {string} pkg
 */
export function ensureDebianBinary(component, binary, pkg) {
  const found = onPath(binary);
  if (found) return found;
  if (process.getuid?.() !== 0 || !onPath('apt-get')) {
    throw new StackError(component, `${binary} is not installed`, `run "sudo apt-get install -y ${pkg}"`);
  }
  say(`installing Debian's ${pkg}…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () =>
    spawnSync('apt-get', ['install', '-y', '--no-install-recommends', pkg], { env, stdio: 'inherit' });
  if (install().status !== 0) {
    spawnSync('apt-get', ['update'], { env, stdio: 'inherit' });
    if (install().status !== 0)
      throw new StackError(component, `apt-get could not install ${pkg}`, `install ${pkg} by hand`);
  }
  const installed = onPath(binary);
  if (!installed) throw new StackError(component, `${pkg} installed no ${binary}`, `install ${pkg} by hand`);
  return installed;
}
