import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { Header } from '@/components/Header';
import { ApolloProvider } from '@/lib/ApolloProvider';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Ticketing — buy and sell event tickets', template: '%s · Ticketing' },
  description: 'A marketplace for event tickets: list yours, or buy one with a 15-minute hold while you pay.',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1, themeColor: '#4338ca' };

// Every page depends on the visitor's session cookie.
export const dynamic = 'force-dynamic';

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <ApolloProvider>
          <Header />
          <main id="main" className="container main">
            {children}
          </main>
        </ApolloProvider>
        <footer className="site-footer">
          <div className="container">Ticketing · every purchase holds the ticket for you for 15 minutes</div>
        </footer>
      </body>
    </html>
  );
}
