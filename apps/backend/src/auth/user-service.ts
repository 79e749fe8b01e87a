import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { type UserRow, users } from '../db/schema.ts';
import type { SignUp, User } from './auth-schemas.ts';
import type { PasswordHasher } from './password.ts';

const toUser = (row: UserRow): User => ({
  id: row.id,
  email: row.email,
  name: row.name,
  createdAt: row.createdAt.toISOString(),
});

const byEmail = (email: string) => eq(sql`lower(${users.email})`, email.toLowerCase());

export class UserService {
  readonly #db: Db;
  readonly #passwords: PasswordHasher;

  constructor(db: Db, passwords: PasswordHasher) {
    this.#db = db;
    this.#passwords = passwords;
  }

  /** Undefined when the email is taken. */
  async signUp(input: SignUp): Promise<User | undefined> {
    const passwordHash = await this.#passwords.hash(input.password);
    const rows = await this.#db
      .insert(users)
      .values({ email: input.email, name: input.name ?? null, passwordHash })
      .onConflictDoNothing()
      .returning();
    return rows[0] && toUser(rows[0]);
  }

  /** Undefined for an unknown email or a wrong password, after the same amount of work. */
  async authenticate(email: string, password: string): Promise<User | undefined> {
    const [row] = await this.#db.select().from(users).where(byEmail(email));
    const stored = row?.passwordHash ?? (await this.#passwords.dummyHash());
    const ok = await this.#passwords.verify(password, stored);
    return ok && row ? toUser(row) : undefined;
  }

  async get(id: number): Promise<User | undefined> {
    const [row] = await this.#db.select().from(users).where(eq(users.id, id));
    return row && toUser(row);
  }

  async remove(id: number): Promise<boolean> {
    const rows = await this.#db.delete(users).where(eq(users.id, id)).returning({ id: users.id });
    return rows.length > 0;
  }
}
