// Walks the main SDK calls against a live API and prints what it saw as JSON.
import { createClient, isTaskwireError, type Task } from '@taskwire/sdk';

declare const process: { env: Record<string, string | undefined>; exitCode?: number };

const url = process.env.TASKWIRE_URL;
if (!url) throw new Error('Set TASKWIRE_URL to the API base URL, such as http://127.0.0.1:3000.');

const email = `consumer-${Date.now()}@example.com`;
const password = 'correct horse battery staple';
let token: string | null = null;

const anonymous = createClient({ url });
const client = createClient({ url, getToken: () => token });

function describeTask(task: Task): string {
  return `${task.title} (${task.state}, version ${task.version})`;
}

async function main(): Promise<void> {
  const user = await anonymous.auth.register.mutate({ email, password, name: 'SDK Consumer' });
  const login = await anonymous.auth.login.mutate({ email, password });
  token = login.token;

  // @ts-expect-error: the title must be a string, so this must not compile.
  void (() => client.tasks.create.mutate({ title: 42 }));

  const created = await client.tasks.create.mutate({ title: 'Written by the SDK consumer', priority: 'high' });
  const moved = await client.tasks.transition.mutate({ id: created.id, to: 'in_progress' });
  const page = await client.tasks.list.query({ page: 1, per_page: 10 });

  let missing: { code: string; status: number | null } | null = null;
  try {
    await client.tasks.get.query({ id: '000000000000000000000000' });
  } catch (error) {
    if (!isTaskwireError(error)) throw error;
    missing = { code: error.code, status: error.status };
  }

  const summary = {
    userId: user.id,
    loginExpiresAtIsDate: login.expiresAt instanceof Date,
    created: describeTask(created),
    createdId: created.id,
    moved: describeTask(moved),
    listed: page.data.map((task) => task.id),
    meta: page.meta,
    missing,
  };
  console.log(JSON.stringify(summary));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
