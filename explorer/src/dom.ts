import { minorDigits, moneyParts } from './format.js';

/** A small element builder: attributes (`hidden`, `data-*`, …) and children (text or nodes). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | boolean | undefined> = {},
  ...children: (Node | string | null | undefined | false)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) element.append(child);
  return element;
}

/**
 * An exact figure, `<data value="81.584901552">€81.58<small>4901552</small></data>`: its text is the
 * amount formatted exactly (the digits past the currency's minor unit set apart, still there), its
 * value the graph's own string. `key` names it for the tests.
 */
export function amount(value: string, currency: string, key?: string): HTMLDataElement {
  const element = h('data', { value, 'data-key': key });
  const minor = minorDigits(currency);
  for (const part of moneyParts(value, currency)) {
    if (part.type !== 'fraction' || part.value.length <= minor) element.append(part.value);
    else element.append(part.value.slice(0, minor), h('small', {}, part.value.slice(minor)));
  }
  return element;
}

/** A figure that is the graph's integer (runs, seconds), keyed for the tests. */
export function count(value: number, text: string, key?: string): HTMLDataElement {
  return h('data', { value: String(value), 'data-key': key }, text);
}
