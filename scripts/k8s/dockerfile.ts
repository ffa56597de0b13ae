// A Dockerfile read the way skaffold reads it to know which files an image depends on: its
// instructions by stage, ARG values (defaults, overridden by the artifact's build args) expanded
// in COPY sources; COPY --from copies between stages and depends on no file.

export interface Instruction {
  stage: string;
  keyword: string;
  args: string;
}

export function instructions(dockerfile: string): Instruction[] {
  const lines = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const out: Instruction[] = [];
  let stage = '';
  for (const line of lines) {
    const [keyword = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (keyword.toUpperCase() === 'FROM') stage = /\bAS\s+(\S+)/i.exec(args)?.[1] ?? '';
    out.push({ stage, keyword: keyword.toUpperCase(), args });
  }
  return out;
}

/** The context paths an image built with these build args copies, as skaffold computes them. */
export function copiedSources(dockerfile: string, buildArgs: Record<string, string>): string[] {
  const values = new Map<string, string>();
  const expand = (s: string) =>
    s.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (whole, name: string) => values.get(name) ?? whole);
  const sources: string[] = [];
  for (const { keyword, args } of instructions(dockerfile)) {
    if (keyword === 'ARG') {
      const [name = '', value = ''] = args.split('=');
      values.set(name, buildArgs[name] ?? value.replace(/^"|"$/g, ''));
    }
    if ((keyword === 'COPY' || keyword === 'ADD') && !/--from=/.test(args)) {
      const words = args.split(/\s+/).filter((w) => !w.startsWith('--'));
      sources.push(...words.slice(0, -1).map(expand));
    }
  }
  return sources.map((s) => s.replace(/^\.\/|\/$/g, '') || '.');
}

/** A .dockerignore's patterns as one predicate over context-relative paths. */
export function dockerignore(text: string): (file: string) => boolean {
  const patterns = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((p) => {
      const re = p
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*\*\//g, '\0')
        .replace(/\*/g, '[^/]*')
        .replace(/\0/g, '(?:.*/)?');
      return new RegExp(`^${re}(?:/.*)?$`);
    });
  return (file) => patterns.some((p) => p.test(file));
}

/** True when a copied source (a file or a folder) contains the file. */
export const covers = (source: string, file: string) =>
  source === '.' || file === source || file.startsWith(`${source}/`);
