import { parseArgs } from 'node:util';
import { UsersService } from '@taskwire/application';
import { EMAIL_MAX_LENGTH, NAME_MAX_LENGTH, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, normalizeEmail } from '@taskwire/domain';
import { connectDatabase, createRepositories, newObjectIdString } from '@taskwire/mongo';
import { ScryptPasswordHasher } from '@taskwire/security';
import { UsageError, type CommandIo } from './io.js';

export const createAdminHelp = `Usage: taskwire create-admin --email <email> [--name <name>]

Create an admin account, or promote the existing account with this email to
admin (its password is then left unchanged).

The password is read from the TASKWIRE_ADMIN_PASSWORD environment variable
or, when that is not set, from standard input (the first line). It is never
accepted as a command-line argument, where other users could read it from
the process list. The database is the one MONGODB_URI names.

Options:
  --email <email>  email of the admin account (required)
  --name <name>    display name for a new account (default: "Admin")`;

// A deliberately loose check: the API validates emails fully at registration,
// and this only catches an obviously wrong argument before touching the database.
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export async function createAdmin(args: string[], io: CommandIo): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { email: { type: 'string' }, name: { type: 'string' }, password: { type: 'string' }, help: { type: 'boolean' } },
    strict: true,
  });
  if (values.help) {
    io.out(createAdminHelp);
    return;
  }
  if (values.password !== undefined) {
    throw new UsageError('--password is not accepted, because arguments are visible in the process list; pipe the password on standard input or set TASKWIRE_ADMIN_PASSWORD.');
  }
  const email = normalizeEmail(values.email ?? '');
  if (email.length === 0) throw new UsageError('--email is required.');
  if (email.length > EMAIL_MAX_LENGTH || !EMAIL_SHAPE.test(email)) throw new UsageError(`--email ${JSON.stringify(values.email)} is not an email address such as ada@example.com.`);
  const name = (values.name ?? 'Admin').trim();
  if (name.length === 0 || name.length > NAME_MAX_LENGTH) throw new UsageError(`--name must be 1 to ${NAME_MAX_LENGTH} characters.`);

  const password = io.env.TASKWIRE_ADMIN_PASSWORD ?? (await io.readPassword());
  if (password.length < PASSWORD_MIN_LENGTH || password.length > PASSWORD_MAX_LENGTH) {
    throw new UsageError(`The password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters; got ${password.length}.`);
  }

  const uri = io.env.MONGODB_URI;
  if (!uri) throw new UsageError('MONGODB_URI is not set; set it to the connection string of the Taskwire database.');
  const database = await connectDatabase(uri, { serverSelectionTimeoutMS: 10_000 });
  try {
    await database.ensureIndexes();
    const repositories = createRepositories(database);
    const users = new UsersService({
      users: repositories.users,
      references: repositories.userTaskReferences,
      unassigner: {
        unassignIfAssignedTo: async () => {
          throw new Error('create-admin never clears assignments');
        },
      },
      hasher: new ScryptPasswordHasher(),
      clock: { now: () => new Date() },
      ids: { newId: newObjectIdString },
    });
    const { user, created } = await users.ensureAdmin({ email, password, name });
    io.out(created ? `Created admin ${user.email} (id ${user.id}).` : `Promoted ${user.email} (id ${user.id}) to admin; its password is unchanged.`);
  } finally {
    await database.close();
  }
}
