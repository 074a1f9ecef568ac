import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { explainStartupFailure, runFromEnvironment } from '../main';
import { createInterface } from 'node:readline';
import { DEMO_PEOPLE, DEMO_VIEWS, playgroundConfig } from '../local/playground-config';
import { ROGUE_ADMIN_USAGE, rogueAdminCommand } from '../local/rogue-admin';

/**
 * `npm start`: Custodian against the simulated tenant with the embedded store,
 * plus one Microsoft 365 Agents Playground per demo viewpoint. Opens nothing;
 * prints where to go.
 */
async function main(): Promise<void> {
  const root = resolve(__dirname, '..', '..');
  // The demo's correlation runs every minute, so that a rogue admin's change shows up quickly.
  const env = {
    ...process.env,
    CUSTODIAN_MODE: process.env.CUSTODIAN_MODE ?? 'local',
    CUSTODIAN_TRACE_CRON: process.env.CUSTODIAN_TRACE_CRON ?? '* * * * *',
  };
  if (env.CUSTODIAN_MODE !== 'local')
    throw new Error('npm start runs the local demo; use "npm run serve" with CUSTODIAN_MODE=production for a real tenant.');
  const started = await runFromEnvironment(env);
  const endpoint = `http://127.0.0.1:${started.custodian.port}/api/messages`;
  const children: ChildProcess[] = [];
  const playgroundCli = require.resolve('@microsoft/m365agentsplayground/cli.js');
  for (const view of DEMO_VIEWS) {
    const folder = join(root, '.local', 'playground', view.key);
    mkdirSync(folder, { recursive: true });
    const configPath = join(folder, '.m365agentsplayground.yml');
    writeFileSync(configPath, playgroundConfig(view));
    const child = spawn(process.execPath, [playgroundCli, '-e', endpoint, '-c', 'msteams', '-p', String(view.port)], {
      cwd: folder,
      env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none', M365_AGENTS_PLAYGROUND_CONFIG_PATH: configPath },
      stdio: 'ignore',
    });
    child.on('exit', (code) => {
      if (code !== 0 && code !== null)
        console.error(`The ${view.key} Playground stopped (exit ${code}); see ${join(folder, 'devTools', 'm365agentsplayground.log')}.`);
    });
    children.push(child);
  }
  const lines = [
    '',
    'Custodian is running locally: simulated Microsoft 365 tenant, embedded SQLite store in ./data.',
    `Bot endpoint: ${endpoint}`,
    '',
    'Open the Microsoft 365 Agents Playground (a Teams-like client) in your browser:',
    ...DEMO_VIEWS.map((view) => `  http://localhost:${view.port}  as ${DEMO_PEOPLE[view.person].name}, ${view.role}`),
    '',
    'First, as Megan: in the team\'s channel "Approvals" type "@Custodian use this channel for approvals";',
    'in the group chat "Security team": "@Custodian use this chat for security notices".',
    'As Nestor (HR for Norway requests, and a bot admin in the demo): in channel "HR", "@Custodian use this channel for hr".',
    'Then as Adele, in the personal chat: "help" or "request". Mailboxes to try: alex@contoso.com, diego@contoso.com.',
    '',
    'To play a rogue admin, type here:',
    `  ${ROGUE_ADMIN_USAGE}`,
    '  e.g. rogue-admin adele@contoso.com alex@contoso.com; the security chat gets an "Untraced change" card within a minute.',
    '',
    'Press Ctrl+C to stop.',
  ];
  console.log(lines.join('\n'));
  const local = started.local;
  if (local) {
    createInterface({ input: process.stdin }).on('line', (line) => {
      const answer = rogueAdminCommand(local, line);
      if (answer) console.log(answer);
    });
  }
  const shutdown = () => {
    for (const child of children) child.kill('SIGTERM');
    void started.stop().finally(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(explainStartupFailure(error));
  process.exit(1);
});
