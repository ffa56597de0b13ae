// The web pods' probe (k8s/base/services/web.yaml): answers without rendering a page, so probing
// costs no gateway query, and a slow gateway never makes Kubernetes restart or unlist web pods.
export const dynamic = 'force-static';

export function GET(): Response {
  return new Response('ok', { headers: { 'content-type': 'text/plain; charset=utf-8' } });
}
