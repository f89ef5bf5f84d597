import { Types } from 'mongoose';
import type { Role } from '@taskwire/domain';
import { signUp, type RunningApi } from './api.js';

/** Register a user and give it a role directly in the database; the API reads the role on every request. */
export async function signUpAs(api: RunningApi, role: Role, name = `Test ${role}`) {
  const account = await signUp(api, name);
  await api.app.database.models.User.updateOne({ _id: new Types.ObjectId(account.user.id) }, { $set: { role } });
  return account;
}
