import type { Metadata } from 'next';
import { ApiKeysPanel } from '@/components/ApiKeysPanel';
import { ErrorNotice } from '@/components/ErrorNotice';
import { requireMe } from '@/lib/requireMe';
import { serverQuery } from '@/lib/serverQuery';
import { ApiKeysQuery } from '@/operations/users';

export const metadata: Metadata = { title: 'API keys' };

export default async function ApiKeysPage() {
  await requireMe('/account/api-keys');
  const { data, problem } = await serverQuery(ApiKeysQuery);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>API keys</h1>
          <p className="muted">For integrators: call the same GraphQL API from your own code.</p>
        </div>
      </div>
      <ErrorNotice problem={problem} title="Your keys could not be loaded." retry />
      {data?.me ? <ApiKeysPanel initial={data.me.apiKeys ?? []} /> : null}
    </>
  );
}
