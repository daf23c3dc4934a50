// How the extension's pages (popup, check page, settings) ask the background, which holds the one
// host connection. Errors come back as {code, message, details} and are thrown as HostError.
import { api } from './browser.js';
import { HostError } from './host_client.js';

export async function ask(type, fields = {}) {
  const reply = await api.runtime.sendMessage({ type, ...fields });
  if (!reply) throw new HostError('internal', `No answer to ${type}.`);
  if (!reply.ok) throw new HostError(reply.error.code, reply.error.message, reply.error.details);
  return reply.value;
}
