import type { DueFilter, Priority } from '../../tasks/task-service.ts';

/**
 * How a message names a task: by number, by words of its title, by a sentence about it ("I
 * called mom earlier", told apart from the request in the same message), or by a pronoun ("it",
 * "both") that the rest of the message or the conversation fills in.
 */
export type TaskRef =
  | { id: number }
  | { title: string }
  | { context: string }
  | { pronoun: 'one' | 'many' };

/** What the user asked for, as the parser understood it. */
export type AddIntent = {
  kind: 'add';
  title: string;
  description?: string;
  dueDate?: string;
  dueTime?: string;
  priority?: Priority;
};

export type Intent =
  | AddIntent
  | {
      kind: 'list';
      status: 'all' | 'active' | 'completed';
      priority?: Priority;
      due?: DueFilter;
      search?: string;
    }
  | { kind: 'complete'; task: TaskRef }
  | { kind: 'reopen'; task: TaskRef }
  | { kind: 'delete'; task: TaskRef }
  | { kind: 'rename'; task: TaskRef; title: string }
  | { kind: 'describe'; task: TaskRef; description: string }
  | { kind: 'set_priority'; task: TaskRef; priority: Priority }
  | { kind: 'set_due'; task: TaskRef; dueDate: string | null; dueTime?: string }
  | { kind: 'shift_due'; task: TaskRef; days: number }
  | { kind: 'bulk_delete'; scope: 'completed' | 'all' | { about: string } }
  | { kind: 'delete_many'; ids: number[] }
  | { kind: 'bulk_due'; from: DueFilter; dueDate: string }
  | { kind: 'nudge_priority'; task: TaskRef; up: boolean }
  | { kind: 'each'; intents: Intent[] }
  /** A phrase with a date and no command: the task it names gets the date, else it is added. */
  | { kind: 'quick'; add: AddIntent }
  | { kind: 'thanks' }
  | { kind: 'undo' }
  | { kind: 'confirm'; yes: boolean }
  | { kind: 'help'; unknown: boolean; foreign?: boolean };
