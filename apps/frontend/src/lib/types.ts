/**
 * Shapes of the backend's JSON, named for the frontend. They come from the types generated from
 * its OpenAPI document (api-types.ts), so a change to the API fails the typecheck here.
 */
import type { components, paths } from './api-types';

type Schemas = components['schemas'];
type Tasks = paths['/api/tasks/'];
type TaskListQuery = NonNullable<Tasks['get']['parameters']['query']>;

export type User = Schemas['User'];

export type Task = Schemas['Task'];
export type TaskPage = Schemas['TaskPage'];
export type TaskInput = Tasks['post']['requestBody']['content']['application/json'];
export type Priority = Task['priority'];
export type TaskStatus = NonNullable<TaskListQuery['status']>;
export type TaskSort = NonNullable<TaskListQuery['sort']>;
export type SortOrder = NonNullable<TaskListQuery['order']>;

export type ToolAction = Schemas['ToolAction'];
export type ChatMessage = Schemas['ChatMessage'];
export type Conversation = Schemas['Conversation'];
export type ConversationWithMessages = Schemas['ConversationWithMessages'];
export type ChatReply = Schemas['ChatReply'];
