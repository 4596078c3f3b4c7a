// Interop: stock Yjs clients (npm `yjs` + `y-websocket`'s WebsocketProvider, room = document
// id) edit a ToR through /yjs/{doc} and see each other's edits; a client that connects later
// gets them from the server's stored copy. They present a document token (`?token=`, from
// `server token issue`) of a Secretariat editor; without one the server refuses them. Runs in
// Node, once (desktop project only).
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import { test, expect, account, cli, DRAFTER } from './fixtures';

function connect(baseURL: string, room: string, token: string) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(baseURL.replace('http://', 'ws://') + '/yjs', room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    params: { token },
  });
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve();
    provider.on('sync', (isSynced: boolean) => isSynced && resolve());
  });
  return { doc, provider, synced };
}

test('stock yjs clients edit a ToR section through /yjs and see each other', async ({ baseURL }) => {
  const room = 'tor/gender-dimension';
  const token = cli('token', 'issue', '--user', account('Yjs user', DRAFTER), '--doc', room, '--ttl', '10m').trim();
  const a = connect(baseURL!, room, token);
  const b = connect(baseURL!, room, token);
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
  const c = connect(baseURL!, room, token);
  try {
    await c.synced;
    await expect.poll(() => c.doc.getText('purpose').toString(), { timeout: 5_000 }).toBe('Gender-specific dimension');
    expect(c.doc.getText('scope').toString()).toBe('MedNET countries');
  } finally {
    c.provider.destroy();
  }
});

test('a stock yjs client without a token is refused', async ({ baseURL }) => {
  const socket = new WebSocket(baseURL!.replace('http://', 'ws://') + '/yjs/tor/gender-dimension');
  const status = await new Promise<number>((resolve) => socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
  expect(status).toBe(404);
});
