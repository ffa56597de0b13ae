import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { Header } from '@/components/Header';
import { ApolloProvider } from '@/lib/ApolloProvider';
import { holdSentence } from '@/lib/hold';
import { ServerClockSeed } from '@/lib/ServerClockSeed';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Ticketing — buy and sell event tickets', template: '%s · Ticketing' },
  description: 'A marketplace for event tickets: list yours, or buy one, held for you while you pay.',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1, themeColor: '#4338ca' };

// Every page depends on the visitor's session cookie.
export const dynamic = 'force-dynamic';

export default async function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <ServerClockSeed renderedAt={Date.now()} />
        <ApolloProvider>
          <Header />
          <main id="main" className="container main">
            {children}
          </main>
        </ApolloProvider>
        <footer className="site-footer">
          <div className="container">Ticketing · {await holdSentence()}</div>
        </footer>
      </body>
    </html>
  );
}
