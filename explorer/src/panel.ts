import type { Answer, GraphError } from './graph.js';
import { RequestError } from './graph.js';
import { h } from './dom.js';

/**
 * One panel of the page: its own request, its own state and its own errors. A panel that fails
 * says why in itself; the others go on. `data-state` (loading, ready, empty, error) and
 * `data-variables` (what it asked the graph) are there for people who inspect, and for the tests.
 */
export class Panel {
  readonly section: HTMLElement;
  private readonly body: HTMLElement;
  private controller: AbortController | undefined;

  constructor(id: string) {
    this.section = document.getElementById(id)!;
    this.body = this.section.querySelector<HTMLElement>('.body')!;
  }

  /** Loads the panel (a load in flight is cancelled): `render` answers what to show. Settles once shown. */
  load(variables: Record<string, unknown>, render: (signal: AbortSignal) => Promise<Content>): Promise<void> {
    this.controller?.abort();
    const controller = (this.controller = new AbortController());
    this.section.dataset.state = 'loading';
    this.section.dataset.variables = JSON.stringify(variables);
    this.section.setAttribute('aria-busy', 'true');
    return render(controller.signal).then(
      (content) => {
        if (controller.signal.aborted) return;
        this.body.replaceChildren(...content.nodes);
        // Charts measure their width: drawn once in the page.
        content.drawn?.();
        this.done(content.empty ? 'empty' : 'ready');
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        this.body.replaceChildren(failure(error));
        this.done('error');
      },
    );
  }

  /** Shown at once, without asking the graph (no Scalr account to ask about). */
  show(state: 'empty' | 'ready', ...nodes: Node[]): void {
    this.controller?.abort();
    this.section.dataset.variables = '';
    this.body.replaceChildren(...nodes);
    this.done(state);
  }

  private done(state: string): void {
    this.section.dataset.state = state;
    this.section.removeAttribute('aria-busy');
  }
}

export interface Content {
  nodes: Node[];
  empty?: boolean;
  /** Runs once the nodes are in the page (charts draw then). */
  drawn?: () => void;
}

/** Errors of the graph, for a panel to show. */
export class AnswerError extends Error {
  constructor(readonly errors: GraphError[]) {
    super(errors.map((e) => e.message).join('; '));
    this.name = 'AnswerError';
  }
}

/** What a panel needs of an answer: there, or the answer's errors thrown. */
export function need<R, T>(answer: Answer<R>, pick: (data: R) => T | null | undefined): T {
  const value = answer.data ? pick(answer.data) : undefined;
  if (value === null || value === undefined) throw new AnswerError(answer.errors.length ? answer.errors : [{ message: 'The graph answered nothing' }]);
  return value;
}

/** Errors beside data that was served (a field failed, the rest answered). */
export function notes(answer: Answer<unknown>): Node[] {
  return answer.errors.length ? [h('p', { class: 'error', role: 'status' }, `Partly answered: ${answer.errors.map(describe).join('; ')}`)] : [];
}

const describe = (e: GraphError) => (e.extensions?.code ? `${e.extensions.code}: ${e.message}` : e.message);

function failure(error: unknown): Node {
  const text =
    error instanceof AnswerError
      ? error.errors.map(describe).join('; ')
      : error instanceof RequestError
        ? `${error.code}: ${error.message}`
        : `Unexpected error: ${error instanceof Error ? error.message : String(error)}`;
  return h('p', { class: 'error', role: 'alert' }, text);
}
