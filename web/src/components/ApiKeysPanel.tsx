'use client';
import { useMutation } from '@apollo/client/react';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { ApiKeysQuery } from '@/gql/graphql';
import { describeError, type Problem } from '@/lib/errors';
import { formatDate } from '@/lib/format';
import { useFocusProblem } from '@/lib/useFocusProblem';
import { CreateApiKeyMutation, RevokeApiKeyMutation } from '@/operations/users';
import { ErrorNotice } from './ErrorNotice';
import { Field } from './Field';

type ApiKey = NonNullable<NonNullable<ApiKeysQuery['me']>['apiKeys']>[number];

/** Create (the secret is shown once), list and revoke API keys for integrators. */
export function ApiKeysPanel({ initial }: { initial: ApiKey[] }) {
  const [keys, setKeys] = useState(initial);
  const [secret, setSecret] = useState<{ name: string; value: string } | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [copied, setCopied] = useState(false);
  const [create, creating] = useMutation(CreateApiKeyMutation);
  const [revoke, revoking] = useMutation(RevokeApiKeyMutation);
  const panel = useRef<HTMLDivElement>(null);
  const secretTitle = useRef<HTMLHeadingElement>(null);
  useFocusProblem(problem, panel);
  // The result of creating a key is its secret: focus goes there.
  useEffect(() => {
    if (secret) secretTitle.current?.focus();
  }, [secret]);

  async function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formEl = event.currentTarget;
    const name = String(new FormData(formEl).get('name') ?? '').trim();
    setProblem(null);
    try {
      const { data } = await create({ variables: { name } });
      if (!data) return;
      setKeys((k) => [data.createApiKey.apiKey, ...k]);
      setSecret({ name: data.createApiKey.apiKey.name, value: data.createApiKey.secret });
      setCopied(false);
      formEl.reset();
    } catch (err) {
      setProblem(describeError(err));
    }
  }

  async function onRevoke(key: ApiKey) {
    if (!window.confirm(`Revoke "${key.name}"? Integrations using it stop working.`)) return;
    setProblem(null);
    try {
      await revoke({ variables: { id: key.id } });
      setKeys((k) => k.filter((x) => x.id !== key.id));
    } catch (err) {
      setProblem(describeError(err));
    }
  }

  const fields = problem?.fields ?? {};
  return (
    <div className="stack" ref={panel}>
      <form className="card form inline-form" onSubmit={onCreate} noValidate aria-busy={creating.loading}>
        <Field
          label="Key name"
          name="name"
          required
          maxLength={100}
          placeholder="e.g. Inventory sync"
          error={fields.name}
        />
        <button type="submit" className="button button-primary" disabled={creating.loading}>
          {creating.loading ? 'Creating…' : 'Create key'}
        </button>
      </form>
      <ErrorNotice problem={problem && Object.keys(fields).length === 0 ? problem : null} />
      {secret ? (
        <section className="notice notice-success secret" aria-labelledby="secret-title">
          <h2 id="secret-title" ref={secretTitle} tabIndex={-1}>
            Your new key “{secret.name}”
          </h2>
          <p>
            Copy it now: it is shown only once. Send it as <code>Authorization: Bearer &lt;key&gt;</code>.
          </p>
          <div className="secret-row">
            <code className="mono secret-value" data-testid="api-key-secret">
              {secret.value}
            </code>
            <button
              type="button"
              className="button button-ghost"
              onClick={() => navigator.clipboard?.writeText(secret.value).then(() => setCopied(true))}
            >
              {copied ? 'Copied' : 'Copy'}
            </button>
          </div>
        </section>
      ) : null}
      {keys.length === 0 ? (
        <div className="empty">
          <h2>No API keys</h2>
          <p className="muted">Create one to use the GraphQL API from your own systems.</p>
        </div>
      ) : (
        <ul className="key-list">
          {keys.map((k) => (
            <li key={k.id} className="card key" data-key-id={k.id}>
              <div>
                <strong>{k.name}</strong> <span className="mono muted">{k.prefix}…</span>
                <div className="small muted">
                  Created {formatDate(k.createdAt)} ·{' '}
                  {k.lastUsedAt ? `last used ${formatDate(k.lastUsedAt)}` : 'never used'}
                </div>
              </div>
              <button
                type="button"
                className="button button-danger"
                onClick={() => onRevoke(k)}
                disabled={revoking.loading}
              >
                Revoke
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
