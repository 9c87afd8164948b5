/**
 * A delivery error as one line for logs, history and the record: never a secret. Libraries'
 * messages are cut to one line, and any value of the secrets a delivery may hold is masked in
 * case a server echoes one back.
 */
const SECRET_ENV = ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_ACCESS_KEY_ID'];
const MAX_LENGTH = 300;

export function errorLine(error: unknown, secrets: readonly string[] = [], env: NodeJS.ProcessEnv = process.env): string {
  const e = error as { name?: string; code?: string; message?: string };
  const name = e?.name && e.name !== 'Error' && e.name !== 'PermanentError' ? `${e.name}: ` : '';
  let text = `${name}${e?.message ?? String(error)}`.replace(/\s+/g, ' ').trim();
  for (const secret of [...secrets, ...SECRET_ENV.map((k) => env[k])]) {
    if (secret !== undefined && secret.length >= 8) text = text.split(secret).join('***');
  }
  return text.length > MAX_LENGTH ? text.slice(0, MAX_LENGTH - 3) + '...' : text;
}
