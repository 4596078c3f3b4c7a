// Interop: stock Yjs clients (npm `yjs` + `y-websocket`'s WebsocketProvider, room = document
// id) edit a ToR through /yjs/{doc} and see each other's edits; a client that connects later
// gets them from the server's stored copy. Runs in Node, once (desktop project only).
import { test, expect } from '@playwright/test';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';

function connect(baseURL: string, room: string) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(baseURL.replace('http://', 'ws://') + '/yjs', room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve();
    provider.on('sync', (isSynced: boolean) => isSynced && resolve());
  });
  return { doc, provider, synced };
}

test('stock yjs clients edit a ToR section through /yjs and see each other', async ({ baseURL }) => {
  const room = 'tor/gender-dimension';
  const a = connect(baseURL!, room);
  const b = connect(baseURL!, room);
  try {
    await Promise.all([a.synced, b.synced]);
    a.doc.getText('purpose').insert(0, 'Gender-specific dimension');
    await expect.poll(() => b.doc.getText('purpose').toString(), { timeout: 5_000 }).toBe('Gender-specific dimension');
    b.doc.getText('scope').insert(0, 'MedNET countries');
    await expect.poll(() => a.doc.getText('scope').toString(), { timeout: 5_000 }).toBe('MedNET countries');
  } finally {
    a.provider.destroy();
    b.provider.destroy();
  }

  // The server kept both edits: a newcomer gets them with no other client online.
  const c = connect(baseURL!, room);
  try {
    await c.synced;
    await expect.poll(() => c.doc.getText('purpose').toString(), { timeout: 5_000 }).toBe('Gender-specific dimension');
    expect(c.doc.getText('scope').toString()).toBe('MedNET countries');
  } finally {
    c.provider.destroy();
  }
});
