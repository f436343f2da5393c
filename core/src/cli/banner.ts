import type { RunningServer } from '../app/serve';
import type { PortcullisConfig } from '../config/schema';

/** What a newcomer needs after `npm start`: where to point a client, with what key, and how. */
export function startupBanner(config: PortcullisConfig, running: RunningServer): string {
  const lines: string[] = ['', `Portcullis is listening on ${running.url}`, ''];
  const shown = new Map(running.applied.generatedTokens.map((t) => [`${t.project}/${t.name}`, t.plaintext]));
  for (const p of config.projects) {
    if (p.type !== 'ai_wrapper') continue;
    const project = running.gateway.host.config.current();
    const id = p.id ?? [...project.projects.values()].find((r) => r.name === p.name)?.id;
    if (!id) continue;
    const base = `${running.url}/api/${id}/v1`;
    lines.push(`Project "${p.name}"  baseURL: ${base}`);
    let exampleToken: string | undefined;
    for (const t of p.tokens) {
      // Pinned demo tokens are in the config file already; generated ones exist only in this output.
      const plaintext = shown.get(`${p.name}/${t.name}`) ?? (config.dev && t.value ? t.value : undefined);
      if (plaintext) {
        lines.push(`  token "${t.name}" (${t.scopes.join(', ')}): ${plaintext}${shown.has(`${p.name}/${t.name}`) ? '   <- shown once, store it now' : ''}`);
        exampleToken ??= plaintext;
      }
    }
    const model = p.aliases[0]?.name ?? 'provider:model';
    if (exampleToken) {
      lines.push(
        '',
        '  curl:',
        `    curl ${base}/chat/completions -H "Authorization: Bearer ${exampleToken}" -H "Content-Type: application/json" \\`,
        `      -d '{"model":"${model}","messages":[{"role":"user","content":"Hello!"}]}'`,
        '',
        '  OpenAI SDK (Node):',
        `    const client = new OpenAI({ baseURL: '${base}', apiKey: '${exampleToken}' });`,
        `    const r = await client.chat.completions.create({ model: '${model}', messages: [{ role: 'user', content: 'Hello!' }] });`,
        '',
        '  OpenAI SDK (Python):',
        `    client = OpenAI(base_url="${base}", api_key="${exampleToken}")`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}
