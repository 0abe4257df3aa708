// The app's tests build the question catalog from core's source (what GET /api/mitra/questions answers); core
// loads the Elasticsearch client, whose HTTP layer (undici) needs these Node globals that jsdom leaves out.
import { MessageChannel, MessagePort } from 'node:worker_threads';
import { ReadableStream, TransformStream, WritableStream } from 'node:stream/web';
import { TextDecoder, TextEncoder } from 'node:util';

for (const [name, value] of Object.entries({
  TextEncoder,
  TextDecoder,
  ReadableStream,
  WritableStream,
  TransformStream,
  MessageChannel,
  MessagePort,
})) {
  if (!(name in globalThis)) Object.assign(globalThis, { [name]: value });
}
