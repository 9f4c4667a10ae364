import { setPriority } from 'node:os';
import { renderDocument } from './index.ts';

/**
 * The task a render-pool thread runs (see render-pool.ts): one document model in, .docx, PDF and
 * text out. Layout is background work, so the thread lowers its own priority: on Linux a nice
 * value belongs to the calling thread, so the event loop, the engine and PostgreSQL keep the
 * cores when a department's task, a request or a job is waiting, and the thread gets the rest.
 */
setPriority(19);

export default renderDocument;
