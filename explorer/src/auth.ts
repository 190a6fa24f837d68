/**
 * The gateway token, when the gateway asks for one (`GATEWAY_AUTH=tokens`): asked once, kept in
 * `sessionStorage` for this tab only, sent as `Authorization: Bearer`; a refused token is dropped
 * and asked for again. An open gateway (`GATEWAY_AUTH=none`) never asks.
 */

const KEY = 'billing-graph.token';
/** The token when sessionStorage is off. */
let memory: string | null = null;

export function storedToken(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    // Storage off (a privacy setting): the token lives as long as the page.
    return memory;
  }
}

function keep(token: string | null): void {
  memory = token;
  try {
    if (token === null) sessionStorage.removeItem(KEY);
    else sessionStorage.setItem(KEY, token);
  } catch {
    // See storedToken.
  }
}

let asking: Promise<string | null> | null = null;
/** Declined once: not asked again until the page is reloaded. */
let declined = false;

/**
 * Asks for a token (every panel refused at once waits for the same answer); null when the person
 * declines (and from then on, until the page is reloaded). `refused`: the token sent was the one refused, so it is dropped first.
 */
export function askToken(refused: string | null): Promise<string | null> {
  if (refused !== null && storedToken() === refused) keep(null);
  // Another panel's prompt was answered meanwhile: use that token.
  const current = storedToken();
  if (current !== null && current !== refused) return Promise.resolve(current);
  if (declined) return Promise.resolve(null);
  asking ??= new Promise<string | null>((resolve) => {
    const dialog = document.getElementById('token-dialog') as HTMLDialogElement;
    const form = dialog.querySelector('form')!;
    const input = dialog.querySelector('input')!;
    const note = dialog.querySelector<HTMLElement>('.refused')!;
    note.hidden = refused === null;
    input.value = '';
    const done = (token: string | null) => {
      form.removeEventListener('submit', submit);
      dialog.removeEventListener('close', cancel);
      if (dialog.open) dialog.close();
      asking = null;
      declined = token === null;
      keep(token);
      resolve(token);
    };
    const submit = (event: SubmitEvent) => {
      event.preventDefault();
      const token = input.value.trim();
      if (token) done(token);
    };
    const cancel = () => done(null);
    form.addEventListener('submit', submit);
    dialog.addEventListener('close', cancel);
    dialog.showModal();
    input.focus();
  });
  return asking;
}
